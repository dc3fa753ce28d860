package sessions

import "testing"

// TestPresentCountsPeople: "present" on the wall counts participants, not
// connections: two tabs of one phone count once, facilitators not at all.
func TestPresentCountsPeople(t *testing.T) {
	h := NewHub()
	defer h.Close()
	subs := []*Subscriber{
		NewSubscriber(1, 10, false),
		NewSubscriber(1, 10, false), // the same phone, a second tab
		NewSubscriber(1, 11, false),
		NewSubscriber(1, 0, true), // the console
		NewSubscriber(1, 0, true), // the wall
		NewSubscriber(2, 12, false),
	}
	for _, s := range subs {
		if !h.Subscribe(s) {
			t.Fatal("subscribe refused")
		}
	}
	if got := len(h.Connected(1)); got != 2 {
		t.Errorf("Connected(1) has %d, want 2 participants", got)
	}
	h.Unsubscribe(subs[0])
	if got := len(h.Connected(1)); got != 2 {
		t.Errorf("after closing one of two tabs: Connected(1) has %d, want 2", got)
	}
	h.Unsubscribe(subs[1])
	if got := len(h.Connected(1)); got != 1 {
		t.Errorf("after closing both tabs: Connected(1) has %d, want 1", got)
	}
}
