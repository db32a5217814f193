package encharge

import (
	"testing"

	"github.com/valyala/fastjson"
)

func parse(t *testing.T, b []byte) *fastjson.Value {
	t.Helper()
	v, err := fastjson.ParseBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
