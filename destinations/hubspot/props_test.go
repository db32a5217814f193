package hubspot

import (
	"testing"
	"time"

	"github.com/valyala/fastjson"
)

func TestCleanProperties(t *testing.T) {
	o := fastjson.MustParse(`{"Plan Tier":" Pro ","n":"0x1A","s":"+33 6","e":"1e3","b":"False","d":"2024-06-30","dt":"2024-06-30T10:00:00+02:00",` +
		`"obj":{"a":[1]},"nil":null,"blank":"  ","inf":"Infinity","café":1}`).GetObject()
	for _, numeric := range []bool{false, true} {
		ps, err := cleanProperties(o, numeric)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]struct {
			val  string
			kind kind
		}{
			"plan_tier": {`"Pro"`, kindString}, "s": {`"+33 6"`, kindString}, "b": {`false`, kindBool},
			"d": {`"2024-06-30"`, kindDate}, "dt": {`"2024-06-30T10:00:00+02:00"`, kindDatetime},
			"obj": {`"{\"a\":[1]}"`, kindString}, "blank": {`""`, kindString}, "inf": {`"Infinity"`, kindString}, "caf_": {`1`, kindNumber},
			"n": {`"0x1A"`, kindString}, "e": {`"1e3"`, kindString},
		}
		if numeric {
			want["n"] = struct {
				val  string
				kind kind
			}{`26`, kindNumber}
			want["e"] = struct {
				val  string
				kind kind
			}{`1000`, kindNumber}
		}
		if len(ps.list) != len(want) {
			t.Fatalf("numeric=%v: %d properties", numeric, len(ps.list))
		}
		for _, p := range ps.list {
			if w := want[p.name]; string(p.val) != w.val || p.kind != w.kind {
				t.Errorf("numeric=%v: %s = %s (%d), want %s (%d)", numeric, p.name, p.val, p.kind, w.val, w.kind)
			}
		}
	}
	if _, err := cleanProperties(fastjson.MustParse(`{"_x":1}`).GetObject(), false); err == nil {
		t.Error("a name starting with _ was accepted")
	}
}

func TestSchemaCacheExpiresAndEvicts(t *testing.T) {
	now := time.Unix(0, 0)
	c := newSchemaCache[int](2, time.Hour)
	c.now = func() time.Time { return now }
	k := func(n string) cacheKey { return cacheKey{name: n} }
	c.put(k("a"), 1)
	c.put(k("b"), 2)
	c.get(k("a")) // a is now the most recent
	c.put(k("c"), 3)
	if _, ok := c.get(k("b")); ok {
		t.Error("least recently used entry kept")
	}
	if v, ok := c.get(k("a")); !ok || v != 1 {
		t.Error("recent entry evicted")
	}
	now = now.Add(61 * time.Minute)
	if _, ok := c.get(k("c")); ok {
		t.Error("expired entry returned")
	}
}
