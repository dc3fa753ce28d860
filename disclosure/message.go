package disclosure

import "atelier/internal/apperr"

// Message is a translatable text: a catalogue key and its arguments.
type Message struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// errInconsistent reports published figures that contradict each other.
var errInconsistent = apperr.New(apperr.Invalid, "profiles.error.inconsistent")
