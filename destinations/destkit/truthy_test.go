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
