package mapping

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
