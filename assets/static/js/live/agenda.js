// The agenda on the console: the phases the facilitator planned, with
// their minutes, followed during the session. The step in progress is
// marked, each step shows the time spent beside the time planned, and a
// step's Start button moves the room to its phase with a timer of its
// minutes.
//
// The server keeps the plan, not the clock: the time spent per step is
// measured by this console (kept in the browser's storage per session, so a
// reload keeps it) from the moments it saw the phase change.

import { button, el } from "./dom.js";
import { fill, label, plural, strings } from "./strings.js";

const minute = 60 * 1000;
const maxTimerMinutes = 120; // the server's longest timer (MaxTimer)

export class Agenda {
  constructor(room) {
    this.room = room;
    const root = room.root;
    this.list = root.querySelector("[data-live-agenda]");
    this.total = root.querySelector("[data-live-agenda-total]");
    this.empty = root.querySelector("[data-live-agenda-empty]");
    this.form = root.querySelector("[data-live-agenda-form]");
    this.key = `atelier-agenda-${room.sessionID}`;
    this.clock = this.load(); // {step, since, spent: {step index: ms}}
    this.form?.addEventListener("submit", (e) => this.submit(e));
    setInterval(() => this.tick(), 1000);
  }

  load() {
    try {
      const c = JSON.parse(localStorage.getItem(this.key) || "null");
      if (c && typeof c.spent === "object") return c;
    } catch {
      // Storage refused or spoilt: start counting afresh.
    }
    return { step: -1, since: 0, spent: {} };
  }

  save() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.clock));
    } catch {
      // Private browsing: the clock lives as long as the page.
    }
  }

  // view is the room's session view: it follows the phase and redraws.
  view() {
    return (s) => {
      this.follow(s);
      this.render(s);
    };
  }

  // follow moves the clock to the step of the session's phase: the step in
  // progress if it has that phase, else the next step with it, else the
  // first. A closed or draft session stops the clock.
  follow(s) {
    const c = this.clock;
    const agenda = s.agenda || [];
    let step = -1;
    if (s.state === "open") {
      if (agenda[c.step]?.phase === s.phase) step = c.step;
      else {
        const after = agenda.findIndex((it, i) => i > c.step && it.phase === s.phase);
        step = after >= 0 ? after : agenda.findIndex((it) => it.phase === s.phase);
      }
    }
    if (step === c.step && (step < 0 || c.since)) return;
    this.stopClock();
    c.step = step;
    c.since = step >= 0 ? Date.now() : 0;
    this.save();
  }

  stopClock() {
    const c = this.clock;
    if (c.step >= 0 && c.since) c.spent[c.step] = (c.spent[c.step] || 0) + (Date.now() - c.since);
    c.since = 0;
  }

  spent(i) {
    const c = this.clock;
    return (c.spent[i] || 0) + (i === c.step && c.since ? Date.now() - c.since : 0);
  }

  render(s) {
    const agenda = s.agenda || [];
    const open = s.state === "open";
    this.list.replaceChildren();
    this.empty.hidden = agenda.length > 0;
    agenda.forEach((it, i) => {
      const li = el("li", "agenda__item");
      li.dataset.step = String(i);
      const name = el("span", "agenda__phase", label("phase", it.phase));
      const time = el("span", "agenda__time");
      li.append(name, " ", time);
      if (i === this.clock.step) {
        li.classList.add("agenda__item--now");
        li.setAttribute("aria-current", "step");
        name.append(el("span", "agenda__now", strings.agendaNow));
      }
      if (open) {
        const start = button(strings.agendaStart, "agenda-start", () => this.start(i, it));
        start.setAttribute("aria-label", fill(strings.agendaStartLabel, { phase: label("phase", it.phase), n: Math.min(it.minutes, maxTimerMinutes) }));
        li.append(start);
      }
      this.list.append(li);
    });
    this.fillForm(agenda);
    this.tick();
  }

  // fillForm keeps the form's rows in step with the agenda another console
  // may have changed, unless someone is editing them here.
  fillForm(agenda) {
    if (!this.form || this.form.contains(document.activeElement)) return;
    const phases = this.form.querySelectorAll("select[name=phase]");
    const minutes = this.form.querySelectorAll("input[name=minutes]");
    phases.forEach((sel, i) => {
      sel.value = agenda[i]?.phase || "";
      minutes[i].value = agenda[i]?.minutes || "";
    });
  }

  // tick updates the times: spent of planned per step, and the totals.
  tick() {
    const s = this.room.state.session;
    if (!s) return;
    const agenda = s.agenda || [];
    let spentAll = 0;
    this.list.querySelectorAll("[data-step]").forEach((li) => {
      const i = Number(li.dataset.step);
      const it = agenda[i];
      if (!it) return;
      if (s.state === "draft") {
        // Not started: the plan only, as the server drew it.
        li.querySelector(".agenda__time").textContent = plural("agendaMinutes", it.minutes);
        return;
      }
      const spent = this.spent(i);
      spentAll += spent;
      const over = spent - it.minutes * minute;
      let text = fill(strings.agendaSpent, { spent: clock(spent), planned: it.minutes });
      if (over >= minute) text += " · " + fill(strings.agendaOver, { n: Math.floor(over / minute) });
      li.querySelector(".agenda__time").textContent = text;
      li.classList.toggle("agenda__item--over", over > 0);
    });
    const planned = agenda.reduce((sum, it) => sum + it.minutes, 0);
    if (this.total) this.total.textContent = agenda.length ? fill(strings.agendaTotal, { planned, spent: Math.floor(spentAll / minute) }) : "";
  }

  // start moves the room to a step: its phase, and a timer of its minutes.
  start(i, it) {
    this.stopClock();
    this.clock.step = i;
    this.clock.since = Date.now();
    this.save();
    this.room.queue("session.phase", { phase: it.phase });
    this.room.queue("session.timer", { seconds: Math.min(it.minutes, maxTimerMinutes) * 60 });
    this.render(this.room.state.session);
  }

  // submit: while the session is open, the agenda changes through the live
  // engine, so every console follows; a draft posts the form instead.
  submit(e) {
    const s = this.room.state.session;
    if (!s || s.state !== "open") return;
    e.preventDefault();
    const phases = this.form.querySelectorAll("select[name=phase]");
    const minutes = this.form.querySelectorAll("input[name=minutes]");
    const agenda = [];
    phases.forEach((sel, i) => {
      if (sel.value) agenda.push({ phase: sel.value, minutes: parseInt(minutes[i].value, 10) || 0 });
    });
    this.room.queue("session.agenda", { agenda });
    this.form.closest("details")?.removeAttribute("open");
  }
}

// clock writes a duration as minutes and seconds: 12:05.
function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
