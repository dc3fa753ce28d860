// The console's board of notes: filters (kind, cluster, theme, taken off
// the wall) and an order (newest first, most votes) over every note,
// wherever it is drawn: the board itself or a theme's list. A filter hides
// a note, it never removes it: the note and its theme stay what they are.

import { el } from "./dom.js";
import { plural } from "./strings.js";

export class BoardFilter {
  constructor(room) {
    this.room = room;
    this.state = room.state;
    const root = room.root;
    this.selects = [...root.querySelectorAll("[data-board-filter]")];
    this.sort = root.querySelector("[data-board-sort]");
    this.count = root.querySelector("[data-live-board-count]");
    this.themeSelect = root.querySelector('[data-board-filter="theme"]');
    this.themeKey = "";
    for (const s of [...this.selects, this.sort]) s?.addEventListener("change", () => this.apply());
  }

  filters() {
    return Object.fromEntries(this.selects.map((s) => [s.dataset.boardFilter, s.value]));
  }

  matches(n, f) {
    const theme = n.theme && this.state.themes.has(n.theme) ? n.theme : "";
    if (f.kind && n.kind !== f.kind) return false;
    if (f.cluster && n.cluster !== f.cluster) return false;
    if (f.theme === "-" && theme) return false;
    if (f.theme && f.theme !== "-" && theme !== f.theme) return false;
    if (f.hidden === "shown" && n.hidden) return false;
    if (f.hidden === "only" && !n.hidden) return false;
    return true;
  }

  // apply runs after every change the page draws.
  apply() {
    this.themeOptions();
    const f = this.filters();
    let shown = 0;
    let total = 0;
    const lists = new Set();
    for (const li of this.room.root.querySelectorAll("li.note[data-note]")) {
      const n = this.state.notes.get(li.dataset.note);
      if (!n) continue; // still on its way to the server: always shown
      total++;
      li.hidden = !this.matches(n, f);
      if (!li.hidden) shown++;
      lists.add(li.parentElement);
    }
    for (const ol of lists) this.order(ol);
    if (this.count) this.count.textContent = total ? plural("boardCount", total, { n: shown, total }) : "";
  }

  // order sorts one list; it moves nothing when the order is right, so the
  // keyboard focus stays where it is.
  order(ol) {
    const byVotes = this.sort?.value === "votes";
    const num = (li) => parseInt((li.dataset.note || "").replace(/\D/g, ""), 10) || Infinity;
    const votes = (li) => this.state.notes.get(li.dataset.note)?.votes || 0;
    const items = [...ol.children];
    const sorted = [...items].sort((a, b) => (byVotes ? votes(b) - votes(a) : 0) || num(b) - num(a));
    if (sorted.some((li, i) => li !== items[i])) ol.append(...sorted);
  }

  // themeOptions keeps the theme filter's list in step with the themes.
  themeOptions() {
    const sel = this.themeSelect;
    if (!sel) return;
    const themes = [...this.state.themes.values()];
    const key = themes.map((t) => t.id + ":" + t.title).join("|");
    if (key === this.themeKey) return;
    this.themeKey = key;
    const chosen = sel.value;
    sel.querySelectorAll("option[data-theme]").forEach((o) => o.remove());
    for (const t of themes) {
      const o = el("option", "", t.title);
      o.value = t.id;
      o.dataset.theme = "";
      sel.append(o);
    }
    sel.value = chosen === "" || chosen === "-" || this.state.themes.has(chosen) ? chosen : "";
  }
}
