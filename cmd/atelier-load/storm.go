package main

// The join-storm run: many participants join one full session at once.

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"
)

// runJoinStorm is the join-storm run: one session, prefilled with
// cfg.prefill notes from a few participants, then cfg.joinStorm new
// participants join within cfg.stormWindow; for each, the time from sending
// hello to receiving synced is its snapshot latency.
func (l *loader) runJoinStorm(ctx context.Context, stdout io.Writer) error {
	cfg := l.cfg
	if err := l.setupSessions(ctx, 1); err != nil {
		return err
	}
	s := l.sessions[0]
	// Enough prefillers to stay within 10 notes/s per participant at the
	// prefill rate (and at most 200).
	prefillers := int(math.Ceil(cfg.prefillRate / 5))
	prefillers = max(2, min(prefillers, 200, max(cfg.prefill, 2)))
	parts := make([]*participant, prefillers)
	for i := range parts {
		parts[i] = l.newParticipant(i, s)
		s.members = append(s.members, parts[i])
	}
	l.notes = newNotes(cfg.prefill, 1, 0, l.sessions)
	if err := l.connectAll(ctx, parts); err != nil {
		return err
	}
	rss := startRSS(cfg.pid)
	if cfg.prefill > 0 {
		if err := l.sendNotes(ctx, cfg.prefillRate, cfg.prefill); err != nil {
			rss.finish()
			return err
		}
		l.waitDeliveries(ctx, cfg.grace)
	}
	l.logf("prefilled session %d with %d acknowledged notes from %d participants; storm of %d joins over %s",
		s.id, l.notes.acked.Load(), prefillers, cfg.joinStorm, cfg.stormWindow)

	storm := make([]*participant, cfg.joinStorm)
	for i := range storm {
		storm[i] = l.newParticipant(prefillers+i, s)
	}
	stormStart := time.Now()
	errs := l.storm(ctx, s, storm)
	failed := l.reportStorm(stdout, storm, errs, stormStart)
	rss.finish()
	err := l.finish(stdout, append(parts, storm...), rss)
	if err == nil && failed > 0 {
		err = fmt.Errorf("%w: %d joins of the storm failed", errCheckFailed, failed)
	}
	return err
}

// storm joins and connects the participants, spread evenly over the
// storm window, each on its own, and returns each one's error.
func (l *loader) storm(ctx context.Context, s *sessionInfo, storm []*participant) []error {
	cfg := l.cfg
	errs := make([]error, len(storm))
	var wg sync.WaitGroup
	stormStart := time.Now()
	for i, p := range storm {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := stormStart.Add(time.Duration(i) * cfg.stormWindow / time.Duration(len(storm)))
			select {
			case <-time.After(time.Until(at)):
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			err := l.join(ctx, p)
			if err == nil {
				p.clusters = s.clusters
				err = p.connect(ctx)
			}
			if err == nil {
				err = p.waitSynced(ctx, 60*time.Second)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errs
}

// reportStorm prints the storm's line: the time from hello to synced of
// each participant that joined. It returns how many failed.
func (l *loader) reportStorm(stdout io.Writer, storm []*participant, errs []error, stormStart time.Time) int {
	cfg := l.cfg
	var lat []float64
	failed, minSnap, maxSnap := 0, math.MaxInt, 0
	for i, p := range storm {
		if errs[i] != nil {
			if failed++; failed <= 5 {
				l.logf("join storm: %v", errs[i])
			}
			continue
		}
		lat = append(lat, float64(p.conn.SyncLatency())/1e6)
		minSnap, maxSnap = min(minSnap, p.snapNotes), max(maxSnap, p.snapNotes)
	}
	l.logf("join storm: %d of %d synced in %.2f s; notes in their snapshots: min %d, max %d; %d failed",
		len(lat), len(storm), time.Since(stormStart).Seconds(), minSnap, maxSnap, failed)
	sort.Float64s(lat)
	fmt.Fprintf(stdout, "join_storm=%d prefill=%d snapshot_p50_ms=%.2f snapshot_p95_ms=%.2f snapshot_max_ms=%.2f\n",
		cfg.joinStorm, cfg.prefill, exactQuantile(lat, 0.5), exactQuantile(lat, 0.95), exactQuantile(lat, 1))
	return failed
}

// exactQuantile of sorted values (nearest rank).
func exactQuantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
