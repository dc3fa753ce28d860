package i18n

func init() { register(reportMessages) }

// reportMessages holds the texts of a closed session's report: the
// policymaker's read view, its printed form and the CSV export.
var reportMessages = map[string]Text{
	"report.figures":            {"Cijfers van deze groep", "Figures of this group"},
	"report.participants_table": {"Tabel: deelnemers per rol", "Table: participants by role"},
	"report.not_closed":         {"Een verslag is er pas als de sessie is afgesloten.", "A report exists only once the session is closed."},
	"report.title":              {"Verslag: %[1]s", "Report: %[1]s"},
	"report.kicker":             {"Verslag van een werksessie", "Report of a workshop session"},
	"report.question":           {"Ontwerpvraag", "Design question"},
	"report.held":               {"Gehouden", "Held"},
	"report.closed_on":          {"Afgesloten op", "Closed on"},
	"report.project":            {"Project", "Project"},
	"report.rules": {"Dit verslag toont groepen, geen personen. Aantallen onder de %[1]v staan er als ‘<%[1]v’; ‘≥%[1]v’ betekent %[1]v of meer, waar het precieze getal een kleiner aantal zou verraden. Bij een notitie staat alleen een rol als ten minste %[1]v deelnemers die rol hadden. Schuilnamen staan nergens in het verslag.",
		"This report shows groups, not people. Counts under %[1]v are shown as ‘<%[1]v’; ‘≥%[1]v’ means %[1]v or more, where the exact number would give a smaller count away. A note shows a role only if at least %[1]v participants had that role. Pseudonyms appear nowhere in the report."},
	"report.actions":       {"Verslag downloaden of afdrukken", "Download or print the report"},
	"report.csv":           {"Download als CSV (spreadsheet)", "Download as CSV (spreadsheet)"},
	"report.print_hint":    {"Afdrukken of bewaren als pdf: gebruik de afdrukfunctie van de browser (A4).", "To print or save as PDF, use the browser's print function (A4)."},
	"report.contents":      {"Inhoud", "Contents"},
	"report.participants":  {"Deelnemers", "Participants"},
	"report.role":          {"Rol", "Role"},
	"report.count":         {"Aantal", "Count"},
	"report.total":         {"Totaal", "Total"},
	"report.cluster":       {"Cluster", "Cluster"},
	"report.notes":         {"Notities", "Notes"},
	"report.no_notes":      {"Bij dit cluster zijn geen notities geschreven.", "No notes were written on this cluster."},
	"report.votes":         {"Stemmen: %[1]s", "Votes: %[1]s"},
	"report.votes_rank":    {"%[1]d stemmen · plaats %[2]d", "%[1]d votes · rank %[2]d"},
	"report.no_votes":      {"Geen stemmen", "No votes"},
	"report.votes_by_role": {"Stemmen per rol", "Votes per role"},
	"report.role_label":    {"Rol: %[1]s", "Role: %[1]s"},
	"report.excerpts":      {"Fragmenten", "Excerpts"},
	"report.source_line":   {"Bron: %[1]s", "Source: %[1]s"},
	"report.tags":          {"Labels", "Tags"},
	"report.left_out":      {"Niet in dit verslag: verwijderde notities, notities die de facilitator verborg en privénotities die nooit zijn getoond.", "Not in this report: deleted notes, notes the facilitator hid, and private notes that were never revealed."},

	"report.themes":         {"Thema’s", "Themes"},
	"report.theme_empty":    {"Onder dit thema staan geen notities of fragmenten die in dit verslag mogen.", "This theme holds no notes or excerpts that may appear in this report."},
	"report.outside_themes": {"%[1]s, buiten de thema’s", "%[1]s, not in a theme"},

	// The report's charts as images: the download of all of them and the
	// caption above a cluster's charts.
	"report.charts_zip":     {"Download de grafieken (zip met SVG-afbeeldingen)", "Download the charts (zip of SVG images)"},
	"report.charts_caption": {"Grafieken van dit cluster naast de hele populatie, met alleen goedgekeurde cijfers.", "Charts of this cluster beside the whole population, with approved figures only."},
	"report.charts_tables":  {"Alle cijfers in tabellen staan op de clusterpagina.", "All figures, as tables, are on the cluster page."},

	"report.source.interview":   {"interview", "interview"},
	"report.source.vragenlijst": {"vragenlijst", "questionnaire"},
	"report.source.observatie":  {"observatie", "observation"},
}
