package server

import (
	"slices"
)

// May reports whether the page's viewer may use the route called name, by
// the same access rule the route is mounted with: pages offer a link only
// to those who can follow it. Rules within a project (a member who only
// reads) are the page's own data.
func (v view) May(name string) bool {
	for _, r := range routeTable {
		if r.name != name {
			continue
		}
		if r.access.public {
			return true
		}
		return v.User != nil && slices.Contains(r.access.roles, v.User.Role)
	}
	return false
}
