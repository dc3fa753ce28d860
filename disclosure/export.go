// Package disclosure is Atelier's disclosure control: it applies the rules
// of a project to a cluster-profile export (primary suppression), chooses
// secondary suppressions so that no suppressed figure can be recovered from
// what is published, and proves it with an attacker audit by linear
// programming.
//
// The package is pure: no SQL, no HTTP, no translations. Reasons and
// problems are catalogue keys with arguments (Message); the server and the
// command line put them into words.
//
// Two invariants hold for everything this package produces: a suppressed
// value never leaves Check (a Result holds published values only), and the
// largest single contributions (Top1, Top2) never appear in a Result.
package disclosure

// Kind says whether a variable is a frequency distribution or a magnitude.
type Kind string

// Variable kinds.
const (
	Frequency Kind = "frequency"
	Magnitude Kind = "magnitude"
)

// Status is the disclosure status of one figure.
type Status string

// Figure statuses, as written in the checked file.
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
	// Name is what the set is called on every page ("Huishoudprofielen
	// Smart Start, najaar 2026"); empty means the file's name.
	Name       string `json:"name,omitempty"`
	Project    string `json:"project"`
	Source     string `json:"source"`
	Population string `json:"population"`
	ExportRef  string `json:"export_reference"`
	Date       string `json:"date"`
	Synthetic  bool   `json:"synthetic"`
}

// Export is one cluster-profile export as the researcher made it: the
// clusters with their sizes and, per variable, an entry for every cluster.
// It holds single households' values (Top1, Top2), so it must never be
// stored or shown: pass it to Check and keep the Result.
type Export struct {
	Name      string
	Meta      Meta
	Clusters  []Cluster
	Variables []Variable

	// Checked is true when the export was read from a checked file (with
	// status and reason columns and population rows).
	Checked bool
	// PopSize is the population size of a checked file; for a raw export
	// it is the sum of the cluster sizes and this field is ignored.
	PopSize Entry
}

// Cluster is one group of households.
type Cluster struct {
	ID    string
	Label string
	Size  Entry
}

// Variable is one characteristic of the households, with an entry for every
// cluster.
type Variable struct {
	Name       string
	Label      string
	Kind       Kind
	Categories []string

	Counts [][]Entry // [cluster][category], frequency variables
	Mags   []Entry   // [cluster], magnitude variables
	Pop    []Entry   // [category] or [0] (magnitude): population rows of a checked file
}

// Entry is one input value: a count, or a magnitude (a sum) with its number
// of contributors and two largest contributions. Known is false for a value
// suppressed in a checked file.
type Entry struct {
	Count        int64
	Sum          float64
	Contributors int64
	Top1, Top2   float64
	HasTop       bool
	Known        bool
	Apriori      bool   // the researcher marked it for suppression
	FileStatus   Status // checked files: the status the file gives
	FileReason   string // checked files: the reason the file gives
}
