// Interview excerpts: listed per cluster, searchable by text, tag and
// cluster. On the console, each can be given a theme.

import { button, el } from "./dom.js";
import { fill, label, strings } from "./strings.js";
import { themePicker } from "./themes.js";

export class ExcerptList {
  // board: a ThemeBoard, where an excerpt with a theme is shown too.
  constructor(room, { board = null } = {}) {
    this.room = room;
    this.state = room.state;
    this.board = board;
    const root = room.root;
    this.list = root.querySelector("[data-live-excerpts]");
    this.search = root.querySelector("[data-live-excerpt-search]");
    this.count = root.querySelector("[data-live-excerpt-count]");
    this.none = root.querySelector("[data-live-excerpts-empty]");
    this.search?.addEventListener("input", () => this.render());
  }

  element(x) {
    const { state, search } = this;
    const li = el("li", "excerpt");
    li.id = `excerpt-${x.id}`;
    li.append(el("blockquote", "excerpt__text", x.text));
    const meta = el("p", "note__meta", `${label("source", x.source)} · ${state.clusterLabel(x.cluster)}` + (x.mine ? ` · ${strings.mineExcerpt}` : ""));
    li.append(meta);
    if (x.tags.length) {
      const tags = el("p", "excerpt__tags");
      for (const t of x.tags) {
        const b = button(t, "tag", () => {
          if (search) {
            search.value = t;
            this.render();
            search.focus();
          }
        });
        b.setAttribute("aria-label", fill(strings.searchTag, { tag: t }));
        tags.append(b);
      }
      li.append(tags);
    }
    if (this.board) li.append(themePicker(state, x.cluster, x.theme, (theme) => this.room.queue("excerpt.theme", { id: x.id, theme }), x.id));
    return li;
  }

  render() {
    const { state, board } = this;
    const q = (this.search?.value || "").trim().toLowerCase();
    const matches = (x) => !q || x.text.toLowerCase().includes(q) || x.tags.some((t) => t.includes(q)) || state.clusterLabel(x.cluster).toLowerCase().includes(q);
    this.list.replaceChildren();
    board?.clearExcerpts();
    let shown = 0;
    for (const x of [...state.excerpts.values()].reverse()) {
      const inTheme = board && x.theme && board.excerptList(x.theme);
      if (inTheme) inTheme.append(this.element(x));
      if (!matches(x)) continue;
      if (!inTheme) this.list.append(this.element(x));
      shown++;
    }
    if (this.count) this.count.textContent = q ? fill(strings.searchResults, { n: shown }) : "";
    if (this.none) this.none.hidden = state.excerpts.size > 0;
  }
}
