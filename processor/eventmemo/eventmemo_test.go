package eventmemo

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestTableKeepsOneEvent(t *testing.T) {
	var tb Table[string]
	if tb.Get(1) != nil {
		t.Fatal("the zero table has an entry")
	}
	for id := int32(1); id <= 40; id++ { // grows several times
		*tb.Put(id, "v") += string(rune('a' + id%26))
	}
	for id := int32(1); id <= 40; id++ {
		if v := tb.Get(id); v == nil || *v != "v"+string(rune('a'+id%26)) {
			t.Fatalf("entry %d: %v", id, v)
		}
	}
	if tb.Get(0) != nil || tb.Get(41) != nil || tb.Get(-1) != nil || tb.Get(math.MaxInt32) != nil {
		t.Fatal("an entry that was never put")
	}
	stamp := tb.Stamp()
	if tb.Next() || tb.Get(3) != nil || tb.Stamp() == stamp {
		t.Fatal("Next kept an entry, or the stamp")
	}
	tb.Put(3, "new")
	// The count of events starting again forgets every entry too.
	tb.gen = math.MaxUint32 - 2
	tb.Put(5, "old")
	if tb.Next() || tb.Get(5) != nil {
		t.Fatal("Next before the wrap")
	}
	tb.Put(5, "last")
	if !tb.Next() || tb.gen != 0 || tb.Get(5) != nil || tb.Get(3) != nil {
		t.Fatalf("wrap: gen %d, entries %v %v", tb.gen, tb.Get(5), tb.Get(3))
	}
}

func TestIDs(t *testing.T) {
	var ids IDs
	a, b := ids.ID("a"), ids.PathID([]string{"a", "b"})
	if a == 0 || b == 0 || a == b || ids.ID("a") != a || ids.PathID([]string{"a", "b"}) != b || ids.ID("a.b") == b {
		t.Fatalf("ids %d %d", a, b)
	}
	if ids.ID(strings.Repeat("x", MaxKeyLength+1)) != 0 {
		t.Fatal("a key too long has an id")
	}
	for i := len(ids.ids); i < MaxIDs; i++ {
		ids.ID("k" + strconv.Itoa(i))
	}
	if len(ids.ids) != MaxIDs || ids.ID("one more") != 0 || ids.ID("a") != a {
		t.Fatalf("%d ids; past the bound: %d", len(ids.ids), ids.ID("one more"))
	}
}
