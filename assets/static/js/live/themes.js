// Themes, on the facilitator's console: one drop zone per theme, grouped by
// cluster. A note can be dragged onto a theme, or given one with its
// "Thema" list: the same op, so the keyboard can do all that dragging does.

import { button, el } from "./dom.js";
import { strings } from "./strings.js";

// themePicker makes the labelled list of a cluster's themes for a note or
// an excerpt (forID); choosing calls onPick with the theme's id, or "".
export function themePicker(state, cluster, current, onPick, forID) {
  const wrap = el("div", "theme-picker");
  const id = `theme-for-${forID}`;
  const lab = el("label", "", strings.theme);
  lab.htmlFor = id;
  const sel = el("select");
  sel.id = id;
  const none = el("option", "", strings.noTheme);
  none.value = "";
  sel.append(none);
  for (const t of state.themes.values()) {
    if (t.cluster !== cluster) continue;
    const o = el("option", "", t.title);
    o.value = t.id;
    sel.append(o);
  }
  sel.value = current && state.themes.has(current) ? current : "";
  sel.disabled = !state.session || state.session.state !== "open";
  sel.addEventListener("change", () => onPick(sel.value));
  wrap.append(lab, sel);
  return wrap;
}

export class ThemeBoard {
  constructor(room) {
    this.room = room;
    this.state = room.state;
    this.el = room.root.querySelector("[data-live-themes]");
    this.dragAndDrop();
    this.themeForm(room.root.querySelector("[data-live-theme-form]"));
  }

  // noteList and excerptList return a theme's lists, once drawn.
  noteList(themeID) {
    return this.el.querySelector(`[data-theme-notes="${themeID}"]`);
  }
  excerptList(themeID) {
    return this.el.querySelector(`[data-theme-excerpts="${themeID}"]`);
  }
  clearExcerpts() {
    this.el.querySelectorAll("[data-theme-excerpts]").forEach((u) => u.replaceChildren());
  }
  hasNotes() {
    return !!this.el.querySelector(".note");
  }

  render() {
    const { state, room } = this;
    this.el.replaceChildren();
    const open = state.session && state.session.state === "open";
    for (const c of state.session ? state.session.clusters : []) {
      const ts = [...state.themes.values()].filter((t) => t.cluster === c.id);
      if (!ts.length) continue;
      const group = el("section", "theme-group");
      group.append(el("h3", "theme-group__title", state.clusterLabel(c.id)));
      for (const t of ts) {
        const box = el("div", "theme");
        box.dataset.theme = t.id;
        const head = el("div", "theme__head");
        head.append(el("h4", "theme__title", t.title));
        if (open) {
          head.append(
            button(strings.rename, "rename", () => {
              const title = prompt(strings.renamePrompt, t.title);
              if (title && title.trim() && title.trim() !== t.title) room.queue("theme.update", { id: t.id, title: title.trim() });
            }),
            button(strings.deleteTheme, "delete", () => {
              if (confirm(strings.confirmDeleteTheme)) room.queue("theme.delete", { id: t.id });
            }),
          );
        }
        const ol = el("ol", "notes notes--theme");
        ol.dataset.themeNotes = t.id;
        ol.setAttribute("aria-label", t.title);
        const xs = el("ul", "excerpts excerpts--theme");
        xs.dataset.themeExcerpts = t.id;
        box.append(head, ol, xs);
        group.append(box);
      }
      this.el.append(group);
    }
  }

  // dragAndDrop: onto a theme groups, onto the notes list ungroups.
  dragAndDrop() {
    const { state, room } = this;
    const root = room.root;
    let dragged = null; // the note being dragged: dragover cannot read dataTransfer
    root.addEventListener("dragstart", (e) => {
      const li = e.target.closest?.("[data-note]");
      if (!li) return;
      dragged = li.dataset.note;
      e.dataTransfer.setData("text/plain", dragged);
      e.dataTransfer.effectAllowed = "move";
      li.classList.add("note--dragging");
    });
    root.addEventListener("dragend", (e) => e.target.closest?.("[data-note]")?.classList.remove("note--dragging"));
    const zoneOf = (e) => e.target.closest?.("[data-theme], [data-live-notes]");
    const accepts = (zone, noteID) => {
      const n = state.notes.get(noteID);
      if (!n || !zone) return false;
      if (!zone.dataset.theme) return true;
      return state.themes.get(zone.dataset.theme)?.cluster === n.cluster;
    };
    root.addEventListener("dragover", (e) => {
      const zone = zoneOf(e);
      if (zone && dragged && accepts(zone, dragged)) {
        e.preventDefault();
        zone.classList.add("drop-target");
      }
    });
    root.addEventListener("dragleave", (e) => zoneOf(e)?.classList.remove("drop-target"));
    root.addEventListener("drop", (e) => {
      const zone = zoneOf(e);
      if (!zone) return;
      e.preventDefault();
      zone.classList.remove("drop-target");
      const id = e.dataTransfer.getData("text/plain");
      const n = state.notes.get(id);
      if (!n || !accepts(zone, id)) return;
      const theme = zone.dataset.theme || "";
      if ((n.theme || "") !== theme) room.queue("note.theme", { id, theme });
    });
  }

  // themeForm adds a theme; it is there while the session is open.
  themeForm(form) {
    form?.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const title = String(data.get("title") || "").trim();
      if (!title) return;
      this.room.queue("theme.create", { cluster: data.get("cluster"), title });
      form.reset();
      const sel = form.querySelector("select[name=cluster]");
      const session = this.state.session;
      if (sel && session && session.focus) sel.value = session.focus;
    });
  }
}
