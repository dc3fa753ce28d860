package sessions

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// CSV for spreadsheets, the way Dutch offices open it: UTF-8 with a byte
// order mark (Excel needs it to read accents), CRLF line ends, and either
// a comma or a semicolon between cells (Dutch Excel expects the semicolon).
// Every cell that holds a comma, a semicolon, a quote or a line break is
// quoted, whichever the delimiter, so that a file opened with the other
// one never splits a cell; and every cell a spreadsheet could take for a
// formula starts with an apostrophe (CWE-1236).

// csvWriter writes such a file.
type csvWriter struct {
	w   *bufio.Writer
	sep byte
	err error
}

// newCSV starts a file with the byte order mark. sep is ',' or ';'.
func newCSV(w io.Writer, sep byte) *csvWriter {
	c := &csvWriter{w: bufio.NewWriter(w), sep: sep}
	_, c.err = c.w.WriteString("\uFEFF")
	return c
}

// row writes one line.
func (c *csvWriter) row(cells ...string) {
	if c.err != nil {
		return
	}
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(c.sep)
		}
		cell = csvSafe(cell)
		if strings.ContainsAny(cell, ",;\"\r\n") {
			cell = `"` + strings.ReplaceAll(cell, `"`, `""`) + `"`
		}
		c.w.WriteString(cell)
	}
	_, c.err = c.w.WriteString("\r\n")
}

// close flushes the file and reports the first error.
func (c *csvWriter) close() error {
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

// csvSafe defuses formula injection: a spreadsheet runs a cell that starts
// with =, +, -, @, a tab or a carriage return as a formula.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Separator returns the cell separator a request asks for: ';' for
// "semicolon" (Dutch Excel), ',' otherwise.
func Separator(name string) byte {
	if name == "semicolon" || name == ";" {
		return ';'
	}
	return ','
}

// CSVHeader is the first line of a report's CSV export. Columns only ever
// get added at the end, so that spreadsheets built on the earlier ones keep
// working.
var CSVHeader = []string{"cluster", "cluster_label", "type", "kind", "text", "votes", "role", "source", "tags", "theme",
	"rank", "votes_professional", "votes_parent", "votes_youth", "votes_other"}

// WriteCSV writes the report's notes and excerpts as CSV for spreadsheets
// (see csv.go), sep between cells: one header line, one row per note or
// excerpt, in the order of the report page (each theme's notes and
// excerpts, then those in no theme, whose theme cell is empty). Votes per
// role and role labels follow the same rules as the report page.
func (r *Report) WriteCSV(w io.Writer, sep byte) error {
	cw := newCSV(w, sep)
	cw.row(CSVHeader...)
	note := func(c ClusterReport, n ReportNote, theme string) {
		cells := []string{c.ID, c.Label, "note", n.Kind, n.Text, strconv.Itoa(n.Votes), string(n.Role), "", "", theme, n.RankText()}
		for _, rc := range n.ByRole {
			cells = append(cells, rc.Count.String())
		}
		cw.row(cells...)
	}
	excerpt := func(c ClusterReport, x ReportExcerpt, theme string) {
		cw.row(c.ID, c.Label, "excerpt", "", x.Text, "", string(x.Role), x.Source, strings.Join(x.Tags, "; "), theme)
	}
	for _, c := range r.Clusters {
		for _, th := range c.Themes {
			for _, n := range th.Notes {
				note(c, n, th.Title)
			}
			for _, x := range th.Excerpts {
				excerpt(c, x, th.Title)
			}
		}
		for _, g := range c.Kinds {
			for _, n := range g.Notes {
				note(c, n, "")
			}
		}
		for _, x := range c.Excerpts {
			excerpt(c, x, "")
		}
	}
	return cw.close()
}
