// CaseBot console. Everything that came from the corpus or the question is put into the page with
// textContent / attributes only — never as markup — so it cannot inject HTML or script.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function formatBytes(n) {
  return n < 1024 ? `${n} chars` : `${(n / 1024).toFixed(1)} k chars`;
}

// Only same-origin relative links from the API are used as hrefs.
function safeHref(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
}

// The answer exactly as chat shows it: the same text, line by line, with each "[004]" turned into a link
// to the document at the quoted sentence.
function renderAnswerText(container, answer) {
  container.replaceChildren();
  container.classList.toggle("declined", !answer.answered);
  const unused = [...answer.citations];
  const lines = answer.text.split("\n");
  lines.forEach((line, i) => {
    const m = /^\[([^\]]+)\] ?(.*)$/.exec(line);
    let idx = -1;
    if (m) {
      idx = unused.findIndex((c) => c.docId === m[1] && c.quote === m[2]);
      if (idx < 0) idx = unused.findIndex((c) => c.docId === m[1]);
    }
    if (m && idx >= 0) {
      const c = unused.splice(idx, 1)[0];
      const link = el("a", `[${m[1]}]`, { href: safeHref(c.url), class: "cite", title: c.title });
      container.append(link, document.createTextNode(line.slice(m[1].length + 2)));
    } else {
      container.append(document.createTextNode(line));
    }
    if (i < lines.length - 1) container.append(document.createTextNode("\n"));
  });
}

async function ask(question) {
  const box = $("answer");
  box.hidden = false;
  $("answer-question").textContent = `Q: ${question}`;
  $("answer-text").textContent = "…";
  $("answer-sources").replaceChildren();
  $("answer-short").hidden = true;
  $("answer-closest").hidden = true;
  $("answer-why").hidden = true;
  let res, body;
  try {
    res = await fetch(`/api/ask?q=${encodeURIComponent(question)}`, { headers: { Accept: "application/json" } });
    body = await res.json();
  } catch (e) {
    $("answer-text").textContent = "The console could not reach CaseBot. Is it still running?";
    return;
  }
  if (!res.ok) {
    $("answer-text").textContent = body.refusal || body.error || `Error ${res.status}`;
    box.dataset.state = "refused";
    return;
  }
  renderAnswerText($("answer-text"), body);
  box.dataset.state = body.usageError ? "usage" : body.answered ? "answered" : "declined";
  if (body.short) {
    $("answer-short").textContent = `Short answer: ${body.short}`;
    $("answer-short").hidden = false;
  }
  for (const c of body.citations) {
    const li = el("li");
    li.append(el("a", `[${c.docId}] ${c.title}`, { href: safeHref(c.url) }));
    $("answer-sources").append(li);
  }
  if (body.why) {
    $("answer-why-text").textContent = body.why;
    $("answer-why").open = false;
    $("answer-why").hidden = false;
  }
  if (body.closest) {
    const p = $("answer-closest");
    p.replaceChildren(document.createTextNode("Closest document: "),
      el("a", `[${body.closest.id}] ${body.closest.title}`, { href: safeHref(body.closest.url) }));
    p.hidden = false;
  }
}

async function loadDocs() {
  const tbody = $("docs").tBodies[0];
  try {
    const docs = await (await fetch("/api/docs")).json();
    tbody.replaceChildren(...docs.map((d) => {
      const tr = el("tr");
      const idCell = el("td");
      idCell.append(el("a", d.id, { href: safeHref(d.url) }));
      tr.append(idCell, el("td", d.title), el("td", formatBytes(d.characters), { class: "num" }));
      return tr;
    }));
  } catch (e) {
    tbody.replaceChildren(el("tr", "Could not load the documents."));
  }
}

async function loadStatus() {
  const dl = $("status");
  let s;
  try { s = await (await fetch("/api/status")).json(); } catch (e) { dl.replaceChildren(el("dt", "Status"), el("dd", "unreachable")); return; }
  const rows = [
    ["Built", s.builtAt ? new Date(s.builtAt).toLocaleString() : "not yet"],
    ["Corpus fingerprint", s.corpusFingerprint || "—"],
    ["Documents", String(s.documents)],
    ["Passages", String(s.passages)],
    ["Chat adapters", s.adapters.length ? s.adapters.map((a) => `${a.platform}: ${a.connected ? "connected" : "not connected"}`).join(", ") : "none configured (web console only)"],
  ];
  if (s.skipped && s.skipped.length) rows.push(["Skipped files", s.skipped.join(" ")]);
  if (s.lastReindex) {
    const r = s.lastReindex;
    rows.push(["Last reindex", `${r.succeeded ? "succeeded" : "failed"} — by ${r.requestedBy}${r.finishedAt ? " at " + new Date(r.finishedAt).toLocaleString() : ""}: ${r.message}`]);
  }
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", k), el("dd", v)]));
  $("status").dataset.fingerprint = s.corpusFingerprint || "";
  const enabled = s.reindexFromWeb;
  $("reindex-button").disabled = !enabled;
  $("token").disabled = !enabled;
  if (!enabled) $("reindex-result").textContent = "Reindexing from the web is off: the operator has not set Web__AdminToken.";
}

async function reindex() {
  const out = $("reindex-result");
  out.className = "";
  out.textContent = "Reindexing…";
  $("reindex-button").disabled = true;
  try {
    const res = await fetch("/api/reindex", { method: "POST", headers: { Authorization: `Bearer ${$("token").value}` } });
    const body = await res.json();
    if (res.ok) {
      out.textContent = `Done: ${body.documents} documents, ${body.passages} passages in ${body.seconds.toFixed(2)} s. ${body.message}`;
    } else {
      out.className = "error";
      out.textContent = body.error || body.message || `Error ${res.status}`;
    }
  } catch (e) {
    out.className = "error";
    out.textContent = "The console could not reach CaseBot.";
  } finally {
    $("reindex-button").disabled = false;
    loadStatus();
    loadDocs();
  }
}

// Who the bot is and what it answers about come from configuration (Bot__Name, Bot__Description, Bot__ExampleQuestion).
async function loadProfile() {
  let p;
  try { p = await (await fetch("/api/profile")).json(); } catch (e) { return; }
  $("bot-name").textContent = p.name;
  $("tagline").textContent = `Answers about ${p.description}, quoted from the case documents.`;
  $("question").setAttribute("placeholder", `e.g. ${p.exampleQuestion}`);
  document.title = `${p.name} console`;
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("question").value.trim();
    if (q) ask(q);
  });
  $("reindex-form").addEventListener("submit", (e) => { e.preventDefault(); reindex(); });
  loadProfile();
  loadDocs();
  loadStatus();
});
