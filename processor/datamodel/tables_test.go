package datamodel

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestTables(t *testing.T) {
	tb := NewTables()
	row, err := ParseRow([]byte(`{"tier":"enter\u0070rise","seats":12,"tags":["a\n"],"o":{"k\u0031":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	tb.Set("accounts", "acme", row)
	if got := tb.Row("accounts", []byte("acme")); got != row || tb.Row("accounts", []byte("x")) != nil || tb.Row("other", []byte("acme")) != nil {
		t.Fatal("lookup")
	}
	if js, ok := tb.Get("accounts", "acme"); !ok || string(js) != `{"tier":"enterprise","seats":12,"tags":["a\n"],"o":{"k1":true}}` {
		t.Fatalf("get %s", js)
	}
	// Rows are read by every router at once: run with -race.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				r := tb.Row("accounts", []byte("acme"))
				_ = r.Get("o", "k1").GetBool()
				_ = string(r.GetStringBytes("tier"))
				_ = r.MarshalTo(nil)
			}
		})
	}
	wg.Wait()
	tb.Remove("accounts", "acme")
	if tb.Len("accounts") != 0 {
		t.Fatal("remove")
	}
	for _, bad := range []string{`[1]`, `"x"`, `{`, ``} {
		if _, err := ParseRow([]byte(bad)); err == nil {
			t.Errorf("%q parsed as a row", bad)
		}
	}
}

func TestReadLines(t *testing.T) {
	in := `{"key":"acme","tier":"pro"}

{"key":7,"tier":"free"}
[1]
{"tier":"x"}
{"key":true}
{"key":""}
{"key":"a", broken
`
	rows, errs, err := ReadLines(strings.NewReader(in), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Key != "acme" || rows[1].Key != "7" || string(rows[1].Value) != `{"key":7,"tier":"free"}` {
		t.Fatalf("rows %+v", rows)
	}
	want := []string{
		`line 4: a row is a JSON object, not array`,
		`line 5: the key column "key" is missing`,
		`line 6: the key column "key" is true, not a string or a number`,
		`line 7: the row key is empty`,
		`line 8: not JSON`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d: %v, want %s", i, errs[i], w)
		}
	}
	rows, errs, _ = ReadLines(strings.NewReader(`{"id":"x"}`), "id")
	if len(rows) != 1 || len(errs) != 0 || fmt.Sprint(rows[0].Key) != "x" {
		t.Fatalf("key column: %v %v", rows, errs)
	}
}
