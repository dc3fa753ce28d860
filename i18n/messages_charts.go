package i18n

func init() { register(chartsMessages) }

// chartsMessages holds the texts of charts: axis names, legends, the
// suppression marker and its explanation. No message takes a suppressed
// value as an argument: charts only formats published figures.
var chartsMessages = map[string]Text{
	"charts.synthetic": {"synthetische oefendata", "synthetic practice data"},
	// Groups shown in a chart.
	"charts.population": {NL: "Hele populatie", EN: "Whole population"},
	"charts.mean":       {NL: "Gemiddelde", EN: "Mean"},

	// Suppression: the marker on a chart and in a table cell, and the
	// marker listing which groups are hidden in a category. The marker
	// names no threshold: a figure may be hidden for another reason than
	// its size (a secondary suppression, the 90% rule). Why a chart has
	// hidden figures is in messages_steward.go (charts.note.*).
	"charts.suppressed":    {NL: "afgeschermd", EN: "suppressed"},
	"charts.suppressed_in": {NL: "afgeschermd: %[1]s", EN: "suppressed: %[1]s"},

	// Titles and table captions.
	"charts.title.cluster":    {NL: "%[1]s: %[2]s naast de hele populatie", EN: "%[1]s: %[2]s beside the whole population"},
	"charts.title.comparison": {NL: "%[1]s: clusters vergeleken", EN: "%[1]s: clusters compared"},
	"charts.caption.share":    {NL: "%[1]s, in procenten van het aantal huishoudens in de groep", EN: "%[1]s, as a percentage of the households in the group"},
	"charts.caption.count":    {NL: "%[1]s, in aantallen huishoudens (de groepsgrootte is afgeschermd, dus geen percentages)", EN: "%[1]s, in numbers of households (the group size is suppressed, so no percentages)"},
	"charts.caption.mean":     {NL: "%[1]s: gemiddelde per huishouden met een waarde", EN: "%[1]s: mean per household with a value"},

	// Table column headers.
	"charts.col.category":     {NL: "Categorie", EN: "Category"},
	"charts.col.group":        {NL: "Groep", EN: "Group"},
	"charts.col.count":        {NL: "%[1]s: aantal", EN: "%[1]s: number"},
	"charts.col.share":        {NL: "%[1]s: percentage", EN: "%[1]s: percentage"},
	"charts.col.mean":         {NL: "Gemiddelde", EN: "Mean"},
	"charts.col.contributors": {NL: "Huishoudens met een waarde", EN: "Households with a value"},

	// Value axis names.
	"charts.axis.share": {NL: "% van de groep", EN: "% of the group"},
	"charts.axis.count": {NL: "aantal huishoudens", EN: "number of households"},
	"charts.axis.mean":  {NL: "gemiddelde", EN: "mean"},

	// Tooltips: group, category and the formatted figure.
	"charts.tip.share": {NL: "%[1]s · %[2]s: %[3]s (%[4]s van %[5]s)", EN: "%[1]s · %[2]s: %[3]s (%[4]s of %[5]s)"},
	"charts.tip.value": {NL: "%[1]s · %[2]s: %[3]s", EN: "%[1]s · %[2]s: %[3]s"},

	// Summaries for screen readers.
	"charts.summary.share":      {NL: "Staafdiagram van %[1]s, in procenten van de groep, over %[2]v categorieën voor %[3]v groepen. De tabel bij het diagram geeft alle cijfers.", EN: "Bar chart of %[1]s, as a percentage of the group, over %[2]v categories for %[3]v groups. The table with the chart gives every figure."},
	"charts.summary.count":      {NL: "Staafdiagram van %[1]s, in aantallen huishoudens, over %[2]v categorieën voor %[3]v groepen. De tabel bij het diagram geeft alle cijfers.", EN: "Bar chart of %[1]s, in numbers of households, over %[2]v categories for %[3]v groups. The table with the chart gives every figure."},
	"charts.summary.mean":       {NL: "Staafdiagram van het gemiddelde van %[1]s voor %[2]v groepen. De tabel bij het diagram geeft alle cijfers.", EN: "Bar chart of the mean of %[1]s for %[2]v groups. The table with the chart gives every figure."},
	"charts.summary.suppressed": {NL: "Afgeschermde cijfers: %[1]v.", EN: "Suppressed figures: %[1]v."},
}
