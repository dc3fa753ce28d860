package i18n

func init() {
	register(insightsMessages)
	register(templateMessages)
}

// insightsMessages holds the texts of a project's insights across sessions.
var insightsMessages = map[string]Text{
	"insights.title":     {"Inzichten · %[1]s", "Insights · %[1]s"},
	"insights.crumb":     {"Inzichten", "Insights"},
	"insights.lead":      {"Wat de afgesloten sessies van dit project opleverden, per groep huishoudens naast de goedgekeurde cijfers. Zonder namen; aantallen mensen onder tien staan er als <10.", "What this project's closed sessions produced, per group of households beside the approved figures. Without names; counts of people under ten show as <10."},
	"insights.purpose":   {"Doel van het project: %[1]s", "Purpose of the project: %[1]s"},
	"insights.filter":    {"Zoeken en filteren", "Search and filter"},
	"insights.q":         {"Zoek in notities, fragmenten en thema’s", "Search notes, excerpts and themes"},
	"insights.kind":      {"Soort", "Kind"},
	"insights.any":       {"Alle", "All"},
	"insights.excerpts":  {"Interviewfragmenten", "Interview excerpts"},
	"insights.cluster":   {"Groep", "Group"},
	"insights.session":   {"Sessie", "Session"},
	"insights.role":      {"Rol", "Role"},
	"insights.role_hint": {"Alleen rollen met minstens tien deelnemers in een sessie.", "Only roles with at least ten participants in a session."},
	"insights.tag":       {"Label", "Tag"},
	"insights.from":      {"Afgesloten vanaf", "Closed from"},
	"insights.to":        {"Afgesloten tot en met", "Closed until"},
	"insights.search":    {"Zoeken", "Search"},
	"insights.reset":     {"Alles tonen", "Show everything"},
	// insights.count takes the number of items and insights.sessions.
	"insights.count.one":      {"%[1]s notitie of fragment uit %[2]s.", "%[1]s note or excerpt from %[2]s."},
	"insights.count.other":    {"%[1]s notities en fragmenten uit %[2]s.", "%[1]s notes and excerpts from %[2]s."},
	"insights.sessions.one":   {"%[1]s afgesloten sessie", "%[1]s closed session"},
	"insights.sessions.other": {"%[1]s afgesloten sessies", "%[1]s closed sessions"},
	"insights.csv":            {"CSV (komma)", "CSV (comma)"},
	"insights.csv_semicolon":  {"CSV voor Nederlandse Excel (puntkomma)", "CSV for Dutch Excel (semicolon)"},
	"insights.withdrawn":      {"Ingetrokken profiel", "Withdrawn profile"},
	"insights.size":           {"Huishoudens in deze groep", "Households in this group"},
	"insights.figures":        {"Cijfers van deze groep", "Figures of this group"},
	"insights.from_sessions":  {"Uit de sessies", "From the sessions"},
	"insights.top":            {"Meeste stemmen", "Most votes"},
	"insights.tags":           {"Labels", "Tags"},
	"insights.theme":          {"Thema: %[1]s", "Theme: %[1]s"},
	"insights.loose":          {"Buiten de thema’s", "Outside the themes"},
	"insights.votes.one":      {"%[1]s stem", "%[1]s vote"},
	"insights.votes.other":    {"%[1]s stemmen", "%[1]s votes"},
	"insights.none":           {"Niets gevonden. Pas de filters aan, of er zijn nog geen afgesloten sessies.", "Nothing found. Change the filters, or there are no closed sessions yet."},
	"insights.sources":        {"Sessies", "Sessions"},
	"insights.closed":         {"Afgesloten", "Closed"},
	"insights.total":          {"Deelnemers", "Participants"},
	"insights.filter_invalid": {"Het filter %[1]s klopt niet.", "The filter %[1]s is not valid."},
}

// templateMessages holds the texts of session templates.
var templateMessages = map[string]Text{
	"template.list": {"Sjablonen", "Templates"},
	// template.facts takes template.groups, template.votes and template.minutes.
	"template.facts":         {"%[1]s · %[2]s per deelnemer · agenda %[3]s", "%[1]s · %[2]s per participant · agenda %[3]s"},
	"template.groups.one":    {"%[1]s groep", "%[1]s group"},
	"template.groups.other":  {"%[1]s groepen", "%[1]s groups"},
	"template.votes.one":     {"%[1]s stem", "%[1]s vote"},
	"template.votes.other":   {"%[1]s stemmen", "%[1]s votes"},
	"template.minutes.one":   {"%[1]s minuut", "%[1]s minute"},
	"template.minutes.other": {"%[1]s minuten", "%[1]s minutes"},
	"template.start":         {"Nieuwe sessie uit dit sjabloon", "New session from this template"},
	"template.start_failed":  {"De sessie kon niet uit het sjabloon worden gemaakt.", "The session could not be made from the template."},
	"template.save":          {"Opzet bewaren als sjabloon", "Save the set-up as a template"},
	"template.name":          {"Naam van het sjabloon", "Name of the template"},
	"template.save_button":   {"Bewaren", "Save"},
	"template.saved":         {"De opzet is bewaard als sjabloon. Je vindt het bij de sessies van het project.", "The set-up is saved as a template. You find it with the project's sessions."},
}
