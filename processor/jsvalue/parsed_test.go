package jsvalue

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"
)

func TestAppendParsed(t *testing.T) {
	const src = `{"a":"x\u0001\"y","b\u007f\"":[1.50,true,null,{"c":"Z\u00fcrich"}],"n":-2e3}`
	const want = `{"a":"x\u0001\"y","b` + "\x7f" + `\"":[1.50,true,null,{"c":"Zürich"}],"n":-2e3}`
	for _, read := range []bool{false, true} {
		v := fastjson.MustParse(src)
		if read {
			// Strings read before are unescaped in place, where fastjson's MarshalTo quotes
			// them as Go does.
			v.GetStringBytes("a")
			v.GetStringBytes("b\x7f\"", "3", "c")
			v.GetObject().Visit(func([]byte, *fastjson.Value) {})
		}
		got := AppendParsed([]byte("x"), v)
		if string(got) != "x"+want {
			t.Errorf("read %v: AppendParsed = %s, want %s", read, got[1:], want)
		}
		if !json.Valid(got[1:]) {
			t.Errorf("read %v: not JSON: %s", read, got[1:])
		}
	}
	if got := AppendParsed(nil, nil); string(got) != "null" {
		t.Errorf("AppendParsed(nil) = %s", got)
	}
}
