// Notes as real DOM: one card per note, its votes, its author's editing,
// the facilitator's moderation. What a page shows of a note depends on the
// page, which says so when it makes its NoteList.

import { button, el } from "./dom.js";
import { fill, label, plural, strings } from "./strings.js";
import { themePicker } from "./themes.js";

const kinds = ["kans", "zorg", "idee", "vraag"];

export class NoteList {
  // What the page shows:
  //   voting      the tally, this participant's votes, buttons to vote (the phone)
  //   moderation  the tally, buttons to hide and delete (the console)
  //   wall        a column per kind; no private note before the reveal and
  //               no note taken down, although the facilitator's connection
  //               receives them: the wall is projected for the whole room
  //   board       a ThemeBoard: a note goes into its theme's list, can be
  //               dragged, and has a theme list of its own (the console)
  constructor(room, { voting = false, moderation = false, wall = false, board = null } = {}) {
    this.room = room;
    this.state = room.state;
    this.voting = voting;
    this.moderation = moderation;
    this.wall = wall;
    this.board = board;
    const root = room.root;
    this.list = root.querySelector("[data-live-notes]");
    this.empty = root.querySelector("[data-live-empty]");
    this.columns = new Map(wall ? kinds.map((k) => [k, root.querySelector(`[data-live-notes-${k}]`)]).filter(([, ol]) => ol) : []);
    this.waiting = wall ? root.querySelector("[data-live-waiting]") : null;
    this.votesLeftOut = voting ? root.querySelector("[data-live-votes-left]") : null;
    this.editing = new Map(); // note id -> draft text, while its author edits it
  }

  element(n) {
    const { state, room } = this;
    const session = state.session;
    const li = el("li", `note note--${n.kind}` + (n.mine ? " note--mine" : "") + (n.hidden ? " note--hidden" : "") + (n.private ? " note--private" : ""));
    li.id = `note-${n.id}`;
    li.dataset.note = n.id;
    const head = el("p", "note__kind", label("kind", n.kind));
    if (session && session.clusters.length > 1 && !this.wall) head.append(el("span", "note__cluster", " · " + state.clusterLabel(n.cluster)));
    li.append(head);

    if (this.editing.has(n.id)) {
      li.append(this.editor(n));
    } else {
      li.append(el("p", "note__text", n.text));
    }
    const meta = el("p", "note__meta", n.mine ? strings.mine : `${n.author} · ${label("role", n.role)}`);
    if (n.private) meta.append(" · " + strings.privateNote);
    if (n.hidden) meta.append(" · " + strings.hiddenNote);
    const theme = n.theme && state.themes.get(n.theme);
    if (theme && !this.board) meta.append(el("span", "tag note__theme", theme.title));
    li.append(meta);

    const actions = el("div", "note__actions");
    if (this.voting && !n.pending) this.voteControls(n, actions);
    if (this.moderation && !n.pending) {
      actions.append(el("span", "note__votes", votesText(n.votes)));
      this.moderationControls(n, actions);
    }
    if (n.mine && !this.editing.has(n.id) && state.canAct()) {
      actions.append(
        button(strings.edit, "edit", () => {
          this.editing.set(n.id, n.text);
          this.render(n);
          document.querySelector(`#note-${n.id} textarea`)?.focus();
        }),
        button(strings.delete, "delete", () => {
          if (confirm(strings.confirmDelete)) room.queue("note.delete", { id: n.id });
        }),
      );
    }
    if (actions.children.length) li.append(actions);
    if (this.board && !n.pending) {
      li.draggable = true;
      li.append(themePicker(state, n.cluster, n.theme, (theme) => room.queue("note.theme", { id: n.id, theme }), n.id));
    }
    return li;
  }

  voteControls(n, actions) {
    const { state, room } = this;
    const mine = state.myVotes[n.id] || 0;
    const tally = state.session && !state.session.tallies_hidden ? votesText(n.votes) : strings.votesHidden;
    const count = el("span", "note__votes", tally);
    if (mine) count.append(" · " + fill(strings.yourVotes, { n: mine }));
    actions.append(count);
    if (!state.canAct()) return;
    const add = button(strings.vote, "vote", () => room.queue("vote.add", { note: n.id }));
    add.disabled = state.votesLeft(room.socket.pending) <= 0;
    add.setAttribute("aria-label", `${strings.vote}: ${n.text.slice(0, 60)}`);
    actions.append(add);
    if (mine) {
      const remove = button(strings.unvote, "unvote", () => room.queue("vote.remove", { note: n.id }));
      remove.setAttribute("aria-label", `${strings.unvote}: ${n.text.slice(0, 60)}`);
      actions.append(remove);
    }
  }

