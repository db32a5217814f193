package jsvalue

import "testing"

// loneHigh and loneLow are the WTF-8 forms of the two halves of U+1F600 (😀).
const (
	loneHigh = "\xed\xa0\xbd"
	loneLow  = "\xed\xb8\x80"
)

func TestUTF16Len(t *testing.T) {
	for s, want := range map[string]int{
		"": 0, "hello": 5, "crème": 5, "日本": 2, "😀": 2, "a😀b": 4, loneHigh: 1, loneHigh + "x": 2, "\xff": 1,
	} {
		if got := UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestUTF16At(t *testing.T) {
	tests := []struct {
		s    string
		i    int
		want string
		ok   bool
	}{
		{"abc", 1, "b", true}, {"abc", 3, "", false}, {"crème", 2, "è", true},
		{"😀a", 0, loneHigh, true}, {"😀a", 1, loneLow, true}, {"😀a", 2, "a", true}, {"😀a", 3, "", false},
		{loneHigh + "x", 0, loneHigh, true}, {loneHigh + "x", 1, "x", true},
	}
	for _, tt := range tests {
		got, ok := UTF16At(tt.s, tt.i)
		if got != tt.want || ok != tt.ok {
			t.Errorf("UTF16At(%q, %d) = %q, %v; want %q, %v", tt.s, tt.i, got, ok, tt.want, tt.ok)
		}
	}
}

func TestForEachCodeUnit(t *testing.T) {
	var units []uint16
	ForEachCodeUnit("a😀"+loneLow, func(u uint16) { units = append(units, u) })
	want := []uint16{'a', 0xD83D, 0xDE00, 0xDE00}
	if len(units) != len(want) {
		t.Fatalf("got %x, want %x", units, want)
	}
	for i := range want {
		if units[i] != want[i] {
			t.Fatalf("got %x, want %x", units, want)
		}
	}
	var back []byte
	for _, u := range units {
		back = AppendCodeUnit(back, u)
	}
	if string(back) != "a"+loneHigh+loneLow+loneLow {
		t.Errorf("AppendCodeUnit: %q", back)
	}
}

func TestTrim(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "  a b  ": "a b", "\t\n\v\f\r a": "a", "\u00a0\u2028x\u3000\ufeff": "x", "\u0085x\u0085": "\u0085x\u0085", "\u200ax\u2000": "x",
	} {
		if got := Trim(in); got != want {
			t.Errorf("Trim(%q) = %q, want %q", in, got, want)
		}
	}
}
