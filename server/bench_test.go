package server

import (
	"io"
	"net/http"
	"testing"

	"atelier/accounts"
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
