// The console's controls of the projected wall (part_wall_controls.html):
// which view the wall shows, which variable of the cluster in focus its
// chart projects, and whether the large join panel is back. Each sends a
// facilitator op; the wall follows the session state they change.

import { el } from "./dom.js";

// wallControls wires the controls, and returns the view (for
// Room.sessionViews) that keeps them up to date.
export function wallControls(room) {
  const box = room.root.querySelector("[data-wall-controls]");
  if (!box) return () => {};
  const viewButtons = box.querySelectorAll("[data-wall-view]");
  const picker = box.querySelector("[data-wall-variable-picker]");
  const hint = box.querySelector("[data-wall-variable-hint]");
  const join = box.querySelector("[data-wall-join-toggle]");
  let clusters = null; // from GET /api/sessions/{id}/wall
  let shown = null; // the session last shown

  viewButtons.forEach((b) => b.addEventListener("click", () => room.queue("session.view", { view: b.dataset.wallView })));
  join.addEventListener("click", () => room.queue("session.join", { on: !(shown && shown.join_large) }));
  picker.addEventListener("change", () => room.queue("session.variable", { variable: picker.value }));

  // fillPicker lists the variables of the cluster in focus; the first is
  // the wall's default, so the empty choice names it.
  const fillPicker = (s) => {
    const cluster = clusters?.find((c) => c.id === s.focus);
    const options = [el("option", "", picker.dataset.defaultLabel)];
    options[0].value = "";
    for (const v of cluster?.variables || []) {
      const o = el("option", "", v.label);
      o.value = v.name;
      options.push(o);
    }
    picker.replaceChildren(...options);
    picker.disabled = !cluster || !cluster.variables.length;
    hint.hidden = !!s.focus;
    picker.value = cluster?.variables.some((v) => v.name === s.wall_variable) ? s.wall_variable : "";
  };

  fetch(`/api/sessions/${room.sessionID}/wall`, { credentials: "same-origin", referrerPolicy: "same-origin", headers: { Accept: "application/json" } })
    .then((res) => (res.ok ? res.json() : null))
    .then((data) => {
      clusters = data?.clusters || [];
      if (shown) fillPicker(shown);
    })
    .catch(() => {
      // Offline: the picker stays at the default, which the wall shows.
    });

  return (s) => {
    shown = s;
    viewButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.wallView === (s.wall_view || "notes"))));
    join.setAttribute("aria-pressed", String(!!s.join_large));
    fillPicker(s);
  };
}
