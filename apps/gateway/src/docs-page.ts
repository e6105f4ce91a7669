/**
 * `/docs`: Scalar's API reference, loaded from its CDN by the browser and pointed at `/openapi.json`. No build
 * step and no bundled UI: the gateway serves this page only; the spec comes from the route schemas.
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>llmo gateway API</title>
  </head>
  <body>
    <script id="api-reference" data-url="${specUrl}"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1"></script>
  </body>
</html>
`;
}
