package i18n

func init() { register(workshopMessages) }

// workshopMessages holds the texts of the workshop screens: the phone's
// note and excerpt forms, votes, the console's moderation and themes, and
// what the wall announces.
var workshopMessages = map[string]Text{
	"phone.focus":          {"Nu in beeld", "Now in focus"},
	"phone.no_focus":       {"Nog geen groep gekozen", "No group chosen yet"},
	"phone.focus_moved":    {"Nu in beeld: %[1]s", "Now in focus: %[1]s"},
	"phone.locked":         {"De invoer staat even op slot. Kijk mee naar het scherm.", "Input is locked for a moment. Look at the screen."},
	"phone.private":        {"Privémodus: alleen jij en de begeleider zien je notities, tot ze samen worden onthuld.", "Private mode: only you and the facilitator see your notes, until they are revealed together."},
	"phone.waiting.one":    {"%[1]s wacht op verzending.", "%[1]s waiting to be sent."},
	"phone.waiting.other":  {"%[1]s wachten op verzending.", "%[1]s waiting to be sent."},
	"phone.edit":           {"Bewerken", "Edit"},
	"phone.edit_label":     {"Je notitie aanpassen", "Change your note"},
	"phone.save":           {"Opslaan", "Save"},
	"phone.cancel":         {"Annuleren", "Cancel"},
	"phone.confirm_delete": {"Deze notitie verwijderen? Dat kan niet ongedaan worden.", "Delete this note? This cannot be undone."},
	"phone.change":         {"Tekst aanpassen", "Change the text"},
	"phone.send_anyway":    {"Toch versturen", "Send anyway"},

	"vote.add":      {"Stem", "Vote"},
	"vote.remove":   {"Stem terug", "Take back vote"},
	"vote.one":      {"%[1]s stem", "%[1]s vote"},
	"vote.other":    {"%[1]s stemmen", "%[1]s votes"},
	"vote.hidden":   {"Stemmen verborgen tot onthullen", "Votes hidden until revealed"},
	"vote.yours":    {"jij: %[1]s", "you: %[1]s"},
	"vote.left":     {"Je hebt nog %[1]s van %[2]s stemmen.", "You have %[1]s of %[2]s votes left."},
	"vote.revealed": {"De stemmen zijn onthuld.", "The votes have been revealed."},

	"console.hide":           {"Van de wand halen", "Take off the wall"},
	"console.unhide":         {"Terugzetten", "Put back"},
	"console.hidden_note":    {"van de wand gehaald", "taken off the wall"},
	"console.private_note":   {"privé tot onthullen", "private until revealed"},
	"console.confirm_delete": {"Deze notitie voor iedereen verwijderen? De tekst wordt gewist en dat wordt vastgelegd.", "Delete this note for everyone? Its text is erased, and this is recorded."},

	"theme.title":          {"Thema's", "Themes"},
	"theme.hint":           {"Sleep een notitie naar een thema, of kies bij de notitie een thema (dat werkt ook met het toetsenbord).", "Drag a note onto a theme, or choose a theme at the note (this also works with the keyboard)."},
	"theme.ungrouped":      {"Notities zonder thema", "Notes without a theme"},
	"theme.cluster":        {"Voor welke groep?", "For which group?"},
	"theme.name":           {"Naam van het thema", "Name of the theme"},
	"theme.add":            {"Thema toevoegen", "Add theme"},
	"theme.label":          {"Thema", "Theme"},
	"theme.none":           {"Geen thema", "No theme"},
	"theme.rename":         {"Hernoemen", "Rename"},
	"theme.rename_prompt":  {"Nieuwe naam van het thema", "New name of the theme"},
	"theme.delete":         {"Thema weghalen", "Remove theme"},
	"theme.confirm_delete": {"Dit thema weghalen? De notities en fragmenten blijven, zonder thema.", "Remove this theme? Its notes and excerpts stay, without a theme."},

	"excerpt.title":      {"Fragmenten uit interviews", "Interview excerpts"},
	"excerpt.search":     {"Zoeken in fragmenten (tekst, label of groep)", "Search excerpts (text, tag or group)"},
	"excerpt.none":       {"Nog geen fragmenten.", "No excerpts yet."},
	"excerpt.results":    {"%[1]s gevonden", "%[1]s found"},
	"excerpt.search_tag": {"Zoek op label %[1]s", "Search for tag %[1]s"},
	"excerpt.add":        {"Fragment uit een interview toevoegen", "Add an interview excerpt"},
	"excerpt.add_hint":   {"Alleen wat iemand vertelde, zonder namen of andere herkenbare details.", "Only what someone said, without names or other identifying details."},
	"excerpt.source":     {"Bron", "Source"},
	"excerpt.text":       {"Fragment", "Excerpt"},
	"excerpt.tags":       {"Labels", "Tags"},
	"excerpt.tags_hint":  {"Gescheiden door komma's, bijvoorbeeld: school, schulden", "Separated by commas, for example: school, debts"},
	"excerpt.send":       {"Fragment toevoegen", "Add excerpt"},
	"excerpt.sent":       {"Fragment toegevoegd.", "Excerpt added."},
	"excerpt.mine":       {"jouw fragment", "your excerpt"},

	"wall.console":       {"Naar de regie", "To the console"},
	"wall.new_note":      {"Nieuwe notitie, %[1]s: %[2]s", "New note, %[1]s: %[2]s"},
	"wall.waiting.one":   {"%[1]s notitie wacht op onthullen", "%[1]s note waiting to be revealed"},
	"wall.waiting.other": {"%[1]s notities wachten op onthullen", "%[1]s notes waiting to be revealed"},
}
