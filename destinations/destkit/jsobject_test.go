package destkit

import (
	"testing"

	"github.com/valyala/fastjson"
)

func TestJSObject(t *testing.T) {
	var o JSObject
	o.SetString("name", "Ada")
	o.Set("email", nil) // undefined: keeps its place
	o.SetString("plan", "pro")
	o.SetString("10", "ten")
	o.SetString("2", "two")
	o.SetString("02", "not an index")
	o.Assign(fastjson.MustParse(`{"email":"a@b.co","name":"Over","x":1}`), func(k string) bool { return k == "x" })
	o.SetString("gone", "soon")
	o.Delete("gone")
	o.Set("never", nil)
	if got := string(o.AppendJSON(nil)); got != `{"2":"two","10":"ten","name":"Over","email":"a@b.co","plan":"pro","02":"not an index"}` {
		t.Fatal(got)
	}
	if !o.Has("never") || o.Get("never") != nil || o.Has("gone") {
		t.Fatal("Has/Get")
	}
	for k, want := range map[string]bool{"0": true, "4294967294": true, "4294967295": false, "-1": false, "1e3": false, "01": false, "": false} {
		if _, ok := arrayIndex(k); ok != want {
			t.Errorf("%q: %v", k, ok)
		}
	}
}
