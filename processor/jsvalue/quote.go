package jsvalue

import (
	"unicode/utf8"
	"unsafe"
)

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plainWord reports whether none of the eight bytes in w needs attention
// when JSON-escaping: no byte below 0x20, no '"', no '\\', no non-ASCII.
// Each test is the classic "has a byte less than n" bit trick, which never
// misses and only errs towards "needs attention".
func plainWord(w uint64) bool {
	q := w ^ (lsb * '"')
	b := w ^ (lsb * '\\')
	bad := w | ((w - lsb*0x20) &^ w) | ((q - lsb) &^ q) | ((b - lsb) &^ b)
	return bad&msb == 0
}

// plainASCII marks the bytes JSON.stringify copies unchanged.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// load64 reads 8 bytes little-endian; the compiler merges it into one load.
func load64(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as JSON.stringify would: only '"', '\\' and C0
// controls are escaped (short forms where JSON has them), lone surrogates
// become \uXXXX, bytes that are not UTF-8 become U+FFFD, and everything
// else — '<', '>', '&', U+2028 — stays raw.
func AppendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = AppendEscaped(dst, s)
	return append(dst, '"')
}

// AppendQuotedBytes is AppendQuoted for text held in bytes, read in place (string(b)
// would copy text longer than 32 bytes).
func AppendQuotedBytes(dst, b []byte) []byte {
	return AppendQuoted(dst, unsafe.String(unsafe.SliceData(b), len(b)))
}

// AppendEscaped is AppendQuoted without the quotes.
func AppendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		// Skip eight plain ASCII bytes at a time.
		for i+8 <= len(s) && plainWord(load64(s, i)) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if plainASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		if u, ok := SurrogateAt(s, i); ok {
			dst = append(dst, s[start:i]...)
			// A high half directly followed by a low half is one code point
			// again once both are in the same JS string.
			if u < 0xDC00 {
				if lo, ok := SurrogateAt(s, i+3); ok && lo >= 0xDC00 {
					r := 0x10000 + (rune(u)-0xD800)<<10 + rune(lo) - 0xDC00
					dst = utf8.AppendRune(dst, r)
					i += 6
					start = i
					continue
				}
			}
			dst = append(dst, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&0xF], hexDigits[u>>4&0xF], hexDigits[u&0xF])
			i += 3
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Bytes that are not UTF-8 cannot come from a JS string; Node
			// would have decoded them to U+FFFD when reading the input.
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}
