// The shared timer: every screen counts down to the same moment, the
// session's timer_ends_at, and says when the time is up.

import { strings } from "./strings.js";

export function startTimer(room) {
  const timers = room.root.querySelectorAll("[data-live-timer]");
  if (!timers.length) return;
  let wasRunning = false;
  setInterval(() => {
    const session = room.state.session;
    const end = session && session.timer_ends_at ? Date.parse(session.timer_ends_at) : 0;
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const text = end ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "";
    timers.forEach((t) => {
      t.textContent = text;
      t.classList.toggle("timer--done", !!end && left === 0);
    });
    if (wasRunning && left === 0) room.say(strings.timeUp);
    wasRunning = end > 0 && left > 0;
  }, 500);
}
