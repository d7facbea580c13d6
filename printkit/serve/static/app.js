// printkit serve: the page works without this file. With it, the page follows the workspace:
// when a deck is rebuilt (the server says so through server-sent events), the parts of the
// page that show it are fetched again and swapped in, and the print options apply as soon as
// one is changed, without leaving the page. Focus and anything typed into a form stay put.
"use strict";

(function () {
  const status = document.getElementById("status");
  const main = document.getElementById("main");
  const PARTS = ["deck-list", "overview", "deck-head", "deck-problems", "deck-pages", "command"];

  function say(text) {
    if (status) status.textContent = text;
  }

  async function refresh(url) {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (response.status === 404) {
      say("This deck is no longer in decks/.");
      return false;
    }
    if (!response.ok) return false;
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const focused = document.activeElement && document.activeElement.id;
    for (const id of PARTS) {
      const now = document.getElementById(id);
      const fresh = next.getElementById(id);
      if (now && fresh) now.replaceWith(fresh);
    }
    if (focused && document.activeElement === document.body) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    return true;
  }

  const form = document.querySelector("form.switches");
  if (form) {
    form.addEventListener("change", async (event) => {
      // The defaults are left out of the address: "" for each option, and fitting to the window.
      const chosen = [...new FormData(form)].filter(
        ([name, value]) => value !== "" && !(name === "size" && value === "fit"),
      );
      const query = new URLSearchParams(chosen).toString();
      const url = form.action + (query ? `?${query}` : "");
      if (event.target.name === "size") {
        // Only how the pages are shown: no build, no new pages. The address keeps it, so a
        // rebuild (which fetches this address) and a reload show the same size.
        const actual = event.target.value === "actual";
        const pages = document.getElementById("deck-pages");
        if (pages) pages.classList.toggle("actual-size", actual);
        history.replaceState(null, "", url);
        say(actual ? "Pages shown at actual size." : "Pages fitted to the window.");
        return;
      }
      if (event.target.tagName !== "SELECT") return;
      say("Building…");
      if (await refresh(url)) {
        history.replaceState(null, "", url);
        say("Preview updated for the chosen options.");
      }
    });
  }

  if (!window.EventSource) return;
  const events = new EventSource("/events");
  events.addEventListener("rebuilt", async (event) => {
    const data = JSON.parse(event.data);
    const editing = main && main.dataset.editor;
    if (editing) {
      if (data.deck === editing) say("The deck file changed on disk; reopen the editor to see it.");
      return;
    }
    const showing = main && main.dataset.deck;
    if (showing && showing !== data.deck) {
      await refresh(location.href); // only the deck list can have changed
      return;
    }
    if (await refresh(location.href)) {
      say(`Updated ${data.deck} at ${new Date().toLocaleTimeString()}`);
    }
  });
  events.addEventListener("open", () => say(""));
  events.addEventListener("error", () => say("Not connected to printkit serve; retrying…"));
})();
