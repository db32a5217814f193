package destkit

import (
	"strings"
	"testing"
)

// Digests from sha256sum; the blank-after-cleaning case is where Segment
// throws EmptyValueError.
func TestHashSHA256(t *testing.T) {
	lower := strings.ToLower
	for _, tc := range []struct {
		in    string
		clean func(string) string
		want  string
		ok    bool
	}{
		{"abc", nil, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true},
		{"Ada@Example.com", lower, "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72", true},
		{"", lower, "", true},
		{"   ", lower, "", true},
		{"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", lower, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true},
		{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", nil, "6503ba407b62a5e058283e43562529219c8d93554ea4f0ccae1ee17e745540a3", true}, // 63 digits: not a digest
		{"no digits", Digits, "", false},
		{"+1 (415) 555-0123", Digits, "413ba75461ab5f99d36820e561ea97e2bd80f9cb586f7ecea6cf4c496518950a", true},
	} {
		got, ok := HashSHA256(tc.in, tc.clean)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %q %v, want %q %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLowerNoSpace(t *testing.T) {
	// U+FEFF is JavaScript whitespace, U+0085 is not.
	for in, want := range map[string]string{" Ada @Example.COM\t": "ada@example.com", "a\ufeffb": "ab", "a\u0085b": "a\u0085b", "Love Lace": "lovelace"} {
		if got := LowerNoSpace(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

// The Hasher writes every value and remembers the first that could not be hashed.
func TestHasher(t *testing.T) {
	var h Hasher
	if got := h.Hash("email", "abc", nil); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || h.Err != nil {
		t.Fatalf("abc: %q, %v", got, h.Err)
	}
	h.Hash("phone", "no digits", Digits)
	h.Hash("zip", "---", Digits)
	if h.Err == nil || !strings.Contains(h.Err.Error(), "phone") || strings.Contains(h.Err.Error(), "zip") {
		t.Errorf("error %v, want the first unhashable field (phone)", h.Err)
	}
}
