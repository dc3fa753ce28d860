// The wall's board: what the projector shows of the session, in the view
// the facilitator chose (session.wall_view):
//   notes    the notes of the cluster in focus, newest first; with no
//            focus every note, each card naming its cluster
//   themes   the affinity board: a column per theme with its notes and
//            excerpts, and the notes without a theme
//   results  per cluster the notes ranked by their votes, top first, once
//            the tallies are revealed
//   chart    the cluster's chart of the chosen variable
// It never shows a private note before the reveal, a note taken down, or a
// vote total still hidden, although the facilitator's connection receives
// them: the wall is projected for the whole room.
//
// A WallBoard stands in for the NoteList of the other pages (Room calls
// render, remove, renderAll, ...): every change redraws the board once,
// after the current event, and fits it to the screen again (fit.js).

import { el } from "./dom.js";
import { fit } from "./fit.js";
import { fill, label, strings } from "./strings.js";

const ws = document.getElementById("wall-strings").dataset;
const views = ["notes", "themes", "results", "chart"];

export class WallBoard {
  constructor(room) {
    this.room = room;
    this.state = room.state;
    const root = room.root;
    this.root = root;
    this.stage = root.querySelector("[data-wall-stage]");
    this.heading = root.querySelector("[data-wall-heading]");
    this.viewName = root.querySelector("[data-wall-view-name]");
    this.charts = root.querySelector("[data-wall-charts]");
    this.panels = [...root.querySelectorAll("[data-live-cluster]")];
    this.waiting = root.querySelector("[data-live-waiting]");
    this.join = root.querySelector("[data-wall-join]");
    this.joined = 0; // participants in the session, from the presence poll
    this.scheduled = false;
    // A note's language, for hyphenation: the session's.
    this.lang = root.getAttribute("lang") || document.documentElement.lang;
    let resizing;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => this.draw(), 150);
    });
  }

  // What Room calls (see notes.js): each redraws the whole board, once.
  render() {
    this.schedule();
  }
  remove() {
    this.schedule();
  }
  renderAll() {
    this.schedule();
  }
  renderPending() {}
  renderVotesLeft() {}
  updateEmpty() {}

  // people is the presence poll's answer: the large join panel becomes a
  // strip once someone has joined.
  people(info) {
    this.joined = (info.participants || []).filter((p) => !p.removed).length;
    this.showJoin();
  }

  // session is the board's view of Room.sessionViews.
  session() {
    return () => this.schedule();
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // A little later than at once: notes that pour in together are drawn
    // and fitted once.
    setTimeout(() => {
      this.scheduled = false;
      this.draw();
    }, 40);
  }

  view() {
    const v = this.state.session?.wall_view;
    return views.includes(v) ? v : "notes";
  }

  // shown: what the room may see of a note.
  shown(n) {
    return !n.private && !n.hidden;
  }

  draw() {
    const s = this.state.session;
    if (!s) return;
    const view = this.view();
    const closed = s.state === "closed";
    for (const v of views) this.root.classList.toggle(`wall--${v}`, v === view);
    this.showJoin();
    if (closed) {
      // The end screen: no code, no QR code, no timer.
      this.join?.remove();
      this.join = null;
      this.root.querySelectorAll("[data-live-timer]").forEach((t) => t.remove());
    }
    this.heading.textContent = s.focus ? this.state.clusterLabel(s.focus) : ws.allClusters;
    this.viewName.textContent = ws[`view${view[0].toUpperCase()}${view.slice(1)}`];
    this.renderWaiting();
    this.charts.hidden = view !== "chart";
    this.stage.hidden = view === "chart";
    this.showChart(s, view === "chart");
    if (view === "chart") {
      this.stage.replaceChildren();
      return;
    }
    const start = performance.now();
    const page = view === "themes" ? this.themes(s) : view === "results" ? this.results(s) : this.notes(s);
    this.stage.dataset.left = "0";
    this.stage.replaceChildren(page);
    const left = fit(this.stage, (n) => el("li", "wall__more", fill(ws.more, { n })));
    // For tests and for whoever looks: how many cards did not fit.
    this.stage.dataset.left = String(left);
    this.stage.dataset.drawMs = String(Math.round(performance.now() - start));
    this.stage.dataset.fittedTo = `${innerWidth}x${innerHeight}`;
  }

  showJoin() {
    if (!this.join) return;
    const s = this.state.session;
    this.join.classList.toggle("wall__join--compact", !!s && !s.join_large && this.joined > 0);
  }

  // The notes the room may see, of the cluster in focus or all.
  visibleNotes(s) {
    return [...this.state.notes.values()].filter((n) => this.shown(n) && (!s.focus || n.cluster === s.focus));
  }

  notes(s) {
    const list = el("ol", "wall-cards");
    list.dataset.fitList = "";
    list.dataset.fitColumns = "";
    list.setAttribute("aria-label", ws.viewNotes);
    const notes = this.visibleNotes(s).sort((a, b) => num(b.id) - num(a.id));
    for (const n of notes) list.append(this.card(n, !s.focus));
    if (!notes.length) return el("p", "wall__empty", ws.noNotes);
    return list;
  }

  card(n, withCluster) {
    const li = el("li", `note note--${n.kind} wall-card`);
    li.id = `note-${n.id}`;
    li.dataset.note = n.id;
    li.dataset.fitCard = "";
    // One line under the text says who, which kind, and (with no focus)
    // which cluster: a projector has no room to spare.
    const text = el("p", "note__text", n.text);
    text.lang = this.lang;
    const meta = el("p", "note__meta", `${n.author} · ${label("role", n.role)} · `);
    meta.append(el("span", "note__tag", label("kind", n.kind)));
    if (withCluster) meta.append(el("span", "note__cluster", " · " + this.state.clusterLabel(n.cluster)));
    li.append(text, meta);
    return li;
  }

  excerptCard(x) {
    const li = el("li", "excerpt wall-card");
    li.dataset.fitCard = "";
    const q = el("blockquote", "excerpt__text", x.text);
    q.lang = this.lang;
    li.append(q, el("p", "note__meta", label("source", x.source)));
    return li;
  }

  // themes: a column per theme (of the cluster in focus, or all), then
  // the notes without a theme.
  themes(s) {
    const board = el("div", "wall-columns");
    const themes = [...this.state.themes.values()].filter((t) => !s.focus || t.cluster === s.focus);
    const notes = this.visibleNotes(s).sort((a, b) => num(a.id) - num(b.id));
    const column = (title, sub, items) => {
      const col = el("section", "wall-column");
      const h = el("h3", "wall-column__title", title);
      if (sub) h.append(el("span", "wall-column__sub", sub));
      const ol = el("ol", "wall-column__list");
      ol.dataset.fitList = "";
      ol.setAttribute("aria-label", title);
      ol.append(...items);
      col.append(h, ol);
      return col;
    };
    for (const t of themes) {
      const items = notes.filter((n) => n.theme === t.id).map((n) => this.card(n, false));
      for (const x of this.state.excerpts.values()) if (x.theme === t.id) items.push(this.excerptCard(x));
      board.append(column(t.title, s.focus ? "" : this.state.clusterLabel(t.cluster), items));
    }
    // The notes without a theme take the room the themes leave, in
    // columns of their own.
    const loose = notes.filter((n) => !n.theme || !this.state.themes.has(n.theme));
    const themed = Math.min(board.children.length, 6);
    const span = themed ? Math.max(1, Math.min(3, 6 - themed)) : 1;
    if (loose.length) {
      const col = column(ws.ungrouped, "", loose.map((n) => this.card(n, !s.focus)));
      col.style.setProperty("grid-column", `span ${span}`);
      col.querySelector("ol").dataset.fitColumns = "";
      board.append(col);
    }
    if (!board.children.length) return el("p", "wall__empty", ws.noThemes);
    board.style.setProperty("--columns", String(themed + (loose.length ? span : 0)));
    return board;
  }

  // results: per cluster its notes ranked by votes, top first. Equal totals
  // share a rank; a note without votes has none (as in the report).
  results(s) {
    if (s.tallies_hidden) return el("p", "wall__empty", ws.resultsHidden);
    const clusters = s.focus ? [s.focus] : s.clusters.map((c) => c.id);
    const board = el("div", "wall-columns wall-columns--results");
    for (const id of clusters) {
      const notes = this.visibleNotes(s)
        .filter((n) => n.cluster === id)
        .sort((a, b) => b.votes - a.votes || num(a.id) - num(b.id));
      if (!notes.length) continue;
      const col = el("section", "wall-column");
      const title = this.state.clusterLabel(id);
      if (!s.focus) col.append(el("h3", "wall-column__title", title));
      const ol = el("ol", "wall-results");
      ol.dataset.fitList = "";
      if (s.focus) ol.dataset.fitColumns = "";
      ol.setAttribute("aria-label", title);
      for (const n of notes) {
        const rank = n.votes > 0 ? 1 + notes.filter((m) => m.votes > n.votes).length : 0;
        const li = el("li", `note note--${n.kind} wall-card wall-result`);
        li.id = `note-${n.id}`;
        li.dataset.note = n.id;
        li.dataset.fitCard = "";
        li.dataset.rank = String(rank);
        li.dataset.votes = String(n.votes);
        const r = el("p", "wall-result__rank", rank ? String(rank) : "–");
        r.setAttribute("aria-label", rank ? fill(ws.rank, { n: rank }) : ws.noRank);
        const text = el("p", "note__text", n.text);
        text.lang = this.lang;
        const body = el("div", "wall-result__body");
        body.append(text, el("p", "note__kind", label("kind", n.kind)));
        li.append(r, body, el("p", "wall-result__votes", fill(n.votes === 1 ? strings.voteOne : strings.voteOther, { n: n.votes })));
        ol.append(li);
      }
      col.append(ol);
      board.append(col);
    }
    if (!board.children.length) return el("p", "wall__empty", ws.noNotes);
    board.style.setProperty("--columns", String(Math.min(board.children.length, 6)));
    return board;
  }

  // showChart readies the panel of the cluster in focus (the first one
  // with no focus) with the chosen variable, or its first one with
  // published figures. A chart is loaded the first time it shows (load).
  showChart(s, load) {
    const focus = s.focus || this.panels[0]?.dataset.liveCluster;
    for (const p of this.panels) {
      p.hidden = p.dataset.liveCluster !== focus;
      if (p.hidden) continue;
      const figures = [...p.querySelectorAll("[data-wall-variable]")];
      const chosen = figures.find((f) => f.dataset.wallVariable === s.wall_variable) || figures[0];
      for (const f of figures) f.hidden = f !== chosen;
      const chart = chosen?.querySelector("[data-chart-src]");
      if (load && chart && !chart.dataset.chartLoaded) {
        chart.dataset.chartLoaded = "true";
        chart.dispatchEvent(new CustomEvent("atelier:load-chart", { bubbles: true }));
      }
    }
    if (load) window.dispatchEvent(new Event("resize"));
  }

  // renderWaiting says how many notes wait for the reveal, without
  // showing them.
  renderWaiting() {
    if (!this.waiting) return;
    let n = 0;
    for (const note of this.state.notes.values()) if (note.private && !note.hidden) n++;
    this.waiting.hidden = n === 0;
    this.waiting.textContent = fill(n === 1 ? strings.waitingRevealOne : strings.waitingRevealOther, { n });
  }

  // keys are the wall's own shortcuts, beside those of controls.js: 1–4
  // the views, A all clusters, V the next variable, J the join panel.
  keys() {
    document.addEventListener("keydown", (e) => {
      const s = this.state.session;
      if (e.ctrlKey || e.metaKey || e.altKey || !s || e.target.closest("input, textarea, select")) return;
      const key = e.key.toLowerCase();
      const i = ["1", "2", "3", "4"].indexOf(key);
      if (i >= 0) this.room.queue("session.view", { view: views[i] });
      else if (key === "a") this.room.queue("session.focus", { cluster: "" });
      else if (key === "j") this.room.queue("session.join", { on: !s.join_large });
      else if (key === "v") {
        const panel = this.panels.find((p) => p.dataset.liveCluster === (s.focus || this.panels[0]?.dataset.liveCluster));
        const names = [...(panel?.querySelectorAll("[data-wall-variable]") || [])].map((f) => f.dataset.wallVariable);
        if (!names.length) return;
        const at = Math.max(0, names.indexOf(s.wall_variable));
        this.room.queue("session.variable", { variable: names[(at + 1) % names.length] });
        if (s.wall_view !== "chart") this.room.queue("session.view", { view: "chart" });
      }
    });
  }
}

// num is the number in an id such as "n12": the order notes were made in.
function num(id) {
  return Number.parseInt(id.slice(1), 10) || 0;
}
