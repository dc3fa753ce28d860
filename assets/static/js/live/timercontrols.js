// The console's timer: a length of 1 to 60 minutes, started for everyone,
// and one more minute while it runs (or a minute from now when it does
// not). Every screen counts down to the same moment (timer.js).

const maxSeconds = 2 * 60 * 60; // the server's longest timer (MaxTimer)

export function timerControls(room) {
  const root = room.root;
  const minutes = root.querySelector("[data-live-timer-minutes]");
  if (!minutes) return;
  const start = () => {
    if (!minutes.reportValidity()) return;
    const m = Math.min(60, Math.max(1, parseInt(minutes.value, 10) || 5));
    room.queue("session.timer", { seconds: m * 60 });
  };
  root.querySelector("[data-live-timer-start]")?.addEventListener("click", start);
  minutes.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      start();
    }
  });
  root.querySelector("[data-live-timer-add]")?.addEventListener("click", () => {
    const s = room.state.session;
    const end = s && s.timer_ends_at ? Date.parse(s.timer_ends_at) : 0;
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    room.queue("session.timer", { seconds: Math.min(maxSeconds, left + 60) });
  });
}
