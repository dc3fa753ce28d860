package profiles

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"atelier/disclosure"
	"atelier/internal/apperr"
	"atelier/store"
)

// MaxLabel bounds a label a steward types, as the export format bounds the
// labels it reads.
const MaxLabel = 500

// LabelKind says which label of a set a correction changes.
type LabelKind string

// The labels a steward may correct. Figures are never among them.
const (
	SetName       LabelKind = "name"
	ClusterLabel  LabelKind = "cluster"
	VariableLabel LabelKind = "variable"
	CategoryLabel LabelKind = "category"
)

// LabelChange is one corrected label: which one (by position in the set's
// Result, which never changes) and its new text. Index is the cluster or
// variable; Category the category within variable Index.
type LabelChange struct {
	Kind     LabelKind
	Index    int
	Category int
	Label    string
}

// LabelRecord is one correction as the review page lists it.
type LabelRecord struct {
	Target    string // as stored: "cluster:C1", "category:huishoudtype:2"
	Old, New  string
	ChangedBy string
	ChangedAt time.Time
}

// Relabel corrects labels of a pending set: its name, cluster, variable and
// category labels. Nothing else in the stored result changes; each change
// is kept with its old text, and the step is audited. Changes that leave a
// label as it was are ignored. A decided set's labels are final.
func (s *Store) Relabel(ctx context.Context, setID int64, by Actor, changes []LabelChange) (int, error) {
	applied := 0
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var state, body, name string
		var projectID int64
		err := tx.QueryRowContext(ctx, `SELECT state, result, name, project_id FROM profile_sets WHERE id = ?`, setID).
			Scan(&state, &body, &name, &projectID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "sets.not_found")
		}
		if err != nil {
			return fmt.Errorf("read profile set: %w", err)
		}
		if err := requireSteward(ctx, tx, projectID, by.UserID); err != nil {
			return err
		}
		if SetState(state) != Pending {
			return apperr.New(apperr.Conflict, "steward.labels_final", apperr.Key("sets.state."+state))
		}
		res := new(disclosure.Result)
		if err := json.Unmarshal([]byte(body), res); err != nil {
			return fmt.Errorf("decode profile set %d: %w", setID, err)
		}
		res.Name = name
		type done struct{ target, old, new string }
		var log []done
		for _, ch := range changes {
			target, old, err := relabel(res, ch)
			if err != nil {
				return err
			}
			if target != "" {
				log = append(log, done{target, old, strings.TrimSpace(ch.Label)})
			}
		}
		if len(log) == 0 {
			return nil
		}
		out, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE profile_sets SET result = ?, name = ?, revision = revision + 1 WHERE id = ?`,
			string(out), res.Name, setID); err != nil {
			return fmt.Errorf("update profile set: %w", err)
		}
		for _, d := range log {
			if _, err := tx.ExecContext(ctx, `INSERT INTO profile_set_labels (set_id, target, old_label, new_label, changed_by, changed_at)
				VALUES (?, ?, ?, ?, ?, ?)`, setID, d.target, d.old, d.new, by.UserID, tx.Now); err != nil {
				return fmt.Errorf("record label change: %w", err)
			}
		}
		applied = len(log)
		return store.Audit(ctx, tx, store.Event{Action: "profiles.relabel", Object: fmt.Sprintf("set:%d project:%d", setID, projectID),
			Result: "ok:" + strconv.Itoa(len(log)), Origin: by.Origin, Actor: by.Name})
	})
	return applied, err
}

// relabel applies one change to res and returns its target and the old
// label, or an empty target when the label does not change.
func relabel(res *disclosure.Result, ch LabelChange) (target, old string, err error) {
	label := strings.TrimSpace(ch.Label)
	if label == "" || len([]rune(label)) > MaxLabel || strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return "", "", apperr.New(apperr.Invalid, "steward.label_invalid", MaxLabel)
	}
	badTarget := apperr.New(apperr.Invalid, "steward.label_target")
	var p *string
	switch ch.Kind {
	case SetName:
		if len([]rune(label)) > MaxSetName {
			return "", "", apperr.New(apperr.Invalid, "steward.name_length", MaxSetName)
		}
		target, p = "name", &res.Name
	case ClusterLabel:
		if ch.Index < 0 || ch.Index >= len(res.Clusters) {
			return "", "", badTarget
		}
		target, p = "cluster:"+res.Clusters[ch.Index].ID, &res.Clusters[ch.Index].Label
	case VariableLabel:
		if ch.Index < 0 || ch.Index >= len(res.Variables) {
			return "", "", badTarget
		}
		target, p = "variable:"+res.Variables[ch.Index].Name, &res.Variables[ch.Index].Label
	case CategoryLabel:
		if ch.Index < 0 || ch.Index >= len(res.Variables) {
			return "", "", badTarget
		}
		v := &res.Variables[ch.Index]
		if ch.Category < 0 || ch.Category >= len(v.Categories) {
			return "", "", badTarget
		}
		// A category is known by its text on every page: two of one
		// variable may not read the same.
		for k, c := range v.Categories {
			if k != ch.Category && c == label {
				return "", "", apperr.New(apperr.Invalid, "steward.label_twice", label)
			}
		}
		target, p = "category:"+v.Name+":"+strconv.Itoa(ch.Category), &v.Categories[ch.Category]
	default:
		return "", "", badTarget
	}
	if *p == label {
		return "", "", nil
	}
	old, *p = *p, label
	return target, old, nil
}

// LabelHistory lists the label corrections of a set, oldest first, for the
// stewards who review it.
func (s *Store) LabelHistory(ctx context.Context, setID int64) ([]LabelRecord, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT l.target, l.old_label, l.new_label, COALESCE(u.email, ''), l.changed_at
		FROM profile_set_labels l LEFT JOIN users u ON u.id = l.changed_by WHERE l.set_id = ? ORDER BY l.id`, setID)
	if err != nil {
		return nil, fmt.Errorf("read label history: %w", err)
	}
	defer rows.Close()
	var out []LabelRecord
	for rows.Next() {
		var r LabelRecord
		var at store.Time
		if err := rows.Scan(&r.Target, &r.Old, &r.New, &r.ChangedBy, &at); err != nil {
			return nil, err
		}
		r.ChangedAt = at.Time
		out = append(out, r)
	}
	return out, rows.Err()
}
