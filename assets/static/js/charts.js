// Atelier's charts. Every element with data-chart-src gets an ECharts chart
// whose options the server built (charts package, go-echarts) and serves as
// JSON from that same-origin URL. No inline script, no eval, no HTML
// tooltips (they need inline styles): the strict CSP holds.
//
// The page loads ECharts first as a classic script
// (/static/lib/echarts.<hash>.min.js), which defines window.echarts, then
// this file with <script type="module">. Optional attributes:
//   data-chart-height  suggested height in CSS pixels (Chart.Height())
//   data-chart-scale   a factor for every text of the chart (the wall)
//   data-chart-min     the smallest text size in CSS pixels (the wall: 24)
//   data-chart-defer   load only on an "atelier:load-chart" event on the
//                      element (the wall loads the chart it shows)
//   data-chart-error   the message to show when loading fails (localised by
//                      the page; a Dutch default is used otherwise)
// The data table beside each chart carries the same figures, so a chart that
// fails to load loses nothing.

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const charts = [];

// fail replaces the chart area with a polite, readable message.
function fail(el) {
  const p = document.createElement("p");
  p.className = "chart-error";
  p.textContent =
    el.dataset.chartError ||
    "De grafiek kon niet worden geladen. De tabel hiernaast bevat dezelfde cijfers.";
  el.replaceChildren(p);
  el.setAttribute("aria-busy", "false");
}

async function load(el) {
  const echarts = window.echarts;
  const src = el.dataset.chartSrc;
  // Same origin only: options come from our server, nowhere else.
  const url = new URL(src, window.location.href);
  if (!echarts || url.origin !== window.location.origin) {
    fail(el);
    return;
  }
  el.setAttribute("aria-busy", "true");
  let options;
  try {
    const res = await fetch(url, {
      credentials: "same-origin",
      referrerPolicy: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    options = await res.json();
  } catch (err) {
    fail(el);
    return;
  }
  // Setting the height through the CSSOM is allowed under style-src 'self';
  // a style attribute in the HTML would not be.
  const height = Number.parseInt(el.dataset.chartHeight, 10);
  if (height > 0) el.style.height = `${height}px`;

  options.animation = !reducedMotion.matches;
  const scale = Number.parseFloat(el.dataset.chartScale);
  if (scale > 0) enlarge(options, scale, Number.parseFloat(el.dataset.chartMin) || 0);
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption(options);
  el.setAttribute("aria-busy", "false");
  charts.push(chart);
}

// enlarge scales a chart's texts, for the wall: a projector read from the
// back of a room needs more than ECharts' 12-pixel default.
function enlarge(options, scale, min) {
  const px = (size) => Math.max(min, Math.round((size || 12) * scale));
  const each = (v, fn) => (Array.isArray(v) ? v.forEach(fn) : v && fn(v));
  each(options.xAxis, (a) => {
    a.axisLabel = { ...a.axisLabel, fontSize: px(a.axisLabel?.fontSize) };
    a.nameTextStyle = { ...a.nameTextStyle, fontSize: px(a.nameTextStyle?.fontSize) };
    // The axis name sits below labels that grew: move it down with them.
    if (a.name) a.nameGap = Math.max(a.nameGap || 15, a.axisLabel.fontSize + 16);
  });
  each(options.yAxis, (a) => {
    const label = a.axisLabel || {};
    a.axisLabel = { ...label, fontSize: px(label.fontSize), lineHeight: Math.round(px(label.fontSize) * 1.3) };
    if (typeof label.width === "number") a.axisLabel.width = Math.round(label.width * scale);
  });
  each(options.legend, (l) => (l.textStyle = { ...l.textStyle, fontSize: px(l.textStyle?.fontSize) }));
  each(options.series, (s) => {
    if (s.label) s.label = { ...s.label, fontSize: px(s.label.fontSize) };
    // Labels may sit on single points too (a value beside its bar).
    for (const d of Array.isArray(s.data) ? s.data : []) {
      if (d && typeof d === "object" && d.label) d.label = { ...d.label, fontSize: px(d.label.fontSize) };
    }
  });
  if (options.grid) each(options.grid, (g) => typeof g.left === "number" && (g.left = px(g.left)));
}

// Resize after the window settles, not on every resize event.
let timer;
window.addEventListener("resize", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    for (const chart of charts) chart.resize();
  }, 150);
});

// Follow a change of the motion preference while the page is open.
reducedMotion.addEventListener("change", () => {
  for (const chart of charts) chart.setOption({ animation: !reducedMotion.matches });
});

for (const el of document.querySelectorAll("[data-chart-src]:not([data-chart-defer])")) {
  load(el);
}
document.addEventListener("atelier:load-chart", (e) => {
  if (e.target.matches?.("[data-chart-src]")) load(e.target);
});
