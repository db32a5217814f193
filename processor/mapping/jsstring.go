package mapping

import (
	"unicode/utf8"
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

// Strings are Go strings holding WTF-8: UTF-8, plus lone UTF-16 surrogates
// encoded like ordinary code points (ED A0..BF xx). JS strings are UTF-16
// and may hold lone surrogates (from "\ud83d" escapes or by indexing into an
// emoji); WTF-8 lets us carry them and emit JSON.stringify's "\ud83d"
// escapes without a second string representation.

// surrogateAt reports whether s[i:] starts with a WTF-8 encoded surrogate
// and returns its code unit.
func surrogateAt(s string, i int) (uint16, bool) {
	if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
		return uint16(0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F)), true
	}
	return 0, false
}

func appendSurrogate(dst []byte, u uint16) []byte {
	return append(dst, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F))
}

// appendCodeUnit appends JS code unit u (possibly a lone surrogate).
func appendCodeUnit(dst []byte, u uint16) []byte {
	if u >= 0xD800 && u <= 0xDFFF {
		return appendSurrogate(dst, u)
	}
	return utf8.AppendRune(dst, rune(u))
}

// utf16Len is JS String.prototype.length.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		if _, ok := surrogateAt(s, i); ok {
			n++
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// forEachCodeUnit calls f with every UTF-16 code unit of s, in order.
func forEachCodeUnit(s string, f func(u uint16)) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			f(uint16(c))
			i++
			continue
		}
		if u, ok := surrogateAt(s, i); ok {
			f(u)
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF {
			r -= 0x10000
			f(uint16(0xD800 + (r>>10)&0x3FF))
			f(uint16(0xDC00 + r&0x3FF))
		} else {
			f(uint16(r))
		}
		i += size
	}
}

// utf16At is JS str[i]: one code unit as a string.
func utf16At(s string, i int) (string, bool) {
	n := 0
	for j := 0; j < len(s); {
		c := s[j]
		if c < utf8.RuneSelf {
			if n == i {
				return s[j : j+1], true
			}
			n++
			j++
			continue
		}
		if _, ok := surrogateAt(s, j); ok {
			if n == i {
				return s[j : j+3], true
			}
			n++
			j += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if r > 0xFFFF {
			if n == i || n+1 == i {
				r -= 0x10000
				hi, lo := uint16(0xD800+(r>>10)&0x3FF), uint16(0xDC00+r&0x3FF)
				if n == i {
					return string(appendSurrogate(nil, hi)), true
				}
				return string(appendSurrogate(nil, lo)), true
			}
			n += 2
		} else {
			if n == i {
				return s[j : j+size], true
			}
			n++
		}
		j += size
	}
	return "", false
}

const hexDigits = "0123456789abcdef"

// appendQuoted appends s as JSON.stringify would: only '"', '\\' and C0
// controls are escaped (short forms where JSON has them), lone surrogates
// become \uXXXX, and everything else — '<', '>', '&', U+2028 — stays raw.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"')
}

// appendEscaped is appendQuoted without the quotes.
func appendEscaped(dst []byte, s string) []byte {
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
		if u, ok := surrogateAt(s, i); ok {
			dst = append(dst, s[start:i]...)
			// A high half directly followed by a low half is one code point
			// again once both are in the same JS string.
			if u < 0xDC00 {
				if lo, ok := surrogateAt(s, i+3); ok && lo >= 0xDC00 {
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

// isJSSpace is the set String.prototype.trim removes: WhiteSpace plus
// LineTerminator. It differs from unicode.IsSpace on U+0085 and U+FEFF.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// jsTrim is String.prototype.trim.
func jsTrim(s string) string {
	for len(s) > 0 {
		c := s[0]
		if c < utf8.RuneSelf {
			if !isJSSpace(rune(c)) {
				break
			}
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if !isJSSpace(r) {
			break
		}
		s = s[size:]
	}
	for len(s) > 0 {
		c := s[len(s)-1]
		if c < utf8.RuneSelf {
			if !isJSSpace(rune(c)) {
				break
			}
			s = s[:len(s)-1]
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if !isJSSpace(r) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}
