package sessions

import (
	"bufio"
	"io"
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
