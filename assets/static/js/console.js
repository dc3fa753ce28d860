// The facilitator's console: every note with its tally and moderation, the
// theme board, the excerpts, and the controls of the session.

import { controls, presence } from "./live/controls.js";
import { ExcerptList } from "./live/excerpts.js";
import { NoteList } from "./live/notes.js";
import { Room } from "./live/room.js";
import { showNotices } from "./live/session.js";
import { ThemeBoard } from "./live/themes.js";

const room = new Room(document.querySelector("[data-live-session]"), { facilitator: true });
room.themes = new ThemeBoard(room);
room.notes = new NoteList(room, { moderation: true, board: room.themes });
room.excerpts = new ExcerptList(room, { board: room.themes });
room.sessionViews.push(controls(room), showNotices(room));
presence(room);
room.start();
