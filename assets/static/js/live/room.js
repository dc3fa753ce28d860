// A room is one page's part in a live session: its connection, what it
// knows of the session, and the parts of the page that show it. The page's
// entry module (phone.js, console.js, wall.js) makes the room, gives it the
// parts that page has, and starts it.
//
// The room's root element carries data-live-seq: the sequence number of the
// last event (or snapshot) the page has applied and shown. A test that must
// see that something did not arrive waits until that number reaches the
// event that would have brought it, and only then looks.

import { announcer } from "./announce.js";
import { Socket } from "./socket.js";
import { LiveState } from "./state.js";
import { fill, label, plural, strings } from "./strings.js";

export class Room {
  // facilitator: the page is the facilitator's (console, wall), who keeps
  // seeing a note taken down, marked as such.
  constructor(root, { facilitator }) {
    this.root = root;
    this.sessionID = root.dataset.liveSession;
    this.state = new LiveState({ keepHidden: facilitator });
    this.socket = new Socket(this.sessionID, this);
    this.say = announcer(root.querySelector("[data-live-announce]"));
    this.connection = root.querySelector("[data-live-connection]");
    this.notice = root.querySelector("[data-live-notice]");
    this.online = false;
    // The page's parts, given by its entry module before start.
    this.notes = null; // a NoteList: every page
    this.themes = null; // a ThemeBoard: the console
    this.excerpts = null; // an ExcerptList: the phone and the console
    this.sessionViews = []; // functions (session, before) that show the session
  }

  start() {
    this.root.dataset.liveSeq = "0";
    // Notes written before a reload, offline, show at once as waiting.
    this.renderPending();
    this.setConnection(false);
    this.socket.start();
  }

  queue(op, data) {
    this.socket.queue(op, data);
  }

  // The connection line says whether the page is online and how many ops
  // still wait for the server.
  setConnection(isOnline) {
    this.online = isOnline;
    if (!this.connection) return;
    const waiting = this.socket.pending.length;
    let text = isOnline ? strings.connected : strings.disconnected;
    if (waiting > 0) text += " " + plural("waiting", waiting);
    this.connection.textContent = text;
    this.connection.classList.toggle("connection--offline", !isOnline);
    this.connection.classList.toggle("connection--waiting", isOnline && waiting > 0);
  }

  showNotice(text) {
    if (!this.notice) return;
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  // What the socket hands over (see socket.js).

  welcome(session) {
    this.applySession(session);
  }
  snapshot(m) {
    this.state.load(m);
    this.renderAll();
  }
  event(m) {
    this.state.apply(m, this);
  }
  applied(seq) {
    this.root.dataset.liveSeq = String(seq);
  }
  synced() {
    this.setConnection(true);
  }
  closed() {
    this.setConnection(false);
  }
  // removed: this participant may no longer take part. The page says so
  // and takes no more input; what they wrote stays on the page.
  removed() {
    this.setConnection(false);
    if (this.connection && strings.removed) this.connection.textContent = strings.removed;
    this.root.querySelectorAll("[data-live-removed]").forEach((el) => (el.hidden = false));
    this.root.querySelectorAll("form[data-live-input]").forEach((f) => (f.hidden = true));
  }
  finished() {
    return !!this.state.session && this.state.session.state === "closed";
  }
  ack(m, op) {
    if (op && (op.op === "vote.add" || op.op === "vote.remove")) {
      const id = this.state.voted(op);
      if (this.state.notes.has(id)) this.renderNote(this.state.notes.get(id));
      this.renderVotesLeft();
    }
    if (m.notice) this.showNotice(m.notice);
  }
  rejected(m) {
    this.showNotice(m.message);
  }
  pendingChanged() {
    this.renderPending();
  }

  // What the state shows (see state.js).

  applySession(s) {
    const before = this.state.session;
    this.state.session = s;
    for (const show of this.sessionViews) show(s, before);
    if (before && before.private && !s.private) this.say(strings.revealed);
    if (before && before.tallies_hidden && !s.tallies_hidden) this.say(strings.votesRevealed);
    if (before && (before.tallies_hidden !== s.tallies_hidden || before.locked !== s.locked || before.state !== s.state)) this.renderAll();
    this.renderVotesLeft();
  }
  renderAll() {
    this.themes?.render(); // first: a note in a theme goes into the theme's list
    this.notes.renderAll();
    this.renderPending();
    this.excerpts?.render();
  }
  // renderPending also updates the connection line, the votes left and the
  // empty note.
  renderPending() {
    this.notes.renderPending(this.socket.pending);
    this.setConnection(this.online);
    this.renderVotesLeft();
    this.updateEmpty();
  }
  renderNote(n) {
    this.notes.render(n);
  }
  removeNote(id, gone) {
    this.notes.remove(id, gone);
  }
  announceNote(n) {
    this.say(fill(strings.newNote, { kind: label("kind", n.kind), text: n.text }));
  }
  renderExcerpts() {
    this.excerpts?.render();
  }
  renderVotesLeft() {
    this.notes.renderVotesLeft();
  }
  updateEmpty() {
    this.notes.updateEmpty();
  }
}
