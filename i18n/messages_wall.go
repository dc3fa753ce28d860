package i18n

func init() { register(wallMessages) }

// wallMessages holds the texts of the projected wall's views and of the
// console's wall controls.
var wallMessages = map[string]Text{
	"wall.view.notes":     {"Notities", "Notes"},
	"wall.view.themes":    {"Thema's", "Themes"},
	"wall.view.results":   {"Uitslag", "Results"},
	"wall.view.chart":     {"Grafiek", "Chart"},
	"wall.all_clusters":   {"Alle clusters", "All clusters"},
	"wall.more":           {"+%[1]s meer", "+%[1]s more"},
	"wall.no_notes":       {"Nog geen notities.", "No notes yet."},
	"wall.no_themes":      {"Nog geen thema's. Groepeer de notities op de regie.", "No themes yet. Group the notes on the console."},
	"wall.results_hidden": {"De stemmen zijn nog verborgen. Onthul ze op de regie of met R.", "The votes are still hidden. Reveal them on the console or with R."},
	"wall.rank":           {"Plaats %[1]s", "Rank %[1]s"},
	"wall.no_rank":        {"Geen stemmen", "No votes"},
	"wall.no_chart":       {"Voor dit cluster zijn geen cijfers gepubliceerd.", "No figures are published for this cluster."},
	"wall.thanks":         {"Bedankt!", "Thank you!"},
	"wall.keys_all": {"Toetsen: 1 notities · 2 thema's · 3 uitslag · 4 grafiek · N volgende cluster · A alle clusters · V volgende variabele · J deelnamecode groot/klein · T timer · R onthullen · L op slot",
		"Keys: 1 notes · 2 themes · 3 results · 4 chart · N next cluster · A all clusters · V next variable · J join code large/small · T timer · R reveal · L lock"},

	"sessions.view_invalid":     {"Onbekende weergave voor de muur.", "Unknown view for the wall."},
	"sessions.variable_invalid": {"Die variabele bestaat niet.", "That variable does not exist."},

	"wallcontrols.title":      {"Op de muur", "On the wall"},
	"wallcontrols.view":       {"Weergave", "View"},
	"wallcontrols.variable":   {"Variabele in de grafiek", "Variable in the chart"},
	"wallcontrols.default":    {"Eerste met gepubliceerde cijfers", "First with published figures"},
	"wallcontrols.join_large": {"Grote deelnamecode", "Large join code"},
	"wallcontrols.no_focus":   {"Kies eerst een cluster in beeld.", "Choose a cluster in focus first."},
}
