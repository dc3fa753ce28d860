// The state of a live session as one page knows it: the session's
// facilitation state, its notes, excerpts and themes, and this
// participant's votes. Snapshots and events change it; what changed is
// shown by a view (the page's Room), through these methods:
//
//	applySession(s)       the session changed
//	renderAll()           much changed: redraw everything
//	renderNote(n)         one note is new or changed
//	removeNote(id, gone)  a note left; gone: deleted, not only taken out of sight
//	announceNote(n)       say a new note of someone else
//	renderExcerpts()      the excerpts changed
//	renderVotesLeft()     this participant's votes left may have changed
//	updateEmpty()         after every event: whether the page has no notes

import { strings } from "./strings.js";

export class LiveState {
  // keepHidden: a note the facilitator took down stays, marked (facilitators'
  // pages); otherwise it leaves like a deleted one.
  constructor({ keepHidden }) {
    this.keepHidden = keepHidden;
    this.session = null;
    this.notes = new Map(); // id -> note
    this.excerpts = new Map(); // id -> excerpt
    this.themes = new Map(); // id -> theme, in position order
    this.myVotes = {}; // note id -> this participant's votes on it
  }

  // clusterLabel names a cluster; one whose profile set was withdrawn has
  // no label any more (the server sends none) and reads "withdrawn profile".
  clusterLabel(id) {
    const c = this.session && this.session.clusters.find((c) => c.id === id);
    if (c && c.withdrawn) return strings.withdrawnProfile;
    return (c && c.label) || id;
  }

  // canAct reports whether participants may add or change anything.
  canAct() {
    return this.session && this.session.state === "open" && !this.session.locked;
  }

  // votesLeft counts the votes still to give, the pending ones given.
  votesLeft(pending) {
    if (!this.session) return 0;
    let used = 0;
    for (const v of Object.values(this.myVotes)) used += v;
    for (const p of pending) if (p.op === "vote.add") used++;
    return Math.max(0, this.session.vote_budget - used);
  }

  load(snapshot) {
    this.notes.clear();
    this.excerpts.clear();
    this.themes.clear();
    for (const n of snapshot.notes) this.notes.set(n.id, n);
    for (const x of snapshot.excerpts || []) this.excerpts.set(x.id, x);
    for (const t of snapshot.themes || []) this.themes.set(t.id, t);
    this.myVotes = snapshot.my_votes || {};
  }

  // voted counts an acknowledged vote op of this participant; it returns the
  // note voted on.
  voted(op) {
    const id = op.data.note;
    this.myVotes[id] = Math.max(0, (this.myVotes[id] || 0) + (op.op === "vote.add" ? 1 : -1));
    return id;
  }

  apply(e, view) {
    switch (e.kind) {
      case "note.created":
        this.notes.set(e.note.id, e.note);
        view.renderNote(e.note);
        if (!e.note.mine) view.announceNote(e.note);
        break;
      case "note.updated":
        this.notes.set(e.note.id, e.note);
        view.renderNote(e.note);
        break;
      case "note.deleted":
        this.notes.delete(e.note_id);
        delete this.myVotes[e.note_id];
        view.removeNote(e.note_id, true);
        view.renderVotesLeft();
        break;
      case "votes.changed": {
        const n = this.notes.get(e.note_id);
        if (n) {
          n.votes = e.votes;
          view.renderNote(n);
        }
        break;
      }
      case "notes.revealed":
        for (const n of e.notes) {
          if (!this.notes.has(n.id)) {
            this.notes.set(n.id, n);
            view.renderNote(n);
          }
        }
        for (const n of this.notes.values()) n.private = false;
        view.applySession(e.session);
        view.renderAll();
        break;
      case "note.hidden": {
        const n = this.notes.get(e.note_id);
        if (this.keepHidden && n) {
          n.hidden = true;
          view.renderNote(n);
        } else {
          this.notes.delete(e.note_id);
          view.removeNote(e.note_id, false);
        }
        break;
      }
      case "votes.revealed":
        for (const [id, votes] of Object.entries(e.tallies)) {
          const n = this.notes.get(id);
          if (n) n.votes = votes;
        }
        view.applySession(e.session);
        view.renderAll();
        break;
      case "session.changed":
        view.applySession(e.session);
        break;
      case "excerpt.created":
        this.excerpts.set(e.excerpt.id, e.excerpt);
        view.renderExcerpts();
        break;
      case "theme.created":
      case "theme.updated":
        this.themes.set(e.theme.id, e.theme);
        view.renderAll();
        break;
      case "theme.deleted":
        this.themes.delete(e.theme_id);
        for (const n of this.notes.values()) if (n.theme === e.theme_id) n.theme = "";
        for (const x of this.excerpts.values()) if (x.theme === e.theme_id) x.theme = "";
        view.renderAll();
        break;
      case "note.themed": {
        const n = this.notes.get(e.note_id);
        if (n) {
          n.theme = e.theme_id || "";
          view.renderNote(n);
        }
        break;
      }
      case "excerpt.themed": {
        const x = this.excerpts.get(e.excerpt_id);
        if (x) {
          x.theme = e.theme_id || "";
          view.renderExcerpts();
        }
        break;
      }
      // "hidden": something this page may not see; only seq moves on.
    }
    view.updateEmpty();
  }
}
