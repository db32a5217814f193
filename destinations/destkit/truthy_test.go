package destkit

import (
	"testing"

	"github.com/valyala/fastjson"
)

func TestTruthy(t *testing.T) {
	for in, want := range map[string]bool{
		`null`: false, `false`: false, `""`: false, `0`: false, `-0`: false,
		`true`: true, `"0"`: true, `" "`: true, `1`: true, `-1.5`: true, `{}`: true, `[]`: true,
	} {
		if got := Truthy(fastjson.MustParse(in)); got != want {
			t.Errorf("%s: %v", in, got)
		}
	}
	if Truthy(nil) {
		t.Error("nil is truthy")
	}
}

// JSString prints what String(v) prints in Node for the same JSON value.
func TestJSString(t *testing.T) {
	for in, want := range map[string]string{
		`"a b"`: "a b", `12`: "12", `1.5e21`: "1.5e+21", `0.000001`: "0.000001", `1e-7`: "1e-7", `-0`: "0",
		`true`: "true", `false`: "false", `null`: "null", `{"a":1}`: "[object Object]",
		`[1,null,"x",[2,3],{"b":2},true]`: "1,,x,2,3,[object Object],true", `[]`: "",
	} {
		if got := JSString(fastjson.MustParse(in)); got != want {
			t.Errorf("String(%s) = %q, want %q", in, got, want)
		}
	}
	if got := JSString(nil); got != "undefined" {
		t.Errorf("String(undefined) = %q", got)
	}
}
