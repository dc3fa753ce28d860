// Atelier live client (docs/protocol.md): one websocket per page, notes
// rendered as real DOM, ops kept as pending (in localStorage, so a reload
// loses nothing) until the server acknowledges them, and re-sent after a
// reconnect. Texts come from the page (<template id="live-strings">), in
// the page's language.
//
// One script serves three pages, told apart by what the page contains:
// the phone (a note form), the facilitator's console (controls, themes)
// and the wall (columns by kind, keyboard shortcuts).

const root = document.querySelector("[data-live-session]");
if (root) start(root);

function start(root) {
  const sessionID = root.dataset.liveSession;
  const facilitator = root.dataset.liveRole === "facilitator";
  const strings = document.getElementById("live-strings").dataset;
  const $ = (sel) => root.querySelector(sel);
  const $$ = (sel) => root.querySelectorAll(sel);
  const list = $("[data-live-notes]");
  const empty = $("[data-live-empty]");
  const connection = $("[data-live-connection]");
  const form = $("[data-live-form]");
  const notice = $("[data-live-notice]");
  const announce = $("[data-live-announce]");
  const themeBoard = $("[data-live-themes]");
  // The wall is projected: it never shows a private note before the reveal
  // nor a note the facilitator took down, although its connection (the
  // facilitator's) receives them.
  const onWall = !!$("[data-live-notes-kans]");
  const excerptList = $("[data-live-excerpts]");
  const storageKey = `atelier.pending.${sessionID}`;

  const notes = new Map(); // id -> note
  const excerpts = new Map(); // id -> excerpt
  const themes = new Map(); // id -> theme, in position order
  const editing = new Map(); // note id -> draft text, while its author edits it
  let myVotes = {}; // note id -> this participant's votes on it
  let session = null;
  let pending = loadPending(); // [{op_id, op, data}]
  let ws = null;
  let lastSeq = 0;
  let synced = false;
  let online = false;
  let backoff = 500;

  // Strings: data-kind-kans becomes strings.kindKans.
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const label = (group, key) => strings[group + cap(key)] || key;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const say = (text) => {
    if (!announce) return;
    // Clear first, so that the same text twice is announced twice.
    announce.textContent = "";
    setTimeout(() => (announce.textContent = text), 50);
  };
  const clusterLabel = (id) => (session && session.clusters.find((c) => c.id === id)?.label) || id;

  // Pending ops.

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
  function queue(op, data) {
    const entry = { op_id: opID(), op, data };
    pending.push(entry);
    savePending();
    renderPending();
    send({ type: "op", ...entry });
  }
  function dropPending(id) {
    const op = pending.find((p) => p.op_id === id);
    pending = pending.filter((p) => p.op_id !== id);
    savePending();
    renderPending();
    return op;
  }

  // The connection.

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
      ws = null;
      synced = false;
      // A closed session has nothing more to say, and its participants'
      // tokens are deleted at the close: knocking again would only be
      // refused.
      if (session && session.state === "closed") return;
      setConnection(false);
      // Reconnect with a growing, jittered delay: forty phones on one Wi-Fi
      // must not all knock at the same moment.
      const delay = backoff + Math.random() * backoff;
      backoff = Math.min(backoff * 2, 8000);
      setTimeout(connect, delay);
    });
  }
  // A phone that knows it is offline says so at once, without waiting for
  // the socket to time out; coming back online retries straight away.
  window.addEventListener("offline", () => ws && ws.close());
  window.addEventListener("online", () => {
    if (!ws) {
      backoff = 500;
      connect();
    }
  });

  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN && synced) ws.send(JSON.stringify(msg));
  }

  function setConnection(isOnline) {
    online = isOnline;
    if (!connection) return;
    const waiting = pending.length;
    let text = isOnline ? strings.connected : strings.disconnected;
    if (waiting > 0) text += " " + fill(waiting === 1 ? strings.waitingOne : strings.waitingOther, { n: waiting });
    connection.textContent = text;
    connection.classList.toggle("connection--offline", !isOnline);
    connection.classList.toggle("connection--waiting", isOnline && waiting > 0);
  }

  function handle(m) {
    switch (m.type) {
      case "welcome":
        applySession(m.session);
        break;
      case "snapshot":
        notes.clear();
        excerpts.clear();
        themes.clear();
        for (const n of m.notes) notes.set(n.id, n);
        for (const x of m.excerpts || []) excerpts.set(x.id, x);
        for (const t of m.themes || []) themes.set(t.id, t);
        myVotes = m.my_votes || {};
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
        break;
      case "ack": {
        const op = dropPending(m.op_id);
        if (op && (op.op === "vote.add" || op.op === "vote.remove")) {
          const id = op.data.note;
          myVotes[id] = Math.max(0, (myVotes[id] || 0) + (op.op === "vote.add" ? 1 : -1));
          if (notes.has(id)) renderNote(notes.get(id));
          renderVotesLeft();
        }
        if (m.notice) showNotice(m.notice);
        break;
      }
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

  // The session: phase, focus, timer, modes.

  function applySession(s) {
    const before = session;
    session = s;
    const closed = s.state === "closed";
    $$("[data-live-phase]").forEach((el) => (el.textContent = label("phase", s.phase)));
    // The wall shows the cluster in focus; charts drawn while hidden need
    // a resize once they show.
    const panels = $$("[data-live-cluster]");
    if (panels.length) {
      const focus = s.focus || panels[0].dataset.liveCluster;
      panels.forEach((p) => (p.hidden = p.dataset.liveCluster !== focus));
      window.dispatchEvent(new Event("resize"));
    }
    const focusLabel = $("[data-live-focus-label]");
    if (focusLabel) {
      focusLabel.textContent = s.focus ? clusterLabel(s.focus) : strings.noFocus;
      if (before && before.focus !== s.focus && s.focus) say(fill(strings.focusMoved, { cluster: clusterLabel(s.focus) }));
    }
    if (before && before.private && !s.private) say(strings.revealed);
    if (before && before.tallies_hidden && !s.tallies_hidden) say(strings.votesRevealed);
    $$("[data-live-toggle]").forEach((b) => b.setAttribute("aria-pressed", String(!!s[b.dataset.liveToggle])));
    $$("select[data-live-field]").forEach((sel) => {
      const v = sel.dataset.liveField === "phase" ? s.phase : s.focus;
      if (v !== undefined) sel.value = v;
    });
    const state = $("[data-live-state]");
    if (state) {
      state.textContent = label("state", s.state);
      state.className = `state state--${s.state}`;
    }
    $$("[data-live-closed]").forEach((el) => (el.hidden = !closed));
    $$("[data-live-locked]").forEach((el) => (el.hidden = !s.locked || closed));
    $$("[data-live-private]").forEach((el) => (el.hidden = !s.private || closed));
    // Phones follow the facilitator's focus; a locked or closed session
    // takes no input.
    root.querySelectorAll("form[data-live-input]").forEach((f) => {
      f.hidden = closed;
      const select = f.querySelector("select[name=cluster]");
      if (select && s.focus && (!before || before.focus !== s.focus)) select.value = s.focus;
      f.querySelectorAll("textarea, button, select, input").forEach((el) => (el.disabled = !!s.locked));
    });
    if (before && (before.tallies_hidden !== s.tallies_hidden || before.locked !== s.locked || before.state !== s.state)) renderAll();
    renderVotesLeft();
  }

  // Events.

  function applyEvent(e) {
    switch (e.kind) {
      case "note.created":
        notes.set(e.note.id, e.note);
        renderNote(e.note);
        if (!e.note.mine) say(fill(strings.newNote, { kind: label("kind", e.note.kind), text: e.note.text }));
        break;
      case "note.updated":
        notes.set(e.note.id, e.note);
        renderNote(e.note);
        break;
      case "note.deleted":
        notes.delete(e.note_id);
        delete myVotes[e.note_id];
        editing.delete(e.note_id);
        document.getElementById(`note-${e.note_id}`)?.remove();
        renderVotesLeft();
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
        for (const n of notes.values()) n.private = false;
        applySession(e.session);
        renderAll();
        break;
      case "note.hidden": {
        const n = notes.get(e.note_id);
        if (facilitator && n) {
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
          if (n) n.votes = votes;
        }
        applySession(e.session);
        renderAll();
        break;
      case "session.changed":
        applySession(e.session);
        break;
      case "excerpt.created":
        excerpts.set(e.excerpt.id, e.excerpt);
        renderExcerpts();
        break;
      case "theme.created":
      case "theme.updated":
        themes.set(e.theme.id, e.theme);
        renderAll();
        break;
      case "theme.deleted":
        themes.delete(e.theme_id);
        for (const n of notes.values()) if (n.theme === e.theme_id) n.theme = "";
        for (const x of excerpts.values()) if (x.theme === e.theme_id) x.theme = "";
        renderAll();
        break;
      case "note.themed": {
        const n = notes.get(e.note_id);
        if (n) {
          n.theme = e.theme_id || "";
          renderNote(n);
        }
        break;
      }
      case "excerpt.themed": {
        const x = excerpts.get(e.excerpt_id);
        if (x) {
          x.theme = e.theme_id || "";
          renderExcerpts();
        }
        break;
      }
      // "hidden": something this client may not see; only seq moves on.
    }
    updateEmpty();
  }

  // Notes.

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text; // text, never HTML
    return e;
  };
  // action names the button for focus to come back to it after a redraw.
  const button = (text, action, onClick) => {
    const b = el("button", `button button--quiet button--small button--${action}`, text);
    b.type = "button";
    b.dataset.action = action;
    b.addEventListener("click", onClick);
    return b;
  };
  const canAct = () => session && session.state === "open" && !session.locked;

  function noteElement(n) {
    const li = el("li", `note note--${n.kind}` + (n.mine ? " note--mine" : "") + (n.hidden ? " note--hidden" : "") + (n.private ? " note--private" : ""));
    li.id = `note-${n.id}`;
    li.dataset.note = n.id;
    const head = el("p", "note__kind", label("kind", n.kind));
    if (session && session.clusters.length > 1 && !onWall) head.append(el("span", "note__cluster", " · " + clusterLabel(n.cluster)));
    li.append(head);

    if (editing.has(n.id)) {
      li.append(noteEditor(n));
    } else {
      li.append(el("p", "note__text", n.text));
    }
    const meta = el("p", "note__meta", n.mine ? strings.mine : `${n.author} · ${label("role", n.role)}`);
    if (n.private) meta.append(" · " + strings.privateNote);
    if (n.hidden) meta.append(" · " + strings.hiddenNote);
    const theme = n.theme && themes.get(n.theme);
    if (theme && !themeBoard) meta.append(el("span", "tag note__theme", theme.title));
    li.append(meta);

    const actions = el("div", "note__actions");
    if (!facilitator && !n.pending) voteControls(n, actions);
    if (facilitator && !n.pending && !onWall) {
      actions.append(el("span", "note__votes", votesText(n.votes)));
      moderation(n, actions);
    }
    if (n.mine && !editing.has(n.id) && canAct()) {
      actions.append(
        button(strings.edit, "edit", () => {
          editing.set(n.id, n.text);
          renderNote(n);
          document.querySelector(`#note-${n.id} textarea`)?.focus();
        }),
        button(strings.delete, "delete", () => {
          if (confirm(strings.confirmDelete)) queue("note.delete", { id: n.id });
        }),
      );
    }
    if (actions.children.length) li.append(actions);
    if (themeBoard && !n.pending) {
      li.draggable = true;
      li.append(themePicker(n.cluster, n.theme, (theme) => queue("note.theme", { id: n.id, theme }), n.id));
    }
    return li;
  }

  function votesText(votes) {
    return fill(votes === 1 ? strings.voteOne : strings.voteOther, { n: votes });
  }

  function voteControls(n, actions) {
    const mine = myVotes[n.id] || 0;
    const tally = session && !session.tallies_hidden ? votesText(n.votes) : strings.votesHidden;
    const count = el("span", "note__votes", tally);
    if (mine) count.append(" · " + fill(strings.yourVotes, { n: mine }));
    actions.append(count);
    if (!canAct()) return;
    const add = button(strings.vote, "vote", () => queue("vote.add", { note: n.id }));
    add.disabled = votesLeft() <= 0;
    add.setAttribute("aria-label", `${strings.vote}: ${n.text.slice(0, 60)}`);
    actions.append(add);
    if (mine) {
      const remove = button(strings.unvote, "unvote", () => queue("vote.remove", { note: n.id }));
      remove.setAttribute("aria-label", `${strings.unvote}: ${n.text.slice(0, 60)}`);
      actions.append(remove);
    }
  }

  function votesLeft() {
    if (!session) return 0;
    let used = 0;
    for (const v of Object.values(myVotes)) used += v;
    for (const p of pending) if (p.op === "vote.add") used++;
    return Math.max(0, session.vote_budget - used);
  }
  function renderVotesLeft() {
    const out = $("[data-live-votes-left]");
    if (out && session) out.textContent = fill(strings.votesLeft, { n: votesLeft(), budget: session.vote_budget });
  }

  function moderation(n, actions) {
    if (!session || session.state !== "open") return;
    actions.append(
      button(n.hidden ? strings.unhide : strings.hide, "hide", () => queue("note.hide", { id: n.id, hidden: !n.hidden })),
      button(strings.delete, "delete", () => {
        if (confirm(strings.confirmModerate)) queue("note.delete", { id: n.id });
      }),
    );
  }

  // Editing one's own note, in place.
  function noteEditor(n) {
    const box = el("div", "note__editor");
    const id = `edit-${n.id}`;
    const lab = el("label", "visually-hidden", strings.editLabel);
    lab.htmlFor = id;
    const area = el("textarea");
    area.id = id;
    area.rows = 3;
    area.maxLength = 500;
    area.value = editing.get(n.id);
    area.addEventListener("input", () => editing.set(n.id, area.value));
    const save = button(strings.save, "save", () => {
      const text = area.value.trim();
      editing.delete(n.id);
      if (text && text !== n.text) queue("note.update", { id: n.id, version: n.version, text });
      renderNote(n);
    });
    const cancel = button(strings.cancel, "cancel", () => {
      editing.delete(n.id);
      renderNote(n);
    });
    box.append(lab, area, el("div", "note__actions"));
    box.lastChild.append(save, cancel);
    return box;
  }

  // Where a note goes: the wall by kind, the console by theme, else one list.
  function listFor(n) {
    if (themeBoard && n.theme && themes.has(n.theme)) return themeBoard.querySelector(`[data-theme-notes="${n.theme}"]`) || list;
    return $(`[data-live-notes-${n.kind}]`) || list;
  }

  const shown = (n) => !onWall || (!n.private && !n.hidden);

  function renderNote(n) {
    const old = document.getElementById(`note-${n.id}`);
    if (!shown(n)) {
      old?.remove();
      renderWallPrivate();
      return;
    }
    const node = noteElement(n);
    const target = listFor(n);
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
    updateEmpty();
  }

  function renderAll() {
    list.replaceChildren();
    $$("[data-live-notes-kans], [data-live-notes-zorg], [data-live-notes-idee], [data-live-notes-vraag]").forEach((l) => l.replaceChildren());
    renderThemes();
    for (const n of notes.values()) if (shown(n)) listFor(n).prepend(noteElement(n));
    renderWallPrivate();
    renderPending(); // also the connection line, the votes left and the empty note
    renderExcerpts();
  }

  function renderPending() {
    root.querySelectorAll(".note--pending").forEach((e) => e.remove());
    for (const op of pending) {
      if (op.op !== "note.create") continue;
      const node = noteElement({ id: `pending-${op.op_id}`, kind: op.data.kind, cluster: op.data.cluster, text: op.data.text, mine: false, pending: true, author: "", role: "other" });
      node.classList.add("note--pending");
      node.querySelector(".note__meta").textContent = strings.pending;
      list.prepend(node);
    }
    setConnection(online);
    renderVotesLeft();
    updateEmpty();
  }

  function updateEmpty() {
    if (empty) empty.hidden = list.children.length > 0 || !!themeBoard?.querySelector(".note");
  }

  // The wall says how many notes wait for the reveal, without showing them.
  function renderWallPrivate() {
    const out = $("[data-live-waiting]");
    if (!out) return;
    let n = 0;
    for (const note of notes.values()) if (note.private && !note.hidden) n++;
    out.hidden = n === 0;
    out.textContent = fill(n === 1 ? strings.waitingRevealOne : strings.waitingRevealOther, { n });
  }

  function showNotice(text) {
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  // Themes (console): one drop zone per theme, grouped by cluster. A note
  // can be dragged onto a theme, or given one with its "Thema" list: the
  // same op, so the keyboard can do all that dragging does.

  function themePicker(cluster, current, onPick, forID) {
    const wrap = el("div", "theme-picker");
    const id = `theme-for-${forID}`;
    const lab = el("label", "", strings.theme);
    lab.htmlFor = id;
    const sel = el("select");
    sel.id = id;
    const none = el("option", "", strings.noTheme);
    none.value = "";
    sel.append(none);
    for (const t of themes.values()) {
      if (t.cluster !== cluster) continue;
      const o = el("option", "", t.title);
      o.value = t.id;
      sel.append(o);
    }
    sel.value = current && themes.has(current) ? current : "";
    sel.disabled = !session || session.state !== "open";
    sel.addEventListener("change", () => onPick(sel.value));
    wrap.append(lab, sel);
    return wrap;
  }

  function renderThemes() {
    if (!themeBoard) return;
    themeBoard.replaceChildren();
    const open = session && session.state === "open";
    for (const c of session ? session.clusters : []) {
      const ts = [...themes.values()].filter((t) => t.cluster === c.id);
      if (!ts.length) continue;
      const group = el("section", "theme-group");
      group.append(el("h3", "theme-group__title", c.label));
      for (const t of ts) {
        const box = el("div", "theme");
        box.dataset.theme = t.id;
        const head = el("div", "theme__head");
        head.append(el("h4", "theme__title", t.title));
        if (open) {
          head.append(
            button(strings.rename, "rename", () => {
              const title = prompt(strings.renamePrompt, t.title);
              if (title && title.trim() && title.trim() !== t.title) queue("theme.update", { id: t.id, title: title.trim() });
            }),
            button(strings.deleteTheme, "delete", () => {
              if (confirm(strings.confirmDeleteTheme)) queue("theme.delete", { id: t.id });
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
      themeBoard.append(group);
    }
  }

  if (themeBoard) {
    // Drag and drop: onto a theme groups, onto the notes list ungroups.
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
      const n = notes.get(noteID);
      if (!n || !zone) return false;
      if (!zone.dataset.theme) return true;
      return themes.get(zone.dataset.theme)?.cluster === n.cluster;
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
      const n = notes.get(id);
      if (!n || !accepts(zone, id)) return;
      const theme = zone.dataset.theme || "";
      if ((n.theme || "") !== theme) queue("note.theme", { id, theme });
    });

    const themeForm = $("[data-live-theme-form]");
    themeForm?.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(themeForm);
      const title = String(data.get("title") || "").trim();
      if (!title) return;
      queue("theme.create", { cluster: data.get("cluster"), title });
      themeForm.reset();
      const sel = themeForm.querySelector("select[name=cluster]");
      if (sel && session && session.focus) sel.value = session.focus;
    });
  }

  // Interview excerpts: listed per cluster, searchable by text and tag.

  const search = $("[data-live-excerpt-search]");
  search?.addEventListener("input", () => renderExcerpts());

  function excerptElement(x) {
    const li = el("li", "excerpt");
    li.id = `excerpt-${x.id}`;
    li.append(el("blockquote", "excerpt__text", x.text));
    const meta = el("p", "note__meta", `${label("source", x.source)} · ${clusterLabel(x.cluster)}` + (x.mine ? ` · ${strings.mineExcerpt}` : ""));
    li.append(meta);
    if (x.tags.length) {
      const tags = el("p", "excerpt__tags");
      for (const t of x.tags) {
        const b = button(t, "tag", () => {
          if (search) {
            search.value = t;
            renderExcerpts();
            search.focus();
          }
        });
        b.setAttribute("aria-label", fill(strings.searchTag, { tag: t }));
        tags.append(b);
      }
      li.append(tags);
    }
    if (themeBoard) li.append(themePicker(x.cluster, x.theme, (theme) => queue("excerpt.theme", { id: x.id, theme }), x.id));
    return li;
  }

  function renderExcerpts() {
    if (!excerptList) return;
    const q = (search?.value || "").trim().toLowerCase();
    const matches = (x) => !q || x.text.toLowerCase().includes(q) || x.tags.some((t) => t.includes(q)) || clusterLabel(x.cluster).toLowerCase().includes(q);
    excerptList.replaceChildren();
    themeBoard?.querySelectorAll("[data-theme-excerpts]").forEach((u) => u.replaceChildren());
    let shown = 0;
    for (const x of [...excerpts.values()].reverse()) {
      const inTheme = themeBoard && x.theme && themeBoard.querySelector(`[data-theme-excerpts="${x.theme}"]`);
      if (inTheme) inTheme.append(excerptElement(x));
      if (!matches(x)) continue;
      if (!inTheme) excerptList.append(excerptElement(x));
      shown++;
    }
    const count = $("[data-live-excerpt-count]");
    if (count) count.textContent = q ? fill(strings.searchResults, { n: shown }) : "";
    const none = $("[data-live-excerpts-empty]");
    if (none) none.hidden = excerpts.size > 0;
  }

  // Forms: a note, an excerpt. Before sending, the privacy guard looks at
  // the text (the server's own guard, so warning and removal agree); if it
  // finds something, the author chooses to change the text or send it as
  // it is, knowing what will be removed. Offline, the check is skipped:
  // the server removes what it must anyway and says so in its answer.

  async function privacyCheck(text) {
    try {
      const res = await fetch("/api/privacy-check", {
        method: "POST",
        credentials: "same-origin",
        referrerPolicy: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(2500),
      });
      if (res.ok) return await res.json();
    } catch {
      // Offline or slow: send; the server's guard still applies.
    }
    return null;
  }

  function guarded(formEl, textarea, submit) {
    const warning = formEl.querySelector("[data-live-privacy-warning]");
    const message = warning?.querySelector("[data-live-privacy-message]");
    let approved = null; // the text the author chose to send as it is
    formEl.addEventListener("submit", async (e) => {
      e.preventDefault();
      const text = textarea.value.trim();
      if (!text) {
        textarea.focus();
        return;
      }
      if (warning && approved !== text) {
        const verdict = await privacyCheck(text);
        if (verdict && verdict.removed.length) {
          message.textContent = verdict.message;
          warning.hidden = false;
          warning.querySelector("[data-live-send-anyway]").focus();
          approved = null;
          return;
        }
      }
      if (warning) warning.hidden = true;
      approved = null;
      submit(text);
    });
    warning?.querySelector("[data-live-send-anyway]").addEventListener("click", () => {
      approved = textarea.value.trim();
      formEl.requestSubmit();
    });
    warning?.querySelector("[data-live-change]").addEventListener("click", () => {
      warning.hidden = true;
      textarea.focus();
    });
    textarea.addEventListener("input", () => warning && (warning.hidden = true));
  }

  function counter(textarea, out, max) {
    const update = () => (out.textContent = fill(strings.charsLeft, { n: max - [...textarea.value].length }));
    textarea.addEventListener("input", update);
    update();
    return update;
  }

  if (form) {
    const textarea = form.querySelector("textarea");
    const updateCount = counter(textarea, form.querySelector("[data-live-count]"), 500);
    guarded(form, textarea, (text) => {
      const data = new FormData(form);
      queue("note.create", { cluster: data.get("cluster"), kind: data.get("kind"), text });
      textarea.value = "";
      updateCount();
      if (notice) notice.hidden = true;
      textarea.focus();
    });
  }

  const excerptForm = $("[data-live-excerpt-form]");
  if (excerptForm) {
    const textarea = excerptForm.querySelector("textarea");
    const updateCount = counter(textarea, excerptForm.querySelector("[data-live-count]"), 2000);
    guarded(excerptForm, textarea, (text) => {
      const data = new FormData(excerptForm);
      const tags = String(data.get("tags") || "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)
        .slice(0, 8);
      queue("excerpt.create", { cluster: data.get("cluster"), source: data.get("source"), text, tags });
      excerptForm.reset();
      updateCount();
      const sel = excerptForm.querySelector("select[name=cluster]");
      if (sel && session && session.focus) sel.value = session.focus;
      const sent = excerptForm.querySelector("[data-live-excerpt-notice]");
      sent.textContent = strings.excerptSent;
      sent.hidden = false;
    });
  }

  // The shared timer: every screen counts down to the same moment.
  const timers = $$("[data-live-timer]");
  if (timers.length) {
    let wasRunning = false;
    setInterval(() => {
      const end = session && session.timer_ends_at ? Date.parse(session.timer_ends_at) : 0;
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const text = end ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "";
      timers.forEach((t) => {
        t.textContent = text;
        t.classList.toggle("timer--done", !!end && left === 0);
      });
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
        queue("session.timer", { seconds: session.timer_ends_at && Date.parse(session.timer_ends_at) > Date.now() ? 0 : 300 });
      } else if (key === "r") {
        if (session.private) queue("session.private", { on: false });
        if (session.tallies_hidden) queue("session.tallies", { on: false });
      } else if (key === "l") {
        queue("session.lock", { on: !session.locked });
      }
    });
  }

  // The console and the wall show how many people are connected.
  const present = $$("[data-live-present]");
  if (present.length) {
    const poll = async () => {
      try {
        const res = await fetch(`/api/sessions/${sessionID}`, { credentials: "same-origin", referrerPolicy: "same-origin", headers: { Accept: "application/json" } });
        if (res.ok) {
          const n = String((await res.json()).present);
          present.forEach((p) => (p.textContent = n));
        }
      } catch {
        // Offline: the connection line already says so.
      }
    };
    poll();
    setInterval(poll, 5000);
  }

  // Notes written before a reload, offline, show at once as waiting.
  renderPending();
  setConnection(false);
  connect();
}
