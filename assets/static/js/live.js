// Atelier live client (docs/protocol.md): one websocket per page, notes
// rendered as real DOM, ops kept as pending (in localStorage, so a reload
// loses nothing) until the server acknowledges them, and re-sent after a
// reconnect. Texts come from the page (<template id="live-strings">), in
// the page's language.

const root = document.querySelector("[data-live-session]");
if (root) start(root);

function start(root) {
  const sessionID = root.dataset.liveSession;
  const strings = document.getElementById("live-strings").dataset;
  const $ = (sel) => root.querySelector(sel);
  const list = $("[data-live-notes]");
  const empty = $("[data-live-empty]");
  const connection = $("[data-live-connection]");
  const form = $("[data-live-form]");
  const notice = $("[data-live-notice]");
  const storageKey = `atelier.pending.${sessionID}`;

  const notes = new Map(); // id -> note
  let pending = loadPending(); // [{op_id, op, data}]
  let ws = null;
  let lastSeq = 0;
  let synced = false;
  let backoff = 500;
  let closedSession = false;

  function loadPending() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "[]");
    } catch {
      return [];
    }
  }
  function savePending() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(pending));
    } catch {
      // Private browsing may refuse storage; pending ops then live in memory.
    }
  }
  function opID() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function setConnection(online) {
    if (!connection) return;
    connection.textContent = online ? strings.connected : strings.disconnected;
    connection.classList.toggle("connection--offline", !online);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${scheme}//${location.host}/ws/sessions/${sessionID}`);
    synced = false;
    ws.addEventListener("open", () => {
      backoff = 500;
      ws.send(JSON.stringify({ type: "hello", since: lastSeq }));
    });
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(e.data);
      const items = msg.type === "batch" ? msg.items : [msg];
      for (const m of items) handle(m);
    });
    ws.addEventListener("close", () => {
      setConnection(false);
      ws = null;
      // Reconnect with a growing, jittered delay: forty phones on one Wi-Fi
      // must not all knock at the same moment.
      const delay = backoff + Math.random() * backoff;
      backoff = Math.min(backoff * 2, 8000);
      setTimeout(connect, delay);
    });
  }

  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN && synced) {
      ws.send(JSON.stringify(msg));
    }
  }

  function handle(m) {
    switch (m.type) {
      case "welcome":
        applySession(m.session);
        break;
      case "snapshot":
        notes.clear();
        for (const n of m.notes) notes.set(n.id, n);
        lastSeq = m.seq;
        renderAll();
        break;
      case "event":
        if (m.seq <= lastSeq) return; // already applied
        if (m.seq !== lastSeq + 1) {
          ws.close(); // a gap: reconnect and catch up
          return;
        }
        lastSeq = m.seq;
        applyEvent(m);
        break;
      case "synced":
        lastSeq = m.seq;
        synced = true;
        setConnection(true);
        for (const op of pending) send({ type: "op", ...op });
        renderPending();
        break;
      case "ack":
        dropPending(m.op_id);
        if (m.notice) showNotice(m.notice);
        break;
      case "error":
        if (!m.op_id) return;
        if (m.code === "rate_limited" || m.code === "internal") {
          setTimeout(() => {
            const op = pending.find((p) => p.op_id === m.op_id);
            if (op) send({ type: "op", ...op });
          }, m.retry_after_ms || 1000);
          return;
        }
        dropPending(m.op_id);
        showNotice(m.message);
        break;
    }
  }

  let session = null;
  const announce = root.querySelector("[data-live-announce]");
  const say = (text) => {
    if (announce) announce.textContent = text;
  };

  function applySession(s) {
    const before = session;
    session = s;
    closedSession = s.state === "closed";
    const phase = root.querySelector("[data-live-phase]");
    if (phase && s.phase) phase.textContent = strings["phase" + s.phase[0].toUpperCase() + s.phase.slice(1)] || s.phase;
    // The wall shows the cluster in focus; charts drawn while hidden need
    // a resize once they show.
    const panels = root.querySelectorAll("[data-live-cluster]");
    if (panels.length) {
      const focus = s.focus || panels[0].dataset.liveCluster;
      panels.forEach((p) => (p.hidden = p.dataset.liveCluster !== focus));
      window.dispatchEvent(new Event("resize"));
    }
    if (before && before.private && !s.private) say(strings.revealed);
    root.querySelectorAll("[data-live-toggle]").forEach((b) => {
      b.setAttribute("aria-pressed", String(!!s[b.dataset.liveToggle]));
    });
    root.querySelectorAll("select[data-live-field]").forEach((sel) => {
      const v = sel.dataset.liveField === "phase" ? s.phase : s.focus;
      if (v !== undefined) sel.value = v;
    });
    const state = root.querySelector("[data-live-state]");
    if (state) {
      state.textContent = strings["state" + s.state[0].toUpperCase() + s.state.slice(1)] || s.state;
      state.className = `state state--${s.state}`;
    }
    const closed = root.querySelector("[data-live-closed]");
    if (closed) closed.hidden = !closedSession;
    if (form) {
      form.hidden = closedSession;
      // Phones follow the facilitator's focus; a locked session takes no input.
      const select = form.querySelector("select[name=cluster]");
      if (select && s.focus) select.value = s.focus;
      form.querySelectorAll("textarea, button, select, input").forEach((el) => (el.disabled = !!s.locked));
    }
  }

  function applyEvent(e) {
    switch (e.kind) {
      case "note.created":
      case "note.updated":
        notes.set(e.note.id, e.note);
        renderNote(e.note);
        break;
      case "note.deleted":
        notes.delete(e.note_id);
        document.getElementById(`note-${e.note_id}`)?.remove();
        break;
      case "votes.changed": {
        const n = notes.get(e.note_id);
        if (n) {
          n.votes = e.votes;
          renderNote(n);
        }
        break;
      }
      case "notes.revealed":
        for (const n of e.notes) {
          if (!notes.has(n.id)) {
            notes.set(n.id, n);
            renderNote(n);
          }
        }
        applySession(e.session);
        break;
      case "note.hidden": {
        const n = notes.get(e.note_id);
        if (root.dataset.liveRole === "facilitator" && n) {
          n.hidden = true;
          renderNote(n);
        } else {
          notes.delete(e.note_id);
          document.getElementById(`note-${e.note_id}`)?.remove();
        }
        break;
      }
      case "votes.revealed":
        for (const [id, votes] of Object.entries(e.tallies)) {
          const n = notes.get(id);
          if (n) {
            n.votes = votes;
            renderNote(n);
          }
        }
        applySession(e.session);
        break;
      case "session.changed":
        applySession(e.session);
        break;
      // "hidden": something this client may not see; only seq moves on.
    }
    updateEmpty();
  }

  function noteElement(n) {
    const li = document.createElement("li");
    li.id = `note-${n.id}`;
    li.className = `note note--${n.kind}` + (n.mine ? " note--mine" : "");
    const kind = document.createElement("span");
    kind.className = "note__kind";
    kind.textContent = strings["kind" + n.kind[0].toUpperCase() + n.kind.slice(1)] || n.kind;
    const text = document.createElement("p");
    text.className = "note__text";
    text.textContent = n.text; // text, never HTML
    const meta = document.createElement("p");
    meta.className = "note__meta";
    meta.textContent = n.mine ? strings.mine : `${n.author} · ${strings["role" + n.role[0].toUpperCase() + n.role.slice(1)] || n.role}`;
    li.append(kind, text, meta);
    if (n.mine && form && !closedSession) {
      const del = document.createElement("button");
      del.type = "button";
      del.className = "button button--quiet note__delete";
      del.textContent = strings.delete;
      del.addEventListener("click", () => queue("note.delete", { id: n.id }));
      li.append(del);
    }
    return li;
  }

  // The wall groups notes by kind in columns; other pages have one list.
  const listFor = (kind) => root.querySelector(`[data-live-notes-${kind}]`) || list;

  function renderNote(n) {
    const el = noteElement(n);
    if (n.hidden) el.classList.add("note--hidden");
    const old = document.getElementById(el.id);
    if (old) old.replaceWith(el);
    else {
      el.classList.add("note--new");
      listFor(n.kind).prepend(el);
    }
  }

  function renderAll() {
    list.replaceChildren();
    root.querySelectorAll("[data-live-notes-kans], [data-live-notes-zorg], [data-live-notes-idee], [data-live-notes-vraag]").forEach((l) => l.replaceChildren());
    for (const n of [...notes.values()]) {
      const el = noteElement(n);
      if (n.hidden) el.classList.add("note--hidden");
      listFor(n.kind).prepend(el);
    }
    renderPending();
    updateEmpty();
  }

  function renderPending() {
    list.querySelectorAll(".note--pending").forEach((el) => el.remove());
    for (const op of pending) {
      if (op.op !== "note.create") continue;
      const el = noteElement({ id: `pending-${op.op_id}`, kind: op.data.kind, text: op.data.text, mine: false, author: "", role: "other" });
      el.classList.add("note--pending");
      el.querySelector(".note__meta").textContent = strings.pending;
      list.prepend(el);
    }
    updateEmpty();
  }

  function updateEmpty() {
    if (empty) empty.hidden = list.children.length > 0;
  }

  function queue(op, data) {
    const entry = { op_id: opID(), op, data };
    pending.push(entry);
    savePending();
    renderPending();
    send({ type: "op", ...entry });
  }

  function dropPending(id) {
    const before = pending.length;
    pending = pending.filter((p) => p.op_id !== id);
    if (pending.length !== before) {
      savePending();
      renderPending();
    }
  }

  function showNotice(text) {
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  if (form) {
    const textarea = form.querySelector("textarea");
    const count = form.querySelector("[data-live-count]");
    const updateCount = () => {
      const left = 500 - [...textarea.value].length;
      count.textContent = strings.charsLeft.replace("{n}", String(left));
    };
    textarea.addEventListener("input", updateCount);
    updateCount();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = textarea.value.trim();
      if (!text) return;
      const data = new FormData(form);
      queue("note.create", { cluster: data.get("cluster"), kind: data.get("kind"), text });
      textarea.value = "";
      updateCount();
      if (notice) notice.hidden = true;
      textarea.focus();
    });
  }

  // The shared timer: every screen counts down to the same moment.
  const timer = root.querySelector("[data-live-timer]");
  if (timer) {
    let wasRunning = false;
    setInterval(() => {
      const end = session && session.timer_ends_at ? Date.parse(session.timer_ends_at) : 0;
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      timer.textContent = end ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "";
      if (wasRunning && left === 0) say(strings.timeUp);
      wasRunning = end > 0 && left > 0;
    }, 500);
  }

  // Facilitator controls: buttons and selects that send an op.
  root.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-live-op]");
    if (!b) return;
    let data = JSON.parse(b.dataset.liveData || "{}");
    if (b.dataset.liveToggle) data = { on: !(session && session[b.dataset.liveToggle]) };
    queue(b.dataset.liveOp, data);
  });
  root.addEventListener("change", (e) => {
    const sel = e.target.closest("select[data-live-op]");
    if (sel) queue(sel.dataset.liveOp, { [sel.dataset.liveField]: sel.value });
  });

  // Keyboard shortcuts on the wall, for the facilitator at the laptop.
  if (root.hasAttribute("data-live-shortcuts")) {
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || !session || e.target.closest("input, textarea, select")) return;
      const key = e.key.toLowerCase();
      if (key === "n") {
        const ids = session.clusters.map((c) => c.id);
        const next = ids[(ids.indexOf(session.focus) + 1) % ids.length];
        queue("session.focus", { cluster: next });
      } else if (key === "t") {
        queue("session.timer", { seconds: session.timer_ends_at ? 0 : 300 });
      } else if (key === "r") {
        if (session.private) queue("session.private", { on: false });
        if (session.tallies_hidden) queue("session.tallies", { on: false });
      } else if (key === "l") {
        queue("session.lock", { on: !session.locked });
      }
    });
  }

  // The facilitator's console shows how many people are connected.
  const present = root.querySelector("[data-live-present]");
  if (present) {
    const poll = async () => {
      try {
        const res = await fetch(`/api/sessions/${sessionID}`, { credentials: "same-origin", referrerPolicy: "same-origin", headers: { Accept: "application/json" } });
        if (res.ok) present.textContent = String((await res.json()).present);
      } catch {
        // Offline: the connection line already says so.
      }
    };
    poll();
    setInterval(poll, 5000);
  }

  setConnection(false);
  connect();
}
