// printkit serve: the page works without this file. With it, the page follows the workspace:
// when a deck is rebuilt (the server says so through server-sent events), the parts of the
// page that changed are fetched again and swapped in; option switches apply on change.
"use strict";

(function () {
  const status = document.getElementById("status");
  const main = document.getElementById("main");

  function say(text) {
    if (status) status.textContent = text;
  }

  async function refresh() {
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["deck-list", "deck-view"]) {
      const now = document.getElementById(id);
      const fresh = next.getElementById(id);
      if (now && fresh) now.replaceWith(fresh);
    }
    if (!document.getElementById("deck-view") && main && next.getElementById("main")) {
      if (!main.dataset.editor) main.innerHTML = next.getElementById("main").innerHTML;
    }
    wireSwitches();
  }

  function wireSwitches() {
    const form = document.querySelector("form.switches");
    if (!form || form.dataset.wired) return;
    form.dataset.wired = "1";
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.requestSubmit());
    }
  }

  wireSwitches();
  if (!window.EventSource) return;
  const events = new EventSource("/events");
  events.addEventListener("rebuilt", async (event) => {
    const data = JSON.parse(event.data);
    const editing = main && main.dataset.editor;
    if (editing) {
      if (data.deck === editing) say("The deck file changed on disk; reopen the editor to see it.");
      return;
    }
    await refresh();
    const time = new Date().toLocaleTimeString();
    say(`Updated ${data.deck} at ${time}`);
  });
  events.addEventListener("open", () => say(""));
  events.addEventListener("error", () => say("Not connected to printkit serve; retrying…"));
})();