  renderVotesLeft() {
    const session = this.state.session;
    if (this.votesLeftOut && session) {
      // Counted by the budget: "nog 1 van 1 stem", "nog 1 van 5 stemmen".
      this.votesLeftOut.textContent = plural("votesLeft", session.vote_budget, { n: this.state.votesLeft(this.room.socket.pending), budget: session.vote_budget });
    }
  }

  moderationControls(n, actions) {
    const session = this.state.session;
    if (!session || session.state !== "open") return;
    actions.append(
      button(n.hidden ? strings.unhide : strings.hide, "hide", () => this.room.queue("note.hide", { id: n.id, hidden: !n.hidden })),
      button(strings.delete, "delete", () => {
        if (confirm(strings.confirmModerate)) this.room.queue("note.delete", { id: n.id });
      }),
    );
  }

  // editor edits one's own note, in place.
  editor(n) {
    const box = el("div", "note__editor");
    const id = `edit-${n.id}`;
    const lab = el("label", "visually-hidden", strings.editLabel);
    lab.htmlFor = id;
    const area = el("textarea");
    area.id = id;
    area.rows = 3;
    area.maxLength = 500;
    area.value = this.editing.get(n.id);
    area.addEventListener("input", () => this.editing.set(n.id, area.value));
    const save = button(strings.save, "save", () => {
      const text = area.value.trim();
      this.editing.delete(n.id);
      if (text && text !== n.text) this.room.queue("note.update", { id: n.id, version: n.version, text });
      this.render(n);
    });
    const cancel = button(strings.cancel, "cancel", () => {
      this.editing.delete(n.id);
      this.render(n);
    });
    box.append(lab, area, el("div", "note__actions"));
    box.lastChild.append(save, cancel);
    return box;
  }

  // listFor says where a note goes: the wall by kind, the console by theme,
  // else the one list.
  listFor(n) {
    if (this.board && n.theme && this.state.themes.has(n.theme)) return this.board.noteList(n.theme) || this.list;
    return this.columns.get(n.kind) || this.list;
  }

  shown(n) {
    return !this.wall || (!n.private && !n.hidden);
  }

  render(n) {
    const old = document.getElementById(`note-${n.id}`);
    if (!this.shown(n)) {
      old?.remove();
      this.renderWaiting();
      return;
    }
    const node = this.element(n);
    const target = this.listFor(n);
    if (old && old.parentElement === target) {
      // Keep the keyboard where it was: voting twice should not need
      // finding the button again.
      const action = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      old.replaceWith(node);
      if (action) node.querySelector(`[data-action="${action}"]`)?.focus();
    } else {
      old?.remove();
      if (!old) node.classList.add("note--new");
      target.prepend(node);
    }
    this.updateEmpty();
  }

  // remove takes a note off the page; gone: it was deleted, and a draft of
  // it goes too.
  remove(id, gone) {
    if (gone) this.editing.delete(id);
    document.getElementById(`note-${id}`)?.remove();
  }

  // renderAll redraws every note. The theme board, if any, is drawn first.
  renderAll() {
    this.list.replaceChildren();
    for (const ol of this.columns.values()) ol.replaceChildren();
    for (const n of this.state.notes.values()) if (this.shown(n)) this.listFor(n).prepend(this.element(n));
    this.renderWaiting();
  }

  // renderPending shows the notes this page wrote that the server has not
  // acknowledged yet, marked as waiting.
  renderPending(pending) {
    this.room.root.querySelectorAll(".note--pending").forEach((e) => e.remove());
    for (const op of pending) {
      if (op.op !== "note.create") continue;
      const node = this.element({ id: `pending-${op.op_id}`, kind: op.data.kind, cluster: op.data.cluster, text: op.data.text, mine: false, pending: true, author: "", role: "other" });
      node.classList.add("note--pending");
      node.querySelector(".note__meta").textContent = strings.pending;
      this.list.prepend(node);
    }
  }

  updateEmpty() {
    if (this.empty) this.empty.hidden = this.list.children.length > 0 || !!this.board?.hasNotes();
  }

  // renderWaiting says on the wall how many notes wait for the reveal,
  // without showing them.
  renderWaiting() {
    if (!this.waiting) return;
    let n = 0;
    for (const note of this.state.notes.values()) if (note.private && !note.hidden) n++;
    this.waiting.hidden = n === 0;
    this.waiting.textContent = fill(n === 1 ? strings.waitingRevealOne : strings.waitingRevealOther, { n });
  }
}

function votesText(votes) {
  return plural("vote", votes);
}
