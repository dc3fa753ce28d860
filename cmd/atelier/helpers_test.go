package main

import (
	"context"
	"testing"

	"atelier/profiles"
	"atelier/store"
)

// seedProject creates project "p1" in the data folder.
func seedProject(t *testing.T, data string) {
	t.Helper()
	db, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := profiles.NewStore(db).CreateProject(context.Background(), "p1", "Project 1", "Testen.", "test", "cli"); err != nil {
		t.Fatal(err)
	}
}
