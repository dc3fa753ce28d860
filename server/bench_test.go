package server

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"testing"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/exports"
	"atelier/profiles"
)

// BenchmarkHome measures a full request for / over loopback, through every
// middleware: anonymous (the landing page) and logged in (session lookup,
// project query, template).
func BenchmarkHome(b *testing.B) {
	ts := newTestServer(b)
	for _, who := range []string{"anonymous", "facilitator"} {
		b.Run(who, func(b *testing.B) {
			c := ts.client(b)
			c.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
			if who != "anonymous" {
				ts.login(b, c, accounts.Facilitator)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := c.Get(ts.URL + "/")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkHealthz is the floor: the smallest request the server answers.
func BenchmarkHealthz(b *testing.B) {
	ts := newTestServer(b)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	for b.Loop() {
		res, err := c.Get(ts.URL + "/healthz")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}

// bigExport writes a long CSV with 50 clusters × 40 variables of up to 8
// categories (and one magnitude in ten), the size issue 3 asks to handle.
func bigExport(seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.WriteString("cluster,cluster_label,variable,variable_label,category,count,sum,contributors,top1,top2,suppress\n")
	cats := make([]int, 40)
	for v := range cats {
		cats[v] = 2 + rng.Intn(7)
	}
	for c := 0; c < 50; c++ {
		size := 40 + rng.Intn(400)
		fmt.Fprintf(&b, "K%d,Cluster %d,,,,%d,,,,,\n", c, c, size)
		for v := 0; v < 40; v++ {
			if v%10 == 9 {
				sum := float64(size) * (15000 + rng.Float64()*20000)
				fmt.Fprintf(&b, "K%d,,v%d,Variabele %d,,,%.0f,%d,%.0f,%.0f,\n", c, v, v, sum, size, sum/float64(size)*3, sum/float64(size)*2.5)
				continue
			}
			left := size
			for k := 0; k < cats[v]; k++ {
				n := left
				if k < cats[v]-1 {
					n = rng.Intn(left/2 + 1)
				}
				left -= n
				fmt.Fprintf(&b, "K%d,,v%d,Variabele %d,cat%d,%d,,,,,\n", c, v, v, k, n)
			}
		}
	}
	return b.Bytes()
}

// BenchmarkBigSet measures, for a 50 × 40 × 8 export: the import (read,
// check with secondary suppression and audit, store), and then a cluster
// page with its 40 charts and tables, one chart's options, and the
// steward's review page, over HTTP.
func BenchmarkBigSet(b *testing.B) {
	ts := newTestServer(b)
	body := bigExport(1)
	steward := profiles.Actor{UserID: ts.Users[accounts.Steward].ID, Name: "bench", Origin: "cli"}
	var setID int64
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			e, err := exports.ReadCSV("big.csv", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			res, err := disclosure.Check(e, disclosure.DefaultRules())
			if err != nil || !res.Safe {
				b.Fatalf("check: %v safe=%v", err, res != nil && res.Safe)
			}
			set, err := ts.Profiles.Import(b.Context(), ts.Project.ID, res, steward)
			if err != nil {
				b.Fatal(err)
			}
			setID = set.ID
		}
	})
	if err := ts.Profiles.Approve(b.Context(), setID, profiles.Actor{UserID: ts.Steward2.ID, Name: "bench", Origin: "cli"}, ""); err != nil {
		b.Fatal(err)
	}
	c := ts.client(b)
	c.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	ts.login(b, c, accounts.Policymaker)
	for name, path := range map[string]string{
		"cluster-page":  fmt.Sprintf("/p/%s/sets/%d/clusters/K7", ts.Project.Slug, setID),
		"chart-options": fmt.Sprintf("/api/sets/%d/clusters/K7/charts/v3", setID),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				res, err := c.Get(ts.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
	// The steward's review page of that set: the summary and every one of
	// its figures, grouped per cluster and variable (issue 9).
	st := ts.client(b)
	st.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	ts.loginAs(b, st, "steward2@example.test")
	b.Run("review-page", func(b *testing.B) {
		var size int64
		for b.Loop() {
			res, err := st.Get(ts.URL + fmt.Sprintf("/p/%s/sets/%d", ts.Project.Slug, setID))
			if err != nil {
				b.Fatal(err)
			}
			size, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		b.ReportMetric(float64(size)/1024, "KiB")
	})
}
