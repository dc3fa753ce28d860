// The participant's phone in a live session: write notes, vote, edit one's
// own notes, read and (as a professional) add interview excerpts, and
// follow the facilitator's phase, focus and timer.

import { ExcerptList } from "./live/excerpts.js";
import { excerptForm, noteForm } from "./live/forms.js";
import { NoteList } from "./live/notes.js";
import { Room } from "./live/room.js";
import { followSession, showFocus, showNotices, showPhase } from "./live/session.js";
import { startTimer } from "./live/timer.js";

const room = new Room(document.querySelector("[data-live-session]"), { facilitator: false });
room.notes = new NoteList(room, { voting: true });
room.excerpts = new ExcerptList(room);
room.sessionViews.push(showPhase(room), showFocus(room), showNotices(room), followSession(room));
noteForm(room);
excerptForm(room);
startTimer(room);
room.start();
