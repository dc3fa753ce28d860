package i18n

// stewardMessages holds the texts of the steward's review (summary,
// decision bar, per-figure table, label corrections), the explanations
// beside charts with suppressed figures, and what pages show for a cluster
// whose profile set was withdrawn. No message takes a suppressed value as
// an argument.
var stewardMessages = map[string]Text{
	// Beside a chart with suppressed figures: the reasons that can apply
	// to a chart of its kind, never which figure had which reason.
	// The texts hold no number: the thresholds are listed with the rules
	// on the set's page, and a chart image holds only published figures.
	"charts.note.frequency": {
		NL: "Afgeschermd betekent: dit cijfer tonen we niet. Bij dit kenmerk kan dat komen doordat het om te weinig huishoudens gaat, doordat bijna iedereen in een groep in één categorie valt of te weinig huishoudens erbuiten, doordat de onderzoeker erom vroeg, of doordat het cijfer met de andere cijfers terug te rekenen zou zijn. Welke reden bij welk cijfer hoort, zeggen we niet: ook dat zou iets over de huishoudens verraden.",
		EN: "Suppressed means: this figure is not shown. For this characteristic that can be because it concerns too few households, because nearly everyone in a group falls in one category or too few households outside it, because the researcher asked for it, or because the figure could be worked out from the other figures. Which reason applies to which figure is not said: that too would give something away about the households.",
	},
	"charts.note.magnitude": {
		NL: "Afgeschermd betekent: dit cijfer tonen we niet. Bij een bedrag of gemiddelde kan dat komen doordat te weinig huishoudens een waarde hebben, doordat één of twee huishoudens het grootste deel van het bedrag bepalen, doordat de onderzoeker erom vroeg, of doordat het met de andere cijfers terug te rekenen zou zijn. Welke reden bij welk cijfer hoort, zeggen we niet: ook dat zou iets over de huishoudens verraden.",
		EN: "Suppressed means: this figure is not shown. For an amount or mean that can be because too few households have a value, because one or two households make up most of the amount, because the researcher asked for it, or because it could be worked out from the other figures. Which reason applies to which figure is not said: that too would give something away about the households.",
	},
	// Instead of a chart with nothing of the cluster in it.
	"charts.withheld.frequency": {
		NL: "Voor deze groep is %[1]s afgeschermd: bijna iedereen valt in één categorie of de aantallen zijn te klein.",
		EN: "For this group, %[1]s is suppressed: nearly everyone falls in one category or the numbers are too small.",
	},
	"charts.withheld.magnitude": {
		NL: "Voor deze groep is %[1]s afgeschermd: te weinig huishoudens hebben een waarde of een paar huishoudens bepalen het bedrag.",
		EN: "For this group, %[1]s is suppressed: too few households have a value or a few households make up the amount.",
	},

	// A cluster of a withdrawn set, wherever a session shows it.
	"steward.withdrawn_profile": {NL: "ingetrokken profiel", EN: "withdrawn profile"},
	"steward.withdrawn_note":    {NL: "De cijfers van dit profiel zijn ingetrokken; de notities blijven.", EN: "The figures of this profile were withdrawn; the notes stay."},

	// Labels given to `atelier profile` or in a metadata file's "labels".
	"profiles.error.label_unknown": {NL: "het label noemt %[1]q, maar dat komt in de export niet voor", EN: "the label names %[1]q, which the export does not have"},
	"profiles.error.label_twice":   {NL: "twee categorieën zouden allebei %[1]q heten", EN: "two categories would both be called %[1]q"},

	// Import.
	"steward.import_name":      {NL: "Naam van de set (optioneel; anders uit het metadatabestand of de bestandsnaam)", EN: "Name of the set (optional; otherwise from the metadata file or the file name)"},
	"steward.name_length":      {NL: "De naam van een set is verplicht en hoogstens %[1]v tekens lang.", EN: "A set's name is required and at most %[1]v characters long."},
	"steward.labels_final":     {NL: "Labels kunnen alleen worden verbeterd zolang de set wacht op beoordeling; deze set is %[1]s.", EN: "Labels can only be corrected while the set awaits review; this set is %[1]s."},
	"steward.label_invalid":    {NL: "Een label mag niet leeg zijn, is hoogstens %[1]v tekens lang en bevat geen regeleinden.", EN: "A label may not be empty, is at most %[1]v characters long and holds no line breaks."},
	"steward.label_target":     {NL: "Dit label hoort niet bij deze set.", EN: "This label does not belong to this set."},
	"steward.label_twice":      {NL: "Twee categorieën van één kenmerk kunnen niet allebei ‘%[1]s’ heten.", EN: "Two categories of one characteristic cannot both be called ‘%[1]s’."},
	"steward.reason_missing":   {NL: "Geef een reden: bij afwijzen en intrekken is die verplicht. De reden staat in het logboek en is zichtbaar voor de andere stewards.", EN: "Give a reason: it is required to reject or withdraw. The reason goes into the audit trail and is visible to the other stewards."},
	"steward.decision_refused": {NL: "Dit besluit kon niet worden genomen:", EN: "This decision could not be taken:"},

	// The review page: decision bar.
	"steward.bar":            {NL: "Besluit over deze set", EN: "Decision on this set"},
	"steward.bar_reason":     {NL: "Reden (verplicht bij afwijzen en intrekken)", EN: "Reason (required to reject or withdraw)"},
	"steward.bar_unsafe":     {NL: "Niet veilig: goedkeuren kan niet.", EN: "Not safe: cannot be approved."},
	"steward.bar_own":        {NL: "Zelf geïmporteerd: een andere steward beslist.", EN: "Imported by you: another steward decides."},
	"steward.bar_approved":   {NL: "Goedgekeurd op %[1]s door %[2]s.", EN: "Approved on %[1]s by %[2]s."},
	"steward.bar_rejected":   {NL: "Afgewezen op %[1]s door %[2]s: %[3]s", EN: "Rejected on %[1]s by %[2]s: %[3]s"},
	"steward.bar_withdrawn":  {NL: "Ingetrokken op %[1]s: %[2]s", EN: "Withdrawn on %[1]s: %[2]s"},
	"steward.bar_withdrawn2": {NL: "Deze set is ingetrokken. Sessies die hem gebruikten tonen ‘ingetrokken profiel’; hun notities blijven.", EN: "This set was withdrawn. Sessions that used it show ‘withdrawn profile’; their notes stay."},
	"steward.bar_rejected2":  {NL: "Deze set is afgewezen en voor niemand anders zichtbaar.", EN: "This set was rejected and is visible to nobody else."},

	// The review page: summary.
	"steward.summary":          {NL: "Samenvatting", EN: "Summary"},
	"steward.clusters":         {NL: "Clusters", EN: "Clusters"},
	"steward.variables":        {NL: "Kenmerken", EN: "Characteristics"},
	"steward.published":        {NL: "Gepubliceerd", EN: "Published"},
	"steward.hidden":           {NL: "Afgeschermd", EN: "Suppressed"},
	"steward.of_figures":       {NL: "%[1]s van %[2]s cijfers (%[3]s)", EN: "%[1]s of %[2]s figures (%[3]s)"},
	"steward.hidden_split":     {NL: "%[1]s primair, %[2]s secundair", EN: "%[1]s primary, %[2]s secondary"},
	"steward.lost":             {NL: "Verloren informatie per kenmerk", EN: "Information lost per characteristic"},
	"steward.lost_lead":        {NL: "Hoeveel cijfers van elk kenmerk afgeschermd zijn, over alle clusters en de hele populatie.", EN: "How many figures of each characteristic are suppressed, over all clusters and the whole population."},
	"steward.col_variable":     {NL: "Kenmerk", EN: "Characteristic"},
	"steward.col_cells":        {NL: "Cijfers afgeschermd", EN: "Figures suppressed"},
	"steward.col_households":   {NL: "Huishoudens afgeschermd", EN: "Households suppressed"},
	"steward.col_cluster":      {NL: "Cluster", EN: "Cluster"},
	"steward.col_size":         {NL: "Huishoudens", EN: "Households"},
	"steward.col_fully_hidden": {NL: "Helemaal afgeschermde kenmerken", EN: "Fully suppressed characteristics"},
	"steward.per_cluster":      {NL: "Per cluster", EN: "Per cluster"},
	"steward.per_cluster_lead": {NL: "Een kenmerk is helemaal afgeschermd als geen enkel cijfer ervan voor dat cluster getoond wordt; de grafiek zegt dat dan in één zin.", EN: "A characteristic is fully suppressed when none of its figures is shown for that cluster; the chart then says so in one sentence."},
	"steward.none":             {NL: "geen", EN: "none"},
	"steward.n_of_m":           {NL: "%[1]s van %[2]s", EN: "%[1]s of %[2]s"},
	"steward.rules":            {NL: "Regels van dit project", EN: "Rules of this project"},
	"steward.rule.min":         {NL: "Minimum aantal huishoudens", EN: "Minimum number of households"},
	"steward.rule.complement":  {NL: "Minimum buiten een categorie", EN: "Minimum outside a category"},
	"steward.rule.share":       {NL: "Hoogste aandeel van één categorie", EN: "Largest share of one category"},
	"steward.rule.dominance":   {NL: "Dominantie (1,k) en (2,k)", EN: "Dominance (1,k) and (2,k)"},
	"steward.rule.p":           {NL: "p%-regel", EN: "p% rule"},
	"steward.rule.dominance_v": {NL: "(1, %[1]s%%) en (2, %[2]s%%)", EN: "(1, %[1]s%%) and (2, %[2]s%%)"},
	"steward.rule.percent":     {NL: "%[1]s%%", EN: "%[1]s%%"},
	"steward.population":       {NL: "Hele populatie", EN: "Whole population"},
	"steward.size_row":         {NL: "Aantal huishoudens", EN: "Number of households"},
	"steward.open_cluster":     {NL: "Bekijk %[1]s", EN: "View %[1]s"},

	// The review page: the per-figure table.
	"steward.cells":            {NL: "Alle cijfers per cluster en kenmerk", EN: "Every figure per cluster and characteristic"},
	"steward.cells_lead":       {NL: "Per cluster: elk cijfer met zijn status, en bij een afgeschermd cijfer de regel en wat een aanvaller er hooguit uit kan afleiden. Deze tabel is alleen voor stewards.", EN: "Per cluster: every figure with its status and, for a suppressed figure, the rule and the most an attacker can derive. This table is for stewards only."},
	"steward.search":           {NL: "Zoeken in de cijfers (cluster, kenmerk, categorie of regel)", EN: "Search the figures (cluster, characteristic, category or rule)"},
	"steward.search_results":   {NL: "%[1]s cijfers gevonden", EN: "%[1]s figures found"},
	"steward.open_all":         {NL: "Alles openklappen", EN: "Expand all"},
	"steward.close_all":        {NL: "Alles dichtklappen", EN: "Collapse all"},
	"steward.cluster_count":    {NL: "%[1]s cijfers, %[2]s afgeschermd", EN: "%[1]s figures, %[2]s suppressed"},
	"steward.col_category":     {NL: "Categorie", EN: "Category"},
	"steward.col_value":        {NL: "Waarde", EN: "Value"},
	"steward.col_status":       {NL: "Status", EN: "Status"},
	"steward.col_reason":       {NL: "Waarom afgeschermd", EN: "Why suppressed"},
	"steward.col_audit":        {NL: "Wat een aanvaller hooguit kan afleiden", EN: "What an attacker can derive at most"},
	"steward.status.published": {NL: "gepubliceerd", EN: "published"},
	"steward.mean_of":          {NL: "gemiddelde %[1]s over %[2]s huishoudens", EN: "mean %[1]s over %[2]s households"},
	"steward.no_figures":       {NL: "De cijfers van een afgewezen of ingetrokken set staan nergens meer, ook niet hier.", EN: "The figures of a rejected or withdrawn set are shown nowhere any more, not here either."},

	// The review page: labels.
	"steward.labels":          {NL: "Labels nakijken en verbeteren", EN: "Check and correct labels"},
	"steward.labels_lead":     {NL: "Namen van de set, de clusters, de kenmerken en de categorieën kunnen hier verbeterd worden zolang de set wacht op beoordeling. Cijfers kunnen nooit worden aangepast. Elke wijziging komt in het logboek.", EN: "The names of the set, the clusters, the characteristics and the categories can be corrected here while the set awaits review. Figures can never be changed. Every change goes into the audit trail."},
	"steward.label_name":      {NL: "Naam van de set", EN: "Name of the set"},
	"steward.label_cluster":   {NL: "Cluster %[1]s", EN: "Cluster %[1]s"},
	"steward.label_variable":  {NL: "Label van kenmerk %[1]s", EN: "Label of characteristic %[1]s"},
	"steward.label_category":  {NL: "Categorie %[1]v van %[2]s", EN: "Category %[1]v of %[2]s"},
	"steward.labels_save":     {NL: "Labels opslaan", EN: "Save labels"},
	"steward.labels_saved":    {NL: "De labels zijn opgeslagen.", EN: "The labels were saved."},
	"steward.labels_history":  {NL: "Verbeterde labels", EN: "Corrected labels"},
	"steward.labels_change":   {NL: "%[1]s: ‘%[2]s’ werd ‘%[3]s’ (%[4]s, %[5]s)", EN: "%[1]s: ‘%[2]s’ became ‘%[3]s’ (%[4]s, %[5]s)"},
	"steward.labels_clusters": {NL: "Clusters", EN: "Clusters"},
	"steward.labels_vars":     {NL: "Kenmerken en categorieën", EN: "Characteristics and categories"},
}

func init() { register(stewardMessages) }
