// Package eventmemo is the engines' memory of one event: what processor/fql's triggers
// (fql.Memo) and processor/mapping's renders (mapping.EventJSON) looked up in the event,
// so that the next trigger or mapping of the same event reading the same path finds it
// there.
//
// Paths and expressions are known by ids (IDs) that every compiled expression or mapping
// gets at compile time, the same id for the same text. An event's entries are kept in a
// Table indexed by id; Next forgets all of them at once, for the next event.
//
// The package has no dependencies: the engines share it, and nothing in it knows what an
// entry holds.
package eventmemo

import (
	"math"
	"strings"
	"sync"
)

// IDs interns keys: each distinct key gets an id, from 1 up. The table only grows; past
// MaxIDs keys, and for a key longer than MaxKeyLength, there is no id (0): the caller then
// does its work every time, without a Table. Both bounds keep text compiled on demand for
// a person (the control API's checks, the Event Tester) from growing it without limit.
// Safe for concurrent use; the zero value is ready.
type IDs struct {
	mu  sync.Mutex
	ids map[string]int32
}

// Bounds of an IDs table.
const (
	MaxIDs       = 1 << 16
	MaxKeyLength = 256
)

// ID returns key's id, 0 when it gets none.
func (t *IDs) ID(key string) int32 {
	if len(key) > MaxKeyLength {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	id, ok := t.ids[key]
	if !ok && len(t.ids) < MaxIDs {
		if t.ids == nil {
			t.ids = map[string]int32{}
		}
		id = int32(len(t.ids) + 1)
		t.ids[key] = id
	}
	return id
}

// PathID returns the id of the path of segments (PathID(["a", "b"]) is not ID("a.b"): a
// segment may hold a dot).
func (t *IDs) PathID(segments []string) int32 {
	return t.ID(strings.Join(segments, "\x00"))
}

// Table holds at most one T per id, for the current event. Not safe for concurrent use;
// the zero value is empty.
type Table[T any] struct {
	rows []row[T]
	// gen tells the current event's rows from older ones: theirs is gen+1, so the zero
	// value of both is empty.
	gen uint32
}

type row[T any] struct {
	gen uint32
	v   T
}

// Next forgets every entry: what follows is of another event. It reports whether the
// table's count of events started again, after 2³²−1 of them: a caller keeping Stamp
// elsewhere must then forget those too.
func (t *Table[T]) Next() (wrapped bool) {
	t.gen++
	if t.gen == math.MaxUint32 {
		clear(t.rows)
		t.gen = 0
		return true
	}
	return false
}

// Stamp is the current event's mark, for entries the caller keeps elsewhere (an entry
// whose stamp is not Stamp() is an older event's).
func (t *Table[T]) Stamp() uint32 { return t.gen + 1 }

// Get returns id's entry for the current event, nil when it has none. The entry may be
// changed in place; it moves when Put grows the table.
func (t *Table[T]) Get(id int32) *T {
	rows, i := t.rows, uint(id) // unsigned: one comparison, no bounds check after
	if i < uint(len(rows)) && rows[i].gen == t.gen+1 {
		return &rows[i].v
	}
	return nil
}

// Put makes v id's entry for the current event and returns where it is kept (as Get).
func (t *Table[T]) Put(id int32, v T) *T {
	if int(id) >= len(t.rows) {
		grown := make([]row[T], max(int(id)+1, 2*len(t.rows)))
		copy(grown, t.rows)
		t.rows = grown
	}
	t.rows[id] = row[T]{gen: t.gen + 1, v: v}
	return &t.rows[id].v
}
