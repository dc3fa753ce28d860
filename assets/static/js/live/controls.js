// The facilitator's tools: the console's controls, the wall's keyboard
// shortcuts, and how many people are connected.

import { label } from "./strings.js";

// controls makes the console's buttons and lists send their op, and
// returns the view that keeps them, and the session's state, up to date.
export function controls(room) {
  const root = room.root;
  root.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-live-op]");
    if (!b) return;
    let data = JSON.parse(b.dataset.liveData || "{}");
    const session = room.state.session;
    if (b.dataset.liveToggle) data = { on: !(session && session[b.dataset.liveToggle]) };
    room.queue(b.dataset.liveOp, data);
  });
  root.addEventListener("change", (e) => {
    const sel = e.target.closest("select[data-live-op]");
    if (sel) room.queue(sel.dataset.liveOp, { [sel.dataset.liveField]: sel.value });
  });
  const toggles = root.querySelectorAll("[data-live-toggle]");
  const fields = root.querySelectorAll("select[data-live-field]");
  const state = root.querySelector("[data-live-state]");
  return (s) => {
    toggles.forEach((b) => b.setAttribute("aria-pressed", String(!!s[b.dataset.liveToggle])));
    fields.forEach((sel) => {
      const v = sel.dataset.liveField === "phase" ? s.phase : s.focus;
      if (v !== undefined) sel.value = v;
    });
    if (state) {
      state.textContent = label("state", s.state);
      state.className = `state state--${s.state}`;
    }
  };
}

// shortcuts are the wall's keys, for the facilitator at the laptop: N the
// next cluster, T the timer, R reveal, L lock.
export function shortcuts(room) {
  document.addEventListener("keydown", (e) => {
    const session = room.state.session;
    if (e.ctrlKey || e.metaKey || e.altKey || !session || e.target.closest("input, textarea, select")) return;
    const key = e.key.toLowerCase();
    if (key === "n") {
      const ids = session.clusters.map((c) => c.id);
      const next = ids[(ids.indexOf(session.focus) + 1) % ids.length];
      room.queue("session.focus", { cluster: next });
    } else if (key === "t") {
      room.queue("session.timer", { seconds: session.timer_ends_at && Date.parse(session.timer_ends_at) > Date.now() ? 0 : 300 });
    } else if (key === "r") {
      if (session.private) room.queue("session.private", { on: false });
      if (session.tallies_hidden) room.queue("session.tallies", { on: false });
    } else if (key === "l") {
      room.queue("session.lock", { on: !session.locked });
    }
  });
}

// presence shows how many people are connected, asked every five seconds;
// onInfo, if given, gets the whole answer (the wall counts who joined).
export function presence(room, onInfo) {
  const present = room.root.querySelectorAll("[data-live-present]");
  if (!present.length) return;
  const poll = async () => {
    try {
      const res = await fetch(`/api/sessions/${room.sessionID}`, { credentials: "same-origin", referrerPolicy: "same-origin", headers: { Accept: "application/json" } });
      if (res.ok) {
        const info = await res.json();
        present.forEach((p) => (p.textContent = String(info.present)));
        onInfo?.(info);
      }
    } catch {
      // Offline: the connection line already says so.
    }
  };
  poll();
  setInterval(poll, 5000);
}
