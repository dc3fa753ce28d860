// The wall, projected for the room: the cluster in focus with its chart,
// the notes in a column per kind, the timer, and keyboard shortcuts for the
// facilitator at the laptop. It shows no private note before the reveal
// and no note taken down.

import { presence, shortcuts } from "./live/controls.js";
import { NoteList } from "./live/notes.js";
import { Room } from "./live/room.js";
import { showFocusPanels, showNotices, showPhase } from "./live/session.js";
import { startTimer } from "./live/timer.js";

const room = new Room(document.querySelector("[data-live-session]"), { facilitator: true });
room.notes = new NoteList(room, { wall: true });
room.sessionViews.push(showPhase(room), showFocusPanels(room), showNotices(room));
startTimer(room);
shortcuts(room);
presence(room);
room.start();
