// What the phone and the wall show of the session's facilitation state:
// phase, focus, and whether it takes input. Each function returns a view
// for Room.sessionViews: (session, before) => void, where before is the
// state the page had (null at first).

import { fill, label, strings } from "./strings.js";

// showPhase names the phase (phone, wall).
export function showPhase(room) {
  const labels = room.root.querySelectorAll("[data-live-phase]");
  return (s) => labels.forEach((el) => (el.textContent = label("phase", s.phase)));
}

// showFocusPanels shows the panel of the cluster in focus, the first one
// when there is no focus (wall). Charts drawn while hidden need a resize
// once they show.
export function showFocusPanels(room) {
  const panels = room.root.querySelectorAll("[data-live-cluster]");
  return (s) => {
    if (!panels.length) return;
    const focus = s.focus || panels[0].dataset.liveCluster;
    panels.forEach((p) => (p.hidden = p.dataset.liveCluster !== focus));
    window.dispatchEvent(new Event("resize"));
  };
}

// showFocus names the cluster in focus, and says so when it moves (phone).
export function showFocus(room) {
  const focusLabel = room.root.querySelector("[data-live-focus-label]");
  return (s, before) => {
    focusLabel.textContent = s.focus ? room.state.clusterLabel(s.focus) : strings.noFocus;
    if (before && before.focus !== s.focus && s.focus) room.say(fill(strings.focusMoved, { cluster: room.state.clusterLabel(s.focus) }));
  };
}

// showNotices shows what belongs to a closed, locked or private session:
// the phone's notices, the wall's end screen, the console's report link.
export function showNotices(room) {
  const all = (sel) => room.root.querySelectorAll(sel);
  return (s) => {
    const closed = s.state === "closed";
    all("[data-live-closed]").forEach((el) => (el.hidden = !closed));
    all("[data-live-locked]").forEach((el) => (el.hidden = !s.locked || closed));
    all("[data-live-private]").forEach((el) => (el.hidden = !s.private || closed));
  };
}

// followSession: the phone's forms follow the facilitator's focus; a
// locked or closed session takes no input.
export function followSession(room) {
  return (s, before) => {
    const closed = s.state === "closed";
    room.root.querySelectorAll("form[data-live-input]").forEach((f) => {
      f.hidden = closed;
      const select = f.querySelector("select[name=cluster]");
      if (select && s.focus && (!before || before.focus !== s.focus)) select.value = s.focus;
      f.querySelectorAll("textarea, button, select, input").forEach((el) => (el.disabled = !!s.locked));
    });
  };
}
