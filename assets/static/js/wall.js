// The wall, projected for the room: the view the facilitator chose (the
// notes, the themes, the results of the votes or a chart) of the cluster
// in focus, the join code, the timer, and keyboard shortcuts for the
// facilitator at the laptop. It shows no private note before the reveal,
// no note taken down and no hidden vote total.

import { presence, shortcuts } from "./live/controls.js";
import { Room } from "./live/room.js";
import { showNotices, showPhase } from "./live/session.js";
import { startTimer } from "./live/timer.js";
import { WallBoard } from "./live/wallboard.js";

const room = new Room(document.querySelector("[data-live-session]"), { facilitator: true });
const board = new WallBoard(room);
room.notes = board;
room.sessionViews.push(showPhase(room), showNotices(room), board.session());
startTimer(room);
shortcuts(room);
board.keys();
presence(room, (info) => board.people(info));
room.start();
