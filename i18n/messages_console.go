package i18n

func init() { register(consoleMessages) }

// consoleMessages holds the texts of the facilitator's console at a laptop
// (the board's filters, the timer, the agenda, who is present, closing) and
// of the phone's help with kinds, votes and tags.
var consoleMessages = map[string]Text{
	"console.timer":         {"Timer", "Timer"},
	"console.timer_minutes": {"Lengte van de timer in minuten (1 tot 60)", "Length of the timer in minutes (1 to 60)"},
	"console.minutes_unit":  {"min", "min"},
	"console.timer_start":   {"Start", "Start"},
	"console.timer_add":     {"+1 min", "+1 min"},
	"console.hide_short":    {"Weghalen", "Take off"},
	"console.delete_short":  {"Wissen", "Erase"},
	"console.close_title":   {"Sessie afsluiten?", "Close the session?"},
	"console.close_text":    {"Daarna kan niemand meer iets toevoegen of stemmen, en de code werkt niet meer. Dit kan niet ongedaan worden gemaakt.", "After this nobody can add or vote any more, and the code stops working. This cannot be undone."},
	"console.close_confirm": {"Ja, sessie afsluiten", "Yes, close the session"},

	"board.filters":      {"Notities filteren en sorteren", "Filter and sort notes"},
	"board.all_kinds":    {"Alle soorten", "All kinds"},
	"board.all_clusters": {"Alle groepen", "All groups"},
	"board.all_themes":   {"Alle thema's", "All themes"},
	"board.no_theme":     {"Zonder thema", "Without a theme"},
	"board.hidden":       {"Van de wand", "Taken off the wall"},
	"board.hidden_too":   {"Ook weggehaalde", "Include taken off"},
	"board.hidden_not":   {"Zonder weggehaalde", "Without taken off"},
	"board.hidden_only":  {"Alleen weggehaalde", "Only taken off"},
	"board.sort":         {"Volgorde", "Order"},
	"board.sort_newest":  {"Nieuwste eerst", "Newest first"},
	"board.sort_votes":   {"Meeste stemmen", "Most votes"},
	"board.count.one":    {"%[2]s van %[1]s notitie", "%[2]s of %[1]s note"},
	"board.count.other":  {"%[2]s van %[1]s notities", "%[2]s of %[1]s notes"},

	"sessions.agenda_live": {"Deze sessie loopt: pas de agenda aan in de console, dan volgt iedereen.", "This session is running: change the agenda on the console, so everyone follows."},

	"agenda.title":       {"Agenda", "Agenda"},
	"agenda.none":        {"Nog geen agenda. Plan de fasen met hun minuten.", "No agenda yet. Plan the phases with their minutes."},
	"agenda.plan":        {"Agenda plannen", "Plan the agenda"},
	"agenda.change":      {"Agenda aanpassen", "Change the agenda"},
	"agenda.form_hint":   {"Kies per stap een fase en de minuten die ze mag duren. Lege stappen vallen weg.", "Choose a phase per step and the minutes it may take. Empty steps are left out."},
	"agenda.step":        {"Stap", "Step"},
	"agenda.minutes":     {"Minuten", "Minutes"},
	"agenda.phase_of":    {"Fase van stap %[1]d", "Phase of step %[1]d"},
	"agenda.minutes_of":  {"Minuten van stap %[1]d", "Minutes of step %[1]d"},
	"agenda.save":        {"Agenda bewaren", "Save the agenda"},
	"agenda.saved":       {"De agenda is bewaard.", "The agenda is saved."},
	"agenda.now":         {"nu", "now"},
	"agenda.spent":       {"%[1]s van %[2]s min", "%[1]s of %[2]s min"},
	"agenda.start":       {"Start", "Start"},
	"agenda.start_label": {"Start %[1]s met een timer van %[2]s minuten", "Start %[1]s with a timer of %[2]s minutes"},
	"agenda.total":       {"Gepland %[1]s min · verstreken %[2]s min", "Planned %[1]s min · spent %[2]s min"},
	"agenda.over":        {"%[1]s min over de planning", "%[1]s min over plan"},

	"people.title":         {"Deelnemers", "Participants"},
	"people.none":          {"Nog niemand doet mee.", "Nobody has joined yet."},
	"people.count":         {"%[1]s verbonden · %[2]s aangemeld", "%[1]s connected · %[2]s joined"},
	"people.connected":     {"verbonden", "connected"},
	"people.away":          {"niet verbonden", "not connected"},
	"people.removed":       {"verwijderd", "removed"},
	"people.remove":        {"Verwijderen", "Remove"},
	"people.remove_label":  {"%[1]s uit de sessie verwijderen", "Remove %[1]s from the session"},
	"people.remove_ok":     {"Uit de sessie verwijderen", "Remove from the session"},
	"people.remove_text":   {"%[1]s uit de sessie verwijderen? Die persoon kan daarna niets meer toevoegen of stemmen. Hun notities blijven staan; haal ze zelf van de wand als dat nodig is. Dit wordt vastgelegd.", "Remove %[1]s from the session? They can no longer add or vote. Their notes stay; take them off the wall yourself if needed. This is recorded."},
	"people.removed_short": {"%[1]s is uit de sessie verwijderd.", "%[1]s has been removed from the session."},

	"phone.removed":       {"De begeleider heeft je uit deze sessie gehaald. Je kunt niets meer toevoegen of stemmen; wat je schreef blijft staan.", "The facilitator removed you from this session. You can no longer add or vote; what you wrote stays."},
	"phone.removed_short": {"Niet meer verbonden: je bent uit de sessie gehaald.", "No longer connected: you were removed from the session."},

	"kind.kans.hint":  {"wat al goed gaat of kan helpen", "what already works or could help"},
	"kind.zorg.hint":  {"wat misgaat of je zorgen baart", "what goes wrong or worries you"},
	"kind.idee.hint":  {"een voorstel: zo kan het anders", "a proposal: how it could be different"},
	"kind.vraag.hint": {"wat je wilt weten of nog niet snapt", "what you want to know or don't get yet"},

	"vote.left.one":   {"Je hebt nog %[2]s van %[1]s stem.", "You have %[2]s of %[1]s vote left."},
	"vote.left.other": {"Je hebt nog %[2]s van %[1]s stemmen.", "You have %[2]s of %[1]s votes left."},
	"vote.rule":       {"Je mag meer stemmen op dezelfde notitie zetten, zoals stickers op een muur.", "You may put more than one vote on the same note, like stickers on a wall."},
}
