package server

import (
	"context"
	"sync"
	"time"

	"atelier/retention"
	"atelier/store"
)

// AuditHealth is the outcome of the last verification of the audit trail.
type AuditHealth struct {
	mu      sync.Mutex
	checked time.Time
	status  store.ChainStatus
	failed  bool // the trail could not be read
}

// Snapshot returns when the trail was last verified and what came out;
// failed means it could not be read at all.
func (h *AuditHealth) Snapshot() (checked time.Time, status store.ChainStatus, failed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.checked, h.status, h.failed
}

func (h *AuditHealth) set(status store.ChainStatus, failed bool) {
	h.mu.Lock()
	h.checked, h.status, h.failed = time.Now(), status, failed
	h.mu.Unlock()
}

// VerifyAudit checks the audit trail's hash chain and records the outcome
// for /healthz. A broken chain is logged as a security event, naming the
// record; the server keeps serving.
func (in *Instance) VerifyAudit(ctx context.Context) store.ChainStatus {
	status, err := in.DB.VerifyAudit(ctx)
	in.Audit.set(status, err != nil)
	switch {
	case err != nil:
		in.Log.Error("audit trail unreadable", "err", err.Error())
	case !status.OK():
		in.Log.Error("security", "action", "audit.verify", "object", "audit_log:"+itoa64(status.Break.ID), "result", string(status.Break.Kind),
			"origin", "system", "actor", "atelier")
	default:
		in.Log.Info("audit trail verified", "records", status.Records)
	}
	return status
}

// RunRetention deletes what has expired, logs what kinds and how much
// (never what), and verifies the trail after it.
func (in *Instance) RunRetention(ctx context.Context) (*retention.Result, error) {
	res, err := retention.Run(ctx, in.DB, retention.Options{Origin: "system", Actor: "retention", Changed: in.Live.Invalidate})
	if err != nil {
		if ctx.Err() == nil {
			in.Log.Error("retention", "err", err.Error())
		}
		return nil, err
	}
	totals := map[string]int64{}
	for _, d := range res.Deletions {
		totals[d.Kind] += d.Count
	}
	args := []any{"deleted", res.Total()}
	for kind, n := range totals {
		args = append(args, kind, n)
	}
	in.Log.Info("retention", args...)
	in.VerifyAudit(ctx)
	return res, nil
}

// startRetention runs retention at once and then every retentionEvery
// (daily by default) until ctx ends or the returned stop is called; stop
// waits for a run in progress, so that the database is not closed under
// it.
func (in *Instance) startRetention(ctx context.Context) (stop func()) {
	every := in.retentionEvery
	if every < 0 {
		return func() {}
	}
	if every == 0 {
		every = 24 * time.Hour
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			in.RunRetention(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(every):
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
