package i18n

func init() { register(profilesMessages) }

// profilesMessages holds the texts of the profiles package: parse and
// validation errors, disclosure rules and report wording. No message takes
// a suppressed value or a single household's value as an argument.
var profilesMessages = map[string]Text{
	// Where an error is.
	"profiles.error.at_column": {NL: "%[1]s, regel %[2]v, kolom %[3]v (%[4]s): %[5]s", EN: "%[1]s, line %[2]v, column %[3]v (%[4]s): %[5]s"},
	"profiles.error.at_line":   {NL: "%[1]s, regel %[2]v: %[3]s", EN: "%[1]s, line %[2]v: %[3]s"},
	"profiles.error.in_file":   {NL: "%[1]s: %[2]s", EN: "%[1]s: %[2]s"},

	// Reading an export.
	"profiles.error.utf8":               {NL: "het bestand is geen geldige UTF-8-tekst", EN: "the file is not valid UTF-8 text"},
	"profiles.error.empty":              {NL: "het bestand is leeg", EN: "the file is empty"},
	"profiles.error.header":             {NL: "de kopregel moet precies zijn: %[1]s", EN: "the header must be exactly: %[1]s"},
	"profiles.error.csv":                {NL: "ongeldige CSV: %[1]s", EN: "invalid CSV: %[1]s"},
	"profiles.error.fields":             {NL: "verwacht %[1]v velden, gevonden %[2]v", EN: "expected %[1]v fields, found %[2]v"},
	"profiles.error.too_large":          {NL: "het bestand is groter dan %[1]v MB", EN: "the file is larger than %[1]v MB"},
	"profiles.error.too_many_rows":      {NL: "meer dan %[1]v regels", EN: "more than %[1]v rows"},
	"profiles.error.too_many_cells":     {NL: "meer dan %[1]v cijfers in totaal (clusters × categorieën)", EN: "more than %[1]v figures in all (clusters × categories)"},
	"profiles.error.too_long":           {NL: "langer dan %[1]v tekens", EN: "longer than %[1]v characters"},
	"profiles.error.control":            {NL: "bevat een besturingsteken", EN: "contains a control character"},
	"profiles.error.required":           {NL: "mag niet leeg zijn", EN: "must not be empty"},
	"profiles.error.reserved":           {NL: "%[1]s is gereserveerd voor de populatieregels van een gecontroleerd bestand", EN: "%[1]s is reserved for the population rows of a checked file"},
	"profiles.error.duplicate":          {NL: "dubbele regel voor cluster %[1]q, variabele %[2]q, categorie %[3]q", EN: "duplicate row for cluster %[1]q, variable %[2]q, category %[3]q"},
	"profiles.error.too_many":           {NL: "meer dan %[1]v verschillende waarden", EN: "more than %[1]v distinct values"},
	"profiles.error.label_differs":      {NL: "ander label dan eerder voor %[1]q", EN: "a different label than before for %[1]q"},
	"profiles.error.suppress":           {NL: "moet leeg, 0 of 1 zijn", EN: "must be empty, 0 or 1"},
	"profiles.error.status":             {NL: "moet published, primary of secondary zijn (alleen in een gecontroleerd bestand)", EN: "must be published, primary or secondary (only in a checked file)"},
	"profiles.error.hidden_value":       {NL: "een afgeschermde regel hoort geen waarde te hebben", EN: "a suppressed row must have no value"},
	"profiles.error.must_be_empty":      {NL: "moet leeg zijn voor dit soort regel", EN: "must be empty for this kind of row"},
	"profiles.error.count":              {NL: "moet een heel getal van 0 of meer zijn", EN: "must be a whole number of 0 or more"},
	"profiles.error.number":             {NL: "moet een getal van 0 of meer zijn (decimaalteken: punt, of komma bij puntkomma als scheidingsteken)", EN: "must be a number of 0 or more (decimal point, or decimal comma with a semicolon separator)"},
	"profiles.error.kind_mixed":         {NL: "variabele %[1]q heeft zowel regels met als zonder categorie", EN: "variable %[1]q has rows both with and without a category"},
	"profiles.error.top_order":          {NL: "top2 mag niet groter zijn dan top1", EN: "top2 must not exceed top1"},
	"profiles.error.top_sum":            {NL: "top1 + top2 is groter dan de som", EN: "top1 + top2 exceeds the sum"},
	"profiles.error.no_contributors":    {NL: "een som zonder bijdragers moet 0 zijn", EN: "a sum without contributors must be 0"},
	"profiles.error.top_one":            {NL: "met één bijdrager moet top2 0 zijn", EN: "with one contributor top2 must be 0"},
	"profiles.error.no_clusters":        {NL: "het bestand bevat geen clusters", EN: "the file holds no clusters"},
	"profiles.error.no_size":            {NL: "cluster %[1]q heeft geen regel met zijn omvang (lege variabele)", EN: "cluster %[1]q has no row with its size (empty variable)"},
	"profiles.error.variable_missing":   {NL: "variabele %[1]q ontbreekt voor cluster %[2]q", EN: "variable %[1]q is missing for cluster %[2]q"},
	"profiles.error.partition":          {NL: "in cluster %[1]q tellen de categorieën van variabele %[2]q niet op tot de omvang van het cluster", EN: "in cluster %[1]q the categories of variable %[2]q do not add up to the cluster's size"},
	"profiles.error.contributors_size":  {NL: "meer bijdragers dan huishoudens in cluster %[1]q", EN: "more contributors than households in cluster %[1]q"},
	"profiles.error.population_missing": {NL: "de populatieregel (%[1]s) ontbreekt: %[2]s", EN: "the population row (%[1]s) is missing: %[2]s"},
	"profiles.error.json":               {NL: "ongeldige JSON: %[1]s", EN: "invalid JSON: %[1]s"},
	"profiles.error.json_format":        {NL: "het veld format moet %[1]q zijn", EN: "the format field must be %[1]q"},
	"profiles.error.json_order":         {NL: "het veld checked moet vóór rows staan", EN: "the checked field must come before rows"},
	"profiles.error.json_field":         {NL: "onbekend veld %[1]q", EN: "unknown field %[1]q"},
	"profiles.error.meta_required":      {NL: "het metadataveld %[1]s is verplicht", EN: "the metadata field %[1]s is required"},
	"profiles.error.no_column":          {NL: "de kolom %[1]q ontbreekt", EN: "the column %[1]q is missing"},
	"profiles.error.meta_date":          {NL: "de datum moet de vorm JJJJ-MM-DD hebben", EN: "the date must have the form YYYY-MM-DD"},
	"profiles.error.inconsistent":       {NL: "de gepubliceerde cijfers spreken elkaar tegen (totalen kloppen niet)", EN: "the published figures contradict each other (totals do not add up)"},
	"profiles.error.audit":              {NL: "de controle door lineaire programmering mislukte: %[1]s", EN: "the audit by linear programming failed: %[1]s"},

	// Rules.
	"profiles.rules.looser": {NL: "de regel %[1]s mag alleen strenger worden dan de standaard, niet soepeler", EN: "the rule %[1]s may only be made stricter than the default, not looser"},
	"profiles.rules.range":  {NL: "de regel %[1]s heeft een onredelijke waarde", EN: "the rule %[1]s has an unreasonable value"},

	// Why a figure is suppressed.
	"profiles.rule.min_frequency":    {NL: "afgeschermd: minder dan %[1]v huishoudens", EN: "suppressed: fewer than %[1]v households"},
	"profiles.rule.complement":       {NL: "afgeschermd: de rest van de groep is kleiner dan %[1]v huishoudens (het complement zou te herleiden zijn)", EN: "suppressed: the rest of the group is smaller than %[1]v households (the complement could be derived)"},
	"profiles.rule.group":            {NL: "afgeschermd: meer dan %[1]v%% van het cluster valt in deze categorie (dan weet men het van bijna iedereen)", EN: "suppressed: more than %[1]v%% of the cluster falls in this category (it would be known of nearly everyone)"},
	"profiles.rule.apriori":          {NL: "afgeschermd op verzoek van de onderzoeker", EN: "suppressed at the researcher's request"},
	"profiles.rule.min_contributors": {NL: "afgeschermd: minder dan %[1]v huishoudens dragen bij aan dit bedrag", EN: "suppressed: fewer than %[1]v households contribute to this amount"},
	"profiles.rule.dominance":        {NL: "afgeschermd: de grootste %[1]v bijdrage(n) vormen meer dan %[2]v%% van het totaal (dominantieregel)", EN: "suppressed: the largest %[1]v contribution(s) make up more than %[2]v%% of the total (dominance rule)"},
	"profiles.rule.p_percent":        {NL: "afgeschermd: de op een na grootste bijdrager kan de grootste tot op %[1]v%% schatten (p%%-regel)", EN: "suppressed: the second largest contributor could estimate the largest to within %[1]v%% (p%% rule)"},
	"profiles.rule.from_file":        {NL: "afgeschermd in het gecontroleerde bestand: %[1]s", EN: "suppressed in the checked file: %[1]s"},
	"profiles.rule.secondary":        {NL: "ook afgeschermd, zodat een afgeschermd cijfer niet met de totalen terug te rekenen is", EN: "also suppressed, so that a suppressed figure cannot be worked back from the totals"},
	"profiles.rule.secondary_file":   {NL: "ook afgeschermd in het gecontroleerde bestand (secundair)", EN: "also suppressed in the checked file (secondary)"},

	// Audit outcomes.
	"profiles.audit.exact":       {NL: "dit afgeschermde cijfer is exact terug te rekenen uit wat gepubliceerd is", EN: "this suppressed figure can be worked out exactly from what is published"},
	"profiles.audit.too_narrow":  {NL: "dit afgeschermde cijfer is te nauwkeurig te schatten: het bereik is smaller dan %[1]v", EN: "this suppressed figure can be estimated too closely: its range is narrower than %[1]v"},
	"profiles.audit.upper":       {NL: "dit afgeschermde bedrag is te nauwkeurig te schatten: de grootste bijdrager is niet voldoende beschermd", EN: "this suppressed amount can be estimated too closely: the largest contributor is not protected enough"},
	"profiles.audit.not_audited": {NL: "dit afgeschermde cijfer kon niet gecontroleerd worden", EN: "this suppressed figure could not be audited"},

	// Report.
	// Counted with i18n.N: the first argument is the count, the form follows it.
	"profiles.report.safe.one":     {NL: "veilig: %[1]s cijfer primair en %[2]s secundair afgeschermd; geen afgeschermd cijfer is terug te rekenen", EN: "safe: %[1]s figure suppressed as primary and %[2]s as secondary; no suppressed figure can be worked back"},
	"profiles.report.safe.other":   {NL: "veilig: %[1]s cijfers primair en %[2]s secundair afgeschermd; geen afgeschermd cijfer is terug te rekenen", EN: "safe: %[1]s figures suppressed as primary and %[2]s as secondary; no suppressed figure can be worked back"},
	"profiles.report.unsafe.one":   {NL: "niet veilig: %[1]s probleem; deze set kan niet worden goedgekeurd", EN: "not safe: %[1]s problem; this set cannot be approved"},
	"profiles.report.unsafe.other": {NL: "niet veilig: %[1]s problemen; deze set kan niet worden goedgekeurd", EN: "not safe: %[1]s problems; this set cannot be approved"},
}
