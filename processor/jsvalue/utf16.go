package jsvalue

import "unicode/utf8"

// SurrogateAt reports whether s[i:] starts with a WTF-8 encoded surrogate, and
// returns its code unit.
func SurrogateAt(s string, i int) (uint16, bool) {
	if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
		return uint16(0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F)), true
	}
	return 0, false
}

func appendSurrogate(dst []byte, u uint16) []byte {
	return append(dst, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F))
}

// AppendCodeUnit appends the JavaScript code unit u, a lone surrogate included.
func AppendCodeUnit(dst []byte, u uint16) []byte {
	if u >= 0xD800 && u <= 0xDFFF {
		return appendSurrogate(dst, u)
	}
	return utf8.AppendRune(dst, rune(u))
}

// UTF16Len is String.prototype.length: s counted in UTF-16 code units.
func UTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		if _, ok := SurrogateAt(s, i); ok {
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

// ForEachCodeUnit calls f with every UTF-16 code unit of s, in order.
func ForEachCodeUnit(s string, f func(u uint16)) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			f(uint16(c))
			i++
			continue
		}
		if u, ok := SurrogateAt(s, i); ok {
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

// UTF16At is s[i] in JavaScript: the code unit at index i as a one-unit string, false
// when i is past the end. Half of a surrogate pair comes back as a lone surrogate
// (three WTF-8 bytes); any other unit is a slice of s, so the call does not allocate.
func UTF16At(s string, i int) (string, bool) {
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
		if _, ok := SurrogateAt(s, j); ok {
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

// IsSpace reports whether r is JavaScript whitespace: WhiteSpace plus LineTerminator,
// the set that String.prototype.trim removes and Number() ignores around a number. It
// differs from unicode.IsSpace on U+0085 (not JavaScript whitespace) and U+FEFF (is).
func IsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// Trim is String.prototype.trim.
func Trim(s string) string {
	for len(s) > 0 {
		c := s[0]
		if c < utf8.RuneSelf {
			if !IsSpace(rune(c)) {
				break
			}
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if !IsSpace(r) {
			break
		}
		s = s[size:]
	}
	for len(s) > 0 {
		c := s[len(s)-1]
		if c < utf8.RuneSelf {
			if !IsSpace(rune(c)) {
				break
			}
			s = s[:len(s)-1]
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if !IsSpace(r) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}
