// 👍 / 👎 under each answer of the console. Kept apart from app.js: it watches the answer box and adds its own
// bar, so the ask flow stays as it is. One vote per browser per answer (an anonymous cookie id, set by the server);
// clicking the pressed button again withdraws the vote.
"use strict";

(() => {
  const byId = (id) => document.getElementById(id);
  let current = null; // { question, text, vote }

  function bar() {
    let node = byId("answer-feedback");
    if (node) return node;
    node = document.createElement("div");
    node.id = "answer-feedback";
    node.className = "feedback";
    node.setAttribute("role", "group");
    node.setAttribute("aria-label", "Was this answer useful?");
    const up = document.createElement("button");
    up.type = "button"; up.id = "vote-up"; up.textContent = "👍"; up.title = "Useful"; up.setAttribute("aria-label", "Useful");
    const down = document.createElement("button");
    down.type = "button"; down.id = "vote-down"; down.textContent = "👎"; down.title = "Not useful"; down.setAttribute("aria-label", "Not useful");
    const status = document.createElement("span");
    status.id = "vote-status"; status.className = "muted"; status.setAttribute("aria-live", "polite");
    node.append(up, down, status);
    up.addEventListener("click", () => vote("up"));
    down.addEventListener("click", () => vote("down"));
    byId("answer").append(node);
    return node;
  }

  function show(state) {
    const node = bar();
    const usable = state === "answered" || state === "declined";
    const text = byId("answer-text").textContent;
    node.hidden = !usable || text === "…";
    if (node.hidden) return;
    const question = (byId("answer-question").textContent || "").replace(/^Q: /, "");
    if (!current || current.question !== question || current.text !== text) {
      current = { question, text, vote: "none" };
      render();
      byId("vote-status").textContent = "";
    }
  }

  function render() {
    byId("vote-up").setAttribute("aria-pressed", String(current.vote === "up"));
    byId("vote-down").setAttribute("aria-pressed", String(current.vote === "down"));
    byId("answer-feedback").dataset.vote = current.vote;
  }

  async function vote(choice) {
    if (!current) return;
    const target = current;
    const value = target.vote === choice ? "none" : choice;
    const status = byId("vote-status");
    try {
      const res = await fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ question: target.question, text: target.text, vote: value }),
      });
      const body = await res.json();
      if (!res.ok) { status.textContent = body.error || `Error ${res.status}`; return; }
      if (target !== current) return; // another answer came meanwhile
      current.vote = body.vote;
      render();
      status.textContent = body.vote === "none" ? "Vote withdrawn." : "Thanks — recorded.";
    } catch (e) {
      status.textContent = "The console could not reach CaseBot.";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const box = byId("answer");
    if (!box) return;
    new MutationObserver(() => show(box.dataset.state)).observe(box, { attributes: true, attributeFilter: ["data-state"] });
    new MutationObserver(() => show(box.dataset.state)).observe(byId("answer-text"), { childList: true, characterData: true, subtree: true });
  });
})();
