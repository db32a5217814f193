package jsvalue

import "testing"

func TestPlainWordMatchesByteLoop(t *testing.T) {
	for _, s := range []string{"abcdefgh", "abc\"efgh", "abcdefg\\", "\x1fbcdefgh", "abcdefg\x7f", "abcdefg\x80", " !#$%&'(", "0123456\x20", "\x00\x00\x00\x00\x00\x00\x00\x00", "aaaaaaa\x21"} {
		want := true
		for i := 0; i < 8; i++ {
			c := s[i]
			if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				want = false
			}
		}
		if got := plainWord(load64(s, 0)); got != want {
			t.Errorf("plainWord(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestAppendQuoted(t *testing.T) {
	for in, want := range map[string]string{
		"":                        `""`,
		"plain text, long enough": `"plain text, long enough"`,
		"a\x01\"\\\t\xff<":        `"a\u0001\"\\\t` + "\ufffd" + `<"`,
		"\b\f\n\r\t\x1f\x7f":      `"\b\f\n\r\t\u001f` + "\x7f" + `"`,
		"<>&\u2028\u2029é😀":       `"<>&` + "\u2028\u2029é😀" + `"`,
		loneHigh:                  `"\ud83d"`,
		loneLow + "x":             `"\ude00x"`,
		loneHigh + loneLow:        `"😀"`,
		"12345678\"":              `"12345678\""`,
	} {
		if got := string(AppendQuoted([]byte("x"), in)); got != "x"+want {
			t.Errorf("AppendQuoted(%q) = %s, want %s", in, got[1:], want)
		}
		if got := string(AppendEscaped(nil, in)); got != want[1:len(want)-1] {
			t.Errorf("AppendEscaped(%q) = %s, want %s", in, got, want[1:len(want)-1])
		}
	}
}
