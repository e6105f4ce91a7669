/** The transport every provider uses: the web-standard `fetch` signature. Inject one for tests, proxies or TLS. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
