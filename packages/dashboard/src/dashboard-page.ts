import uplotScript from 'uplot/dist/uPlot.iife.min.js?raw';
import uplotCss from 'uplot/dist/uPlot.min.css?raw';
import pageCss from './client/dashboard.css?raw';
import clientScript from './client/dashboard-client.js?raw';

/**
 * The page: one HTML document with the chart library (uPlot), the page script and the styles inline, so it
 * works under any mount path (`/dashboard`, `/dashboard/`, behind a proxy prefix) with no asset URLs to get
 * wrong, and under a strict Content-Security-Policy: inline code runs only with this response's nonce.
 */
export function renderDashboardPage(options: { title: string; nonce: string }): string {
  const { title, nonce } = options;
  // `</script` inside the embedded code would end the element early; uPlot and our script have none, but
  // escaping keeps that true for any version.
  const script = (code: string) =>
    `<script nonce="${nonce}">${code.replace(/<\/script/gi, '<\\/script')}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${uplotCss}</style>
<style nonce="${nonce}">${pageCss}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <span id="connection" data-state="connecting">connecting…</span>
  <span id="totals"></span>
</header>
<main>
  <section id="providers" aria-label="Providers"></section>
  <section id="charts" aria-label="Charts">
    <figure data-chart="requests"><figcaption>Requests per second (attempts, by provider)</figcaption></figure>
    <figure data-chart="errors"><figcaption>Errors per second by kind</figcaption></figure>
    <figure data-chart="latency"><figcaption>Latency p50 / p95 (ms)</figcaption></figure>
    <figure data-chart="ttft"><figcaption>Time to first token p50 / p95 (ms, streams)</figcaption></figure>
    <figure data-chart="tokens"><figcaption>Tokens per bucket</figcaption></figure>
    <div id="cost-charts"></div>
  </section>
  <section aria-label="Recent requests">
    <h2>Recent requests</h2>
    <table id="requests">
      <thead><tr><th>time</th><th>request</th><th>kind</th><th>result</th><th>latency</th><th>tokens</th><th>cost</th><th>attempts</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
${script(uplotScript)}
${script(clientScript)}
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}
