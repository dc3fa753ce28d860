// Who is present, on the console: every participant of the session with
// their pseudonym, role and whether they are connected, asked every five
// seconds. While the session is open the facilitator can remove one: the
// server stops their token and closes their connections; their notes stay
// (take them off the wall if they should go). The server audits it.

import { button, el } from "./dom.js";
import { confirmDialog } from "./dialog.js";
import { fill, label, strings } from "./strings.js";

export class People {
  constructor(room) {
    this.room = room;
    const root = room.root;
    this.list = root.querySelector("[data-live-people]");
    this.count = root.querySelector("[data-live-people-count]");
    this.empty = root.querySelector("[data-live-people-empty]");
    this.present = root.querySelectorAll("[data-live-present]");
    this.people = [];
  }

  start() {
    this.poll();
    setInterval(() => this.poll(), 5000);
  }

  async poll() {
    try {
      const res = await fetch(`/api/sessions/${this.room.sessionID}`, { credentials: "same-origin", referrerPolicy: "same-origin", headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const s = await res.json();
      this.present.forEach((p) => (p.textContent = String(s.present)));
      this.people = s.participants || [];
      this.render();
    } catch {
      // Offline: the connection line already says so.
    }
  }

  // removed is called when the server acknowledged a removal.
  removed(id) {
    const p = this.people.find((x) => x.id === id);
    if (p) {
      p.removed = true;
      p.connected = false;
      this.room.say(fill(strings.peopleRemovedShort, { name: p.pseudonym }));
    }
    this.render();
    this.poll();
  }

  render() {
    const session = this.room.state.session;
    const open = !!session && session.state === "open";
    // Connected first, then the others, the removed last; in the order
    // they joined within each.
    const rank = (p) => (p.removed ? 2 : p.connected ? 0 : 1);
    const people = [...this.people].sort((a, b) => rank(a) - rank(b));
    const focused = this.list.contains(document.activeElement) ? document.activeElement.closest("[data-person]")?.dataset.person : null;
    this.list.replaceChildren();
    for (const p of people) {
      const state = p.removed ? "removed" : p.connected ? "connected" : "away";
      const li = el("li", `person person--${state}`);
      li.dataset.person = p.id;
      li.append(el("span", "person__dot"), el("span", "person__name", p.pseudonym), el("span", "person__role", label("role", p.role)));
      li.append(el("span", "person__state", p.removed ? strings.peopleRemoved : p.connected ? strings.peopleConnected : strings.peopleAway));
      if (open && !p.removed) {
        const b = button(strings.peopleRemove, "remove", async () => {
          if (await confirmDialog(fill(strings.peopleRemoveText, { name: p.pseudonym }), strings.peopleRemoveOk)) {
            this.room.queue("participant.remove", { participant: p.id });
          }
        });
        b.setAttribute("aria-label", fill(strings.peopleRemoveLabel, { name: p.pseudonym }));
        li.append(b);
      }
      this.list.append(li);
    }
    if (focused) this.list.querySelector(`[data-person="${focused}"] button`)?.focus();
    const connected = this.people.filter((p) => p.connected).length;
    this.count.textContent = this.people.length ? fill(strings.peopleCount, { n: connected, total: this.people.filter((p) => !p.removed).length }) : "";
    this.empty.hidden = this.people.length > 0;
  }
}
