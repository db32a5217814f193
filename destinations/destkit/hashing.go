package destkit

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/actuate/actuate/processor/jsvalue"
)

// HashSHA256 hashes a user identifier the way Segment's processHashing
// does with SHA-256 and hex digests, which the conversions APIs (Snap,
// TikTok, Pinterest) and pixel-style destinations share:
//
//   - a blank value (empty or only whitespace) gives "" and ok;
//   - a value that already is a SHA-256 hex digest (64 hex digits, either
//     case) is returned unchanged, so senders may hash upstream;
//   - otherwise clean, when not nil, normalises the value and the hex
//     SHA-256 of the result is returned.
//
// ok is false when cleaning leaves nothing to hash (a phone number without
// digits, say), where Segment throws instead of sending.
func HashSHA256(v string, clean func(string) string) (digest string, ok bool) {
	if jsvalue.Trim(v) == "" {
		return "", true
	}
	if IsSHA256Hex(v) {
		return v, true
	}
	if clean != nil {
		v = clean(v)
	}
	if jsvalue.Trim(v) == "" {
		return "", false
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:]), true
}

// IsSHA256Hex reports whether v is 64 hexadecimal digits, in either case.
func IsSHA256Hex(v string) bool {
	if len(v) != 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isHex(c) {
			return false
		}
	}
	return true
}

// LowerNoSpace is the normalisation most hashed identifiers get before
// hashing, value.replace(/\s/g, "").toLowerCase(): every JavaScript
// whitespace character removed, letters lower-cased.
func LowerNoSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if jsvalue.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// Digits keeps the ASCII digits of s, the phone-number normalisation the
// conversions APIs share before hashing.
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Hasher hashes the user identifiers of one payload with HashSHA256 and
// keeps, in Err, the first value that normalised to nothing, naming its
// field. Segment throws on such a value, so the request is not sent; the
// Hasher lets the caller write every field first and check once.
type Hasher struct{ Err error }

// Hash returns HashSHA256(v, clean), noting field in Err when v cannot be
// hashed.
func (h *Hasher) Hash(field, v string, clean func(string) string) string {
	d, ok := HashSHA256(v, clean)
	if !ok && h.Err == nil {
		h.Err = ValidationErrorf(field, "A value of %s is empty once normalised and cannot be hashed.", field)
	}
	return d
}
