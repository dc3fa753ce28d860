// The connection of a live page (docs/protocol.md): one websocket, opened
// again with a growing delay when it drops, and the ops this page sent that
// the server has not yet acknowledged. Those are pending: kept in
// localStorage, so that a reload loses nothing, and sent again, with the
// same op id, once the page is back in sync.
//
// The socket knows the protocol, not the page: what arrives goes to a
// handler with these methods:
//
//	welcome(session)   the session's facilitation state
//	snapshot(m)        the whole state, replacing what the page has
//	event(m)           one change, in sequence order
//	applied(seq)       after a snapshot, an event or "synced": seq is applied
//	synced()           up to date; the page is online
//	closed()           the connection dropped; the page is offline
//	removed()          the facilitator removed this participant (close 1008):
//	                   the socket stops and does not reconnect
//	finished()         true once the session is closed: no reconnecting
//	ack(m, op)         the server committed a pending op (op may be missing)
//	rejected(m)        the server refused a pending op; m.message says why
//	pendingChanged()   an op was queued or left the queue

export class Socket {
  constructor(sessionID, handler) {
    this.sessionID = sessionID;
    this.handler = handler;
    this.storageKey = `atelier.pending.${sessionID}`;
    this.pending = this.loadPending(); // [{op_id, op, data}]
    this.ws = null;
    this.seq = 0; // the last sequence number applied
    this.synced = false;
    this.backoff = 500;
  }

  // start connects, and follows what the browser knows of its network: a
  // phone that knows it is offline says so at once, without waiting for
  // the socket to time out; coming back online retries straight away.
  start() {
    window.addEventListener("offline", () => this.ws && this.ws.close());
    window.addEventListener("online", () => {
      if (!this.ws) {
        this.backoff = 500;
        this.connect();
      }
    });
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/ws/sessions/${this.sessionID}`);
    this.ws = ws;
    this.synced = false;
    ws.addEventListener("open", () => {
      this.backoff = 500;
      ws.send(JSON.stringify({ type: "hello", since: this.seq }));
    });
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(e.data);
      const items = msg.type === "batch" ? msg.items : [msg];
      for (const m of items) this.handle(m);
    });
    ws.addEventListener("close", (e) => {
      this.ws = null;
      this.synced = false;
      if (e.code === 1008) {
        // "May no longer take part": knocking again would be refused.
        this.handler.removed();
        return;
      }
      this.handler.closed();
      // A closed session has nothing more to say, and its participants'
      // tokens are deleted at the close: knocking again would only be
      // refused.
      if (this.handler.finished()) return;
      // Reconnect with a growing, jittered delay: forty phones on one Wi-Fi
      // must not all knock at the same moment.
      const delay = this.backoff + Math.random() * this.backoff;
      this.backoff = Math.min(this.backoff * 2, 8000);
      setTimeout(() => this.connect(), delay);
    });
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.synced) this.ws.send(JSON.stringify(msg));
  }

  handle(m) {
    const h = this.handler;
    switch (m.type) {
      case "welcome":
        h.welcome(m.session);
        break;
      case "snapshot":
        this.seq = m.seq;
        h.snapshot(m);
        h.applied(this.seq);
        break;
      case "event":
        if (m.seq <= this.seq) return; // already applied
        if (m.seq !== this.seq + 1) {
          this.ws.close(); // a gap: reconnect and catch up
          return;
        }
        this.seq = m.seq;
        h.event(m);
        h.applied(this.seq);
        break;
      case "synced":
        this.seq = m.seq;
        this.synced = true;
        h.applied(this.seq);
        h.synced();
        for (const op of this.pending) this.send({ type: "op", ...op });
        break;
      case "ack":
        h.ack(m, this.dropPending(m.op_id));
        break;
      case "error":
        if (!m.op_id) return;
        if (m.code === "rate_limited" || m.code === "internal") {
          setTimeout(() => {
            const op = this.pending.find((p) => p.op_id === m.op_id);
            if (op) this.send({ type: "op", ...op });
          }, m.retry_after_ms || 1000);
          return;
        }
        this.dropPending(m.op_id);
        h.rejected(m);
        break;
    }
  }

  // queue sends an op, and keeps it pending until the server answers.
  queue(op, data) {
    const entry = { op_id: opID(), op, data };
    this.pending.push(entry);
    this.savePending();
    this.handler.pendingChanged();
    this.send({ type: "op", ...entry });
  }

  dropPending(id) {
    const op = this.pending.find((p) => p.op_id === id);
    this.pending = this.pending.filter((p) => p.op_id !== id);
    this.savePending();
    this.handler.pendingChanged();
    return op;
  }

  loadPending() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
    } catch {
      return [];
    }
  }

  savePending() {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.pending));
    } catch {
      // Private browsing may refuse storage; pending ops then live in memory.
    }
  }
}

// opID returns a new op id: 24 random hex digits.
function opID() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
