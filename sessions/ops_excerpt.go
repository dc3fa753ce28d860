package sessions

import (
	"fmt"
	"strings"

	"atelier/internal/apperr"
)

// excerptCreate adds an interview excerpt. Only professionals add them:
// excerpts come from their interviews, questionnaires and observations, and
// the report presents them as such.
func excerptCreate(c *opContext) (*result, error) {
	if c.p.Role != Professional {
		return nil, apperr.New(apperr.Forbidden, "sessions.excerpt_professionals_only")
	}
	var in struct {
		Cluster, Text, Source string
		Tags                  []string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !c.sess.HasCluster(in.Cluster) {
		return nil, apperr.New(apperr.Invalid, "sessions.cluster_unknown")
	}
	if !contains(ExcerptSources, in.Source) {
		return nil, apperr.New(apperr.Invalid, "sessions.source_invalid")
	}
	text, removed, err := c.cleanText(in.Text, MaxExcerpt, "sessions.excerpt_length")
	if err != nil {
		return nil, err
	}
	if len(in.Tags) > MaxTags {
		return nil, apperr.New(apperr.Invalid, "sessions.tags_invalid", MaxTags, MaxTag)
	}
	tags := []string{}
	for _, t := range in.Tags {
		t, r, err := c.cleanText(t, MaxTag, "sessions.tags_invalid")
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "sessions.tags_invalid", MaxTags, MaxTag)
		}
		removed = append(removed, r...)
		tags = append(tags, strings.ToLower(t))
	}
	var num int64
	err = c.tx.QueryRowContext(c.ctx, `INSERT INTO excerpts (session_id, participant_id, cluster_id, text, source, tags, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.sess.ID, c.p.ID, in.Cluster, text, in.Source, string(mustJSON(tags)), c.tx.Now).Scan(&num)
	if err != nil {
		return nil, fmt.Errorf("insert excerpt: %w", err)
	}
	x := &ExcerptView{ID: excerptID(num), Cluster: in.Cluster, Text: text, Source: in.Source, Tags: tags, Author: c.p.Pseudonym, Role: c.p.Role,
		CreatedAt: c.tx.Now.String()}
	return &result{event: &EventMessage{Kind: "excerpt.created", Excerpt: x}, object: x.ID, audience: Everyone, removed: removed}, nil
}
