// The facilitator's console, a tool at a laptop: every note on a dense
// board with filters and an order, the theme board beside it, the
// excerpts, the controls of the session with its timer and agenda, and who
// is present.

import { Agenda } from "./live/agenda.js";
import { BoardFilter } from "./live/board.js";
import { controls } from "./live/controls.js";
import { dialogs } from "./live/dialog.js";
import { ExcerptList } from "./live/excerpts.js";
import { NoteList } from "./live/notes.js";
import { People } from "./live/people.js";
import { Room } from "./live/room.js";
import { showNotices } from "./live/session.js";
import { ThemeBoard } from "./live/themes.js";
import { startTimer } from "./live/timer.js";
import { timerControls } from "./live/timercontrols.js";
import { wallControls } from "./live/wallcontrols.js";

const room = new Room(document.querySelector("[data-live-session]"), { facilitator: true });
room.themes = new ThemeBoard(room);
room.notes = new NoteList(room, { moderation: true, board: room.themes });
room.excerpts = new ExcerptList(room, { board: room.themes });
const board = new BoardFilter(room);
const agenda = new Agenda(room);
const people = new People(room);
room.sessionViews.push(controls(room), showNotices(room), agenda.view(), () => people.render(), wallControls(room));

// The board's filters and order apply to whatever the room draws.
for (const name of ["renderAll", "renderNote", "removeNote", "renderPending"]) {
  const draw = room[name].bind(room);
  room[name] = (...args) => {
    draw(...args);
    board.apply();
  };
}
// A removal the server acknowledged shows in the list at once.
const ack = room.ack.bind(room);
room.ack = (m, op) => {
  ack(m, op);
  if (op && op.op === "participant.remove") people.removed(op.data.participant);
};

dialogs(room.root);
timerControls(room);
startTimer(room);
people.start();
room.start();
