package sender

import "testing"

// A transaction marker moves the commit point past it only once every record before it is
// final: never past a request still in flight, and then past the marker, so an idle group
// shows a lag of 0 and not 1.
func TestOffsetTrackerPassesTransactionMarkers(t *testing.T) {
	var tr offsetTracker
	tr.add(0)
	tr.add(1)
	tr.pass(2) // the commit marker of the transaction holding 0 and 1
	if got, _ := tr.commitPoint(); got != 0 {
		t.Fatalf("commit point %d with 0 and 1 open, want 0", got)
	}
	tr.done(1)
	if got, _ := tr.commitPoint(); got != 0 {
		t.Fatalf("commit point %d with 0 open, want 0", got)
	}
	tr.done(0)
	if got, _ := tr.commitPoint(); got != 3 {
		t.Fatalf("commit point %d with everything final, want 3 (past the marker)", got)
	}
	// An aborted transaction: its records are never fetched, only its marker.
	tr.add(3)
	tr.pass(7)
	if got, _ := tr.commitPoint(); got != 3 {
		t.Fatalf("commit point %d with 3 open, want 3", got)
	}
	tr.done(3)
	if got, _ := tr.commitPoint(); got != 8 {
		t.Fatalf("commit point %d, want 8 (past the abort marker)", got)
	}
	// A marker fetched again after a rebalance race changes nothing.
	tr.pass(7)
	if got, _ := tr.commitPoint(); got != 8 || tr.open() != 0 {
		t.Fatalf("commit point %d, open %d after a marker seen twice; want 8, 0", got, tr.open())
	}
	// A partition whose first fetched record is a marker (a commit left at it).
	var fresh offsetTracker
	fresh.pass(41)
	if got, ok := fresh.commitPoint(); !ok || got != 42 {
		t.Fatalf("commit point %d (ok %v) after only a marker, want 42", got, ok)
	}
}
