// The dashboard page's script: plain browser JavaScript, embedded in the page at build time (no build step for
// users). It follows GET ./events (Server-Sent Events), falls back to polling GET ./snapshot while the stream is
// down, and draws with uPlot (loaded just before this script). Every value reaches the DOM as text, never
// as HTML. `window.llmoDashboard` exposes counters and the charts for tests and the curious.
(() => {
  const uPlot = /** @type {any} */ (window).uPlot;
  const base = location.pathname.endsWith('/') ? location.pathname : `${location.pathname}/`;
  const EVENTS_URL = `${base}events`;
  const SNAPSHOT_URL = `${base}snapshot`;
  const POLL_MS = 2000;
  const MAX_BACKOFF_MS = 30000;
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
  const KIND_COLORS = {
    rate_limit: '#d97706',
    timeout: '#7c3aed',
    network: '#0891b2',
    server: '#dc2626',
    overloaded: '#db2777',
    auth: '#92400e',
    permission: '#92400e',
    quota: '#a16207',
    bad_request: '#475569',
    not_found: '#64748b',
    content_filter: '#9333ea',
    context_length: '#0f766e',
    invalid_response: '#b91c1c',
    cancelled: '#94a3b8',
  };

  const state = {
    /** Snapshots drawn so far. */
    snapshots: 0,
    /** Times the event stream opened. */
    connects: 0,
    /** Snapshots that failed to draw. */
    renderErrors: 0,
    /** Snapshots older than the one drawn (a slow poll), not drawn. */
    staleSkipped: 0,
    connection: 'connecting',
    /** @type {Record<string, any>} */
    charts: {},
    last: null,
  };
  window.llmoDashboard = state;

  /** Creates an element with attributes and children (strings become text nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  const fmtMs = (ms) =>
    ms === null || ms === undefined
      ? '–'
      : ms >= 1000
        ? `${(ms / 1000).toFixed(2)} s`
        : `${Math.round(ms)} ms`;
  const fmtCount = (n) =>
    n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n);
  const fmtCost = (cost) => {
    const entries = Object.entries(cost || {});
    if (entries.length === 0) return '–';
    return entries
      .map(([currency, amount]) => `${amount.toFixed(amount < 1 ? 4 : 2)} ${currency}`)
      .join(' · ');
  };
  const fmtTime = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false });

  function setConnection(value) {
    state.connection = value;
    const badge = document.getElementById('connection');
    badge.dataset.state = value;
    badge.textContent =
      { live: '● live', reconnecting: '○ reconnecting…', polling: '◐ polling', connecting: 'connecting…' }[
        value
      ] || value;
  }

  // ---- providers -------------------------------------------------------------------------------------
  function renderProviders(snapshot) {
    const section = document.getElementById('providers');
    const cards = snapshot.providers.map((p) => {
      const w = p.window;
      const kinds = Object.entries(w.errorsByKind)
        .sort((a, b) => b[1] - a[1])
        .map(([kind, count]) => el('span', { class: 'kind', 'data-kind': kind }, `${kind} ${count}`));
      const lastChange = p.circuitChanges[p.circuitChanges.length - 1];
      return el(
        'article',
        { class: 'provider', 'data-provider': p.name, 'data-health': p.health, 'data-circuit': p.circuit },
        el('h3', {}, p.name, el('small', {}, p.model)),
        el(
          'div',
          { class: 'badges' },
          el('span', { class: `badge health-${p.health}`, 'data-role': 'health' }, p.health),
          el('span', { class: `badge circuit-${p.circuit}`, 'data-role': 'circuit' }, `circuit ${p.circuit}`),
          p.registered ? null : el('span', { class: 'badge' }, 'removed'),
          p.charted === false
            ? el('span', { class: 'badge', 'data-role': 'not-charted' }, 'not charted (maxProviders)')
            : null,
        ),
        el(
          'dl',
          {},
          el('dt', {}, 'error rate (60 s)'),
          el(
            'dd',
            { 'data-role': 'error-rate' },
            `${Math.round(p.recentErrorRate * 100)} % of ${p.windowRequests}`,
          ),
          el('dt', {}, `requests (${snapshot.historyMinutes} min)`),
          el(
            'dd',
            { 'data-role': 'requests' },
            `${fmtCount(w.requests)} (${fmtCount(w.errors)} failed${w.callerErrors ? `, ${fmtCount(w.callerErrors)} caller errors` : ''})`,
          ),
          el('dt', {}, 'latency p50 / p95'),
          el('dd', {}, `${fmtMs(w.latencyP50)} / ${fmtMs(w.latencyP95)}`),
          el('dt', {}, 'TTFT p50 / p95'),
          el('dd', {}, `${fmtMs(w.ttftP50)} / ${fmtMs(w.ttftP95)}`),
          el('dt', {}, 'tokens in / out'),
          el('dd', {}, `${fmtCount(w.promptTokens)} / ${fmtCount(w.completionTokens)}`),
          el('dt', {}, 'cost'),
          el('dd', { 'data-role': 'cost' }, fmtCost(w.cost)),
        ),
        kinds.length ? el('div', { class: 'kinds' }, ...kinds) : null,
        lastChange
          ? el(
              'p',
              { class: 'change' },
              `circuit ${lastChange.from} → ${lastChange.to} at ${fmtTime(lastChange.at)}`,
            )
          : null,
      );
    });
    section.replaceChildren(...(cards.length ? cards : [el('p', { class: 'empty' }, 'No providers yet.')]));
  }

  // ---- charts ----------------------------------------------------------------------------------------
  function chartWidth(figure) {
    return Math.max(280, Math.floor(figure.clientWidth || 480) - 4);
  }

  /** Draws `data` into the chart `key`; the chart is rebuilt when its series change (a provider appears). */
  function draw(key, figure, series, data, yLabel) {
    const signature = series.map((s) => s.label).join('|');
    let chart = state.charts[key];
    if (chart && chart.signature !== signature) {
      chart.destroy();
      chart = undefined;
    }
    if (!chart) {
      chart = new uPlot(
        {
          width: chartWidth(figure),
          height: 170,
          series: [{}, ...series],
          axes: [{}, { label: yLabel, size: 56 }],
          scales: { x: { time: true } },
          legend: { live: false },
          cursor: { drag: { x: false, y: false } },
        },
        data,
        figure,
      );
      chart.signature = signature;
      chart.figure = figure;
      state.charts[key] = chart;
    } else {
      chart.setData(data);
    }
  }

  const line = (label, color, dashed) => ({
    label,
    stroke: color,
    width: 1.5,
    spanGaps: true,
    dash: dashed ? [5, 4] : undefined,
    points: { show: false },
  });

  function figureOf(name) {
    return document.querySelector(`figure[data-chart="${name}"]`);
  }

  function renderCharts(snapshot) {
    const s = snapshot.series;
    const names = Object.keys(s.providers);
    const color = (i) => PALETTE[i % PALETTE.length];
    const per = (field) => names.map((name) => s.providers[name][field]);

    draw(
      'requests',
      figureOf('requests'),
      names.map((n, i) => line(n, color(i))),
      [s.times, ...per('requestRate')],
      'req/s',
    );

    const kinds = Object.keys(s.errorsByKind).sort();
    draw(
      'errors',
      figureOf('errors'),
      kinds.map((k) => line(k, KIND_COLORS[k] || '#334155')),
      [s.times, ...kinds.map((k) => s.errorsByKind[k])],
      'errors/s',
    );

    const pairs = (p50, p95) => {
      const series = [];
      const data = [s.times];
      names.forEach((name, i) => {
        series.push(line(`${name} p50`, color(i)), line(`${name} p95`, color(i), true));
        data.push(s.providers[name][p50], s.providers[name][p95]);
      });
      return [series, data];
    };
    const [latencySeries, latencyData] = pairs('latencyP50', 'latencyP95');
    draw('latency', figureOf('latency'), latencySeries, latencyData, 'ms');
    const [ttftSeries, ttftData] = pairs('ttftP50', 'ttftP95');
    draw('ttft', figureOf('ttft'), ttftSeries, ttftData, 'ms');

    draw(
      'tokens',
      figureOf('tokens'),
      names.map((n, i) => line(n, color(i))),
      [s.times, ...per('tokens')],
      'tokens',
    );

    // One chart per currency: amounts in different currencies are never added or drawn on one axis. Figures
    // are found by currency in a Map, never by a selector: a currency is data, and a `"` in it would break one.
    const holder = document.getElementById('cost-charts');
    const currencies = Object.keys(s.cost).sort();
    for (const currency of currencies) {
      let figure = costFigures.get(currency);
      if (!figure) {
        figure = el(
          'figure',
          { 'data-chart': `cost-${currency}`, 'data-currency': currency },
          el('figcaption', {}, `Cost per bucket (${currency})`),
        );
        holder.append(figure);
        costFigures.set(currency, figure);
      }
      draw(`cost-${currency}`, figure, [line(currency, '#0f766e')], [s.times, s.cost[currency]], currency);
    }
    // A currency whose costs have aged out of the window: its chart goes too.
    for (const [currency, figure] of costFigures) {
      if (currency in s.cost) continue;
      state.charts[`cost-${currency}`]?.destroy();
      delete state.charts[`cost-${currency}`];
      figure.remove();
      costFigures.delete(currency);
    }
  }

  /** @type {Map<string, HTMLElement>} */
  const costFigures = new Map();

  // ---- recent requests -------------------------------------------------------------------------------
  function attemptChain(request) {
    const parts = request.attempts.map((a) => {
      let text;
      if (a.outcome === 'success') text = `✓ ${a.provider} ${fmtMs(a.latencyMs)}`;
      else if (a.outcome === 'error')
        text = `✗ ${a.provider} ${a.errorKind}${a.status ? ` ${a.status}` : ''}${a.willRetry ? ' (retry)' : ''}`;
      else if (a.outcome === 'skipped') text = `⤼ ${a.provider} circuit open`;
      else text = `… ${a.provider}`;
      return el(
        'span',
        { class: `attempt ${a.outcome}`, 'data-provider': a.provider, 'data-outcome': a.outcome },
        text,
      );
    });
    const out = [];
    parts.forEach((part, i) => {
      if (i > 0) out.push(' → ');
      out.push(part);
    });
    if (request.attemptsDropped > 0) out.push(` (+${request.attemptsDropped} more)`);
    return out;
  }

  function renderRequests(snapshot) {
    const body = document.querySelector('#requests tbody');
    const rows = snapshot.recentRequests.map((r) => {
      const result = r.success === undefined ? 'running' : r.success ? 'ok' : 'failed';
      return el(
        'tr',
        { 'data-request-id': r.requestId, 'data-result': result },
        el('td', {}, fmtTime(r.startedAt)),
        el('td', { class: 'id' }, r.requestId),
        el('td', {}, r.streaming ? 'stream' : 'generate'),
        el(
          'td',
          { class: `result ${result}` },
          result === 'ok' ? `✓ ${r.provider}` : result === 'failed' ? `✗ ${r.errorKind || 'failed'}` : '…',
        ),
        el('td', {}, fmtMs(r.latencyMs)),
        el('td', {}, r.totalTokens === undefined ? '–' : fmtCount(r.totalTokens)),
        el('td', {}, fmtCost(r.cost)),
        el('td', { class: 'chain' }, ...attemptChain(r)),
      );
    });
    body.replaceChildren(...rows);
  }

  function renderTotals(snapshot) {
    const t = snapshot.totals;
    const usage =
      t.usageDropped || t.usageFailed ? ` · usage records lost: ${t.usageDropped + t.usageFailed}` : '';
    const dropped = t.droppedProviderEvents
      ? ` · ${fmtCount(t.droppedProviderEvents)} events of providers past maxProviders not charted`
      : '';
    document.getElementById('totals').textContent =
      `${fmtCount(t.routed)} routed · ${fmtCount(t.failed)} failed · ${t.inFlight} in flight · session cost ${fmtCost(t.sessionCost)}${usage}${dropped}`;
  }

  function render(snapshot) {
    // A /snapshot poll can finish after a fresher snapshot came over the reconnected stream: never draw older
    // data over newer.
    if (state.last && snapshot.generatedAt < state.last.generatedAt) {
      state.staleSkipped++;
      return;
    }
    state.last = snapshot;
    renderProviders(snapshot);
    renderCharts(snapshot);
    renderRequests(snapshot);
    renderTotals(snapshot);
    state.snapshots++;
    document.body.dataset.snapshots = String(state.snapshots);
  }

  // ---- transport: SSE, polling while it is down ------------------------------------------------------
  let source;
  let pollTimer;
  let reconnectTimer;
  let backoff = 1000;

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = undefined;
  }

  async function poll() {
    try {
      const response = await fetch(SNAPSHOT_URL, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) return;
      render(await response.json());
      if (state.connection !== 'live') setConnection('polling');
    } catch {
      // Offline or the server restarting: the next poll or reconnect tries again.
    }
  }

  function startPolling() {
    if (pollTimer === undefined) pollTimer = setInterval(poll, POLL_MS);
  }

  function connect() {
    clearTimeout(reconnectTimer);
    source = new EventSource(EVENTS_URL, { withCredentials: true });
    source.addEventListener('open', () => {
      state.connects++;
      backoff = 1000;
      stopPolling();
      setConnection('live');
    });
    source.addEventListener('snapshot', (event) => {
      try {
        render(JSON.parse(event.data));
      } catch (error) {
        // Counted for the tests, and reported as an uncaught error (console and error listeners see it) without
        // stopping the stream: the next snapshot may draw.
        state.renderErrors++;
        window.reportError(error);
      }
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (401, 503) or unreachable: the browser gives up on its own, so poll and retry later.
        source.close();
        setConnection('reconnecting');
        startPolling();
        reconnectTimer = setTimeout(connect, backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      } else {
        // The browser reconnects by itself (after the server's `retry:`); poll meanwhile.
        setConnection('reconnecting');
        startPolling();
      }
    });
  }

  window.addEventListener('resize', () => {
    for (const chart of Object.values(state.charts))
      chart.setSize({ width: chartWidth(chart.figure), height: 170 });
  });

  setConnection('connecting');
  connect();
})();
