// Package profiles reads cluster-profile exports, applies Atelier's
// disclosure-control rules (primary and secondary cell suppression), proves
// the result with an attacker audit by linear programming, and writes the
// checked file and the report.
//
// The package is pure: no SQL, no HTTP. The lead wires it into the command
// line, the store and the web pages.
//
// Two invariants hold for everything this package produces: a suppressed
// value never leaves Check (a Result only holds published values), and the
// largest single contributions (top1, top2) never appear in any output.
package profiles

// Kind says whether a variable is a frequency distribution or a magnitude.
type Kind string

// Variable kinds.
const (
	Frequency Kind = "frequency"
	Magnitude Kind = "magnitude"
)

// Status is the disclosure status of one published figure.
type Status string

// Cell statuses, as written in the checked file.
const (
	Published Status = "published"
	Primary   Status = "primary"
	Secondary Status = "secondary"
)

// PopulationID is the cluster id of the population rows in a checked file:
// the sum over all clusters.
const PopulationID = "_all"

// Meta describes where an export comes from. It is read from the JSON sidecar
// NAME.meta.json or from the "meta" field of a JSON document.
type Meta struct {
	Project    string `json:"project"`
	Source     string `json:"source"`
	Population string `json:"population"`
	ExportRef  string `json:"export_reference"`
	Date       string `json:"date"`
	Synthetic  bool   `json:"synthetic"`
}

// Export is one parsed cluster-profile export: the clusters with their sizes
// and, per variable, a figure for every cluster. It may hold single
// households' values (top1, top2) in unexported fields, so it must not be
// stored or shown: pass it to Check and keep the Result.
type Export struct {
	Name      string
	Meta      Meta
	Clusters  []Cluster
	Variables []Variable

	// Checked is true when the export was read from a checked file
	// (with status and reason columns and population rows).
	Checked bool

	// popSize and the Pop fields of variables are only filled from checked
	// files; for raw exports they are computed.
	popSize figure
}

// Cluster is one group of households.
type Cluster struct {
	ID    string
	Label string
	size  figure
}

// Variable is one characteristic of the households, with a figure for every
// cluster.
type Variable struct {
	Name       string
	Label      string
	Kind       Kind
	Categories []string

	counts [][]figure // [cluster][category], frequency variables
	mags   []figure   // [cluster], magnitude variables
	pop    []figure   // [category] or [0] (magnitude): population rows of checked files
}

// figure is one input value: a count, or a magnitude with its contributors
// and largest contributions. known is false for a value suppressed in a
// checked file.
type figure struct {
	count        int64
	sum          float64
	contributors int64
	top1, top2   float64
	hasTop       bool
	known        bool
	present      bool // a row was given
	apriori      bool
	fileStatus   Status
	fileReason   string
	line         int
}

// Size reports the cluster's size and whether it is known (a checked file
// leaves suppressed sizes empty).
func (c Cluster) Size() (int64, bool) { return c.size.count, c.size.known }
