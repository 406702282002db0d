// The moderator report. Like the console, everything from the store or the corpus goes into the page as text
// (textContent, attributes) only; the chart is built from numbers with SVG DOM calls.
"use strict";

const $r = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function cell(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function row(...cells) {
  const tr = document.createElement("tr");
  tr.append(...cells);
  return tr;
}

function pct(x) { return `${Math.round(x * 100)}%`; }

function token() {
  const value = $r("token").value.trim();
  if (value) sessionStorage.setItem("casebot-token", value);
  return value;
}

async function api(method, url) {
  const res = await fetch(url, { method, headers: { Accept: "application/json", Authorization: `Bearer ${token()}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `Error ${res.status}`);
  return body;
}

function fill(id, rows, empty, columns) {
  const tbody = $r(id).tBodies[0];
  tbody.replaceChildren(...(rows.length ? rows : [row(Object.assign(cell("td", empty, "muted"), { colSpan: columns }))]));
}

// A small line chart, one line per platform over the report's time buckets. `value` picks the number to plot.
function chart(report, { box, caption, id, label, value, max, format }) {
  const holder = $r(box);
  holder.replaceChildren();
  const points = report.timeline;
  if (!points.length) { $r(caption).textContent = "No questions in this period."; return; }
  const starts = [...new Set(points.map((p) => p.start))].sort();
  const platforms = [...new Set(points.map((p) => p.platform))].sort();
  const top = max(points);
  const w = 640, h = 180, left = 44, right = 110, pad = 10, bottom = 24;
  const x = (i) => left + (starts.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (starts.length - 1));
  const y = (v) => pad + (1 - (top > 0 ? v / top : 0)) * (h - pad - bottom);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.id = id;
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    svg.append(n);
    return n;
  };
  for (const v of [0, top / 2, top]) {
    add("line", { x1: left, x2: w - right, y1: y(v), y2: y(v), class: "grid" });
    add("text", { x: 2, y: y(v) + 4, class: "axis" }, format(v));
  }
  add("text", { x: left, y: h - 6, class: "axis" }, new Date(starts[0]).toLocaleDateString());
  if (starts.length > 1) add("text", { x: w - right, y: h - 6, class: "axis", "text-anchor": "end" }, new Date(starts[starts.length - 1]).toLocaleDateString());
  platforms.forEach((platform, k) => {
    const mine = points.filter((p) => p.platform === platform);
    const coords = mine.map((p) => `${x(starts.indexOf(p.start)).toFixed(1)},${y(value(p)).toFixed(1)}`);
    add("polyline", { points: coords.join(" "), class: `series series-${k % 4}`, "data-platform": platform });
    for (const p of mine) {
      const dot = add("circle", { cx: x(starts.indexOf(p.start)), cy: y(value(p)), r: 3, class: `dot series-${k % 4}` });
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${platform} ${new Date(p.start).toLocaleString()}: ${p.answered}/${p.questions} answered, p50 ${p.medianLatencyMs} ms`;
      dot.append(title);
    }
    add("text", { x: w - right + 8, y: pad + 12 + 16 * k, class: `legend series-${k % 4}` }, platform);
  });
  holder.append(svg);
  $r(caption).textContent = `${label} per ${report.bucket}.`;
}

function render(report) {
  $r("report").hidden = false;
  $r("summary").textContent = `${report.questions} questions from ${new Date(report.from).toLocaleString()} to ${new Date(report.to).toLocaleString()}: ` +
    `${report.answered} answered (${pct(report.answerRate)}). Store: ${report.backend}.`;
  fill("declined", report.declined.map((g) => {
    const q = cell("td", g.question);
    if (g.variants.length > 1) {
      const ul = cell("ul");
      for (const v of g.variants.slice(1, 6)) ul.append(cell("li", v, "muted"));
      q.append(ul);
    }
    return row(cell("td", String(g.count), "num"), q, cell("td", new Date(g.lastAsked).toLocaleString()));
  }), "Nothing declined in this period.", 3);
  fill("downvoted", report.mostDownvoted.map((d) => row(cell("td", String(d.down), "num"), cell("td", String(d.up), "num"),
    cell("td", d.question ?? `(answer ${d.answerKey}, question no longer stored)`),
    cell("td", d.citations.length ? d.citations.map((c) => `[${c}]`).join(" ") : (d.answered === false ? "(declined)" : "—")))),
  "No answer was marked not useful in this period.", 4);
  fill("platforms", report.platforms.map((p) => row(cell("td", p.platform), cell("td", String(p.questions), "num"),
    cell("td", pct(p.answerRate), "num"), cell("td", String(p.medianLatencyMs), "num"), cell("td", String(p.p95LatencyMs), "num"))),
  "No questions in this period.", 5);
  chart(report, { box: "chart", caption: "chart-caption", id: "rate-chart", label: "Answer rate by platform",
    value: (p) => p.answerRate, max: () => 1, format: pct });
  chart(report, { box: "latency-chart", caption: "latency-caption", id: "latency-chart-svg", label: "Median latency (ms) by platform",
    value: (p) => p.medianLatencyMs, max: (ps) => Math.max(1, ...ps.map((p) => p.medianLatencyMs)), format: (v) => `${v.toFixed(v < 10 ? 1 : 0)}` });
  fill("cited", report.citedMost.map((d) => row(cell("td", String(d.citations), "num"), cell("td", `[${d.docId}] ${d.title}`))),
    "No document cited in this period.", 2);
  const never = $r("never");
  never.replaceChildren(...(report.neverCited.length ? report.neverCited.map((d) => cell("li", `[${d.docId}] ${d.title}`)) : [cell("li", "Every document was cited.", "muted")]));
}

async function load() {
  const msg = $r("report-message");
  msg.className = "";
  msg.textContent = "Loading…";
  try {
    render(await api("GET", `/api/insights/report?since=${encodeURIComponent($r("since").value)}`));
    msg.textContent = "";
  } catch (e) {
    msg.className = "error";
    msg.textContent = e.message;
  }
}

function showReplay(results, prefix) {
  const table = $r("replay");
  table.tBodies[0].replaceChildren(...results.map((r) => row(cell("td", `${r.question} (declined ${r.timesDeclined}×)`), cell("td", r.text, "chat"))));
  table.hidden = results.length === 0;
  $r("replay-message").textContent = prefix + (results.length
    ? `${results.length} once-declined question(s) are answered now.`
    : "None of the declined questions is answered by the current index.");
}

async function replay() {
  const msg = $r("replay-message");
  msg.className = "";
  msg.textContent = "Replaying…";
  try {
    showReplay(await api("POST", `/api/insights/replay?since=${encodeURIComponent($r("since").value)}`), "");
  } catch (e) {
    msg.className = "error";
    msg.textContent = e.message;
  }
}

async function addAlias() {
  const msg = $r("replay-message");
  msg.className = "";
  msg.textContent = "Adding the alias and reindexing…";
  try {
    const res = await fetch("/api/insights/alias", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${token()}` },
      body: JSON.stringify({ line: $r("alias-line").value, since: $r("since").value }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || body.message || `Error ${res.status}`);
    showReplay(body.replay, `${body.message} `);
  } catch (e) {
    msg.className = "error";
    msg.textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $r("token").value = sessionStorage.getItem("casebot-token") || "";
  $r("report-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  $r("replay-form").addEventListener("submit", (e) => { e.preventDefault(); replay(); });
  $r("alias-form").addEventListener("submit", (e) => { e.preventDefault(); addAlias(); });
});
