package disclosure

import "atelier/internal/apperr"

// Rules are the disclosure-control parameters of a project. The zero value
// is not valid: start from DefaultRules and make it stricter.
type Rules struct {
	// MinFrequency is the smallest publishable count of households: cluster
	// sizes, category counts and contributors to a sum or mean.
	MinFrequency int64 `json:"min_frequency"`
	// MinComplement is the smallest publishable difference between a
	// cluster's size and a category count (so a percentage's complement
	// never reveals a count below it).
	MinComplement int64 `json:"min_complement"`
	// MaxShare is the largest publishable share (percent) of one category
	// in a cluster (group disclosure).
	MaxShare float64 `json:"max_share"`
	// Dominance1 is k of the (1,k) dominance rule, in percent.
	Dominance1 float64 `json:"dominance_1"`
	// Dominance2 is k of the (2,k) dominance rule, in percent.
	Dominance2 float64 `json:"dominance_2"`
	// P is p of the p% rule, in percent.
	P float64 `json:"p"`
}

// DefaultRules returns the defaults of DESIGN.md: minimum frequency 10,
// complements of at least 10, no category above 90% of a cluster,
// dominance (1,50) and (2,85), and the p% rule with p = 10.
func DefaultRules() Rules {
	return Rules{MinFrequency: 10, MinComplement: 10, MaxShare: 90, Dominance1: 50, Dominance2: 85, P: 10}
}

// Validate reports whether r is at least as strict as the defaults and
// within sensible bounds. A project may make the rules stricter, never
// looser.
func (r Rules) Validate() error {
	return r.Stricter(DefaultRules())
}

// Stricter reports an error unless r is at least as strict as base in every
// parameter: higher thresholds, lower shares and dominance percentages, a
// higher p.
func (r Rules) Stricter(base Rules) error {
	bad := func(param string) error {
		return apperr.New(apperr.Invalid, "profiles.rules.looser", param)
	}
	out := func(param string) error {
		return apperr.New(apperr.Invalid, "profiles.rules.range", param)
	}
	switch {
	case r.MinFrequency < base.MinFrequency:
		return bad("min_frequency")
	case r.MinComplement < base.MinComplement:
		return bad("min_complement")
	case r.MaxShare > base.MaxShare:
		return bad("max_share")
	case r.Dominance1 > base.Dominance1:
		return bad("dominance_1")
	case r.Dominance2 > base.Dominance2:
		return bad("dominance_2")
	case r.P < base.P:
		return bad("p")
	case r.MinFrequency > 1000:
		return out("min_frequency")
	case r.MinComplement > 1000:
		return out("min_complement")
	case r.MaxShare < 50:
		return out("max_share")
	case r.Dominance1 < 10:
		return out("dominance_1")
	case r.Dominance2 < 20:
		return out("dominance_2")
	case r.P > 100:
		return out("p")
	}
	return nil
}
