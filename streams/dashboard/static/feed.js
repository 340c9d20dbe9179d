// The overview's live feed: changes arrive over Server-Sent Events and are put on top of the
// list without a reload. Entries are built with textContent, so no text becomes markup.
"use strict";
(function () {
  const list = document.getElementById("changes");
  const status = document.getElementById("live-status");
  if (!list || !window.EventSource) return;
  const KEEP = 50;

  function span(cls, text) {
    const el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function entry(item) {
    const li = document.createElement("li");
    li.className = "change fresh";
    const pair = document.createElement("a");
    pair.className = "pair";
    pair.href = "/dyads/" + encodeURIComponent(item.dyad);
    pair.textContent = item.dyad;
    li.append(pair, span("dim", item.dimension),
      span("state tone-" + item.tone, item.what),
      span("when", item.since), span("parties", item.parties));
    return li;
  }

  const url = "/feed/changes?after=" + encodeURIComponent(list.dataset.after || "");
  const source = new EventSource(url);
  source.onopen = function () { status.textContent = "live"; status.classList.add("on"); };
  source.onerror = function () { status.textContent = "reconnecting"; status.classList.remove("on"); };
  source.addEventListener("change", function (event) {
    const empty = document.getElementById("no-changes");
    if (empty) empty.remove();
    list.prepend(entry(JSON.parse(event.data)));
    while (list.children.length > KEEP) list.lastElementChild.remove();
  });
})();
