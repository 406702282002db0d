// One document, with the cited sentence (from "#q=...") highlighted. Text goes into the DOM as text only.
"use strict";

const $ = (id) => document.getElementById(id);

function quoteFromHash() {
  const m = /^#q=(.*)$/.exec(location.hash);
  if (!m) return "";
  try { return decodeURIComponent(m[1]); } catch (e) { return ""; }
}

async function render() {
  const id = decodeURIComponent(location.pathname.replace(/^\/docs\//, ""));
  const quote = quoteFromHash();
  const notice = $("doc-notice");
  const article = $("doc-text");
  notice.hidden = true;
  let res, doc;
  try {
    res = await fetch(`/api/docs/${encodeURIComponent(id)}?quote=${encodeURIComponent(quote)}`);
    doc = await res.json();
  } catch (e) {
    notice.textContent = "Could not reach CaseBot.";
    notice.hidden = false;
    return;
  }
  if (!res.ok) {
    $("doc-title").textContent = "Not found";
    notice.textContent = doc.error || `Error ${res.status}`;
    notice.hidden = false;
    article.replaceChildren();
    return;
  }
  document.title = `[${doc.id}] ${doc.title} — CaseBot`;
  $("doc-title").textContent = `[${doc.id}] ${doc.title}`;
  $("doc-meta").textContent = `${doc.fileName} · ${doc.characters} characters`;
  const h = doc.highlight;
  if (h) {
    const mark = document.createElement("mark");
    mark.id = "quote";
    mark.textContent = doc.text.slice(h.start, h.start + h.length);
    article.replaceChildren(document.createTextNode(doc.text.slice(0, h.start)), mark,
      document.createTextNode(doc.text.slice(h.start + h.length)));
    mark.scrollIntoView({ block: "center" });
  } else {
    article.replaceChildren(document.createTextNode(doc.text));
    if (quote) {
      notice.textContent = "The quoted sentence is not in the current version of this document (the corpus may have changed).";
      notice.hidden = false;
    }
  }
}

document.addEventListener("DOMContentLoaded", render);
window.addEventListener("hashchange", render);
