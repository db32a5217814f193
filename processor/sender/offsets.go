package sender

import "sort"

// offsetTracker follows one partition's records from fetch to final outcome. Records of
// a partition finish out of order (different instances on the retry topic, different
// batches, retries in between), and a committed offset tells the group that everything
// before it is done, so the commit point is the lowest offset still open, or one past the
// last record when none is.
//
// Offsets are added in fetch order, which is ascending; gaps (records of aborted
// transactions, compaction) are fine because only added offsets are tracked.
//
// Transaction markers are added too, as already final (passed): the delivery topics are
// written in transactions, so a marker follows every partition's last record, and a commit
// point that stopped at the last record would leave the group a lag of 1 for ever. A
// marker moves the commit point past it only once every record before it is final, like
// any record.
type offsetTracker struct {
	entries []trackEntry // entries[head:] are the open window, ascending
	head    int
	next    int64 // one past the highest offset added
	started bool
}

type trackEntry struct {
	offset int64
	done   bool
}

// add registers a fetched record. It returns false for an offset at or below one already
// added: a record fetched again after a rebalance race, which is already being handled.
func (t *offsetTracker) add(offset int64) bool {
	if t.started && offset < t.next {
		return false
	}
	t.started = true
	t.next = offset + 1
	t.entries = append(t.entries, trackEntry{offset: offset})
	return true
}

// pass registers a transaction marker (a control record), which has nothing to do: it is
// added already final.
func (t *offsetTracker) pass(offset int64) {
	if t.add(offset) {
		t.done(offset)
	}
}

// done marks a record's outcome final. Unknown offsets are ignored.
func (t *offsetTracker) done(offset int64) {
	open := t.entries[t.head:]
	i := sort.Search(len(open), func(i int) bool { return open[i].offset >= offset })
	if i == len(open) || open[i].offset != offset {
		return
	}
	open[i].done = true
	for t.head < len(t.entries) && t.entries[t.head].done {
		t.head++
	}
	// Reclaim the finished prefix once it is most of the slice, so memory follows the
	// open window rather than everything ever fetched.
	if t.head > 256 && t.head*2 > len(t.entries) {
		n := copy(t.entries, t.entries[t.head:])
		t.entries = t.entries[:n]
		t.head = 0
	}
}

// commitPoint is the offset to commit: every record below it is final. ok is false until
// a record was added.
func (t *offsetTracker) commitPoint() (offset int64, ok bool) {
	if !t.started {
		return 0, false
	}
	if t.head < len(t.entries) {
		return t.entries[t.head].offset, true
	}
	return t.next, true
}

// open counts records added whose outcome is not final yet.
func (t *offsetTracker) open() int {
	n := 0
	for _, e := range t.entries[t.head:] {
		if !e.done {
			n++
		}
	}
	return n
}
