package fql

import (
	"strings"
	"unicode/utf8"
)

// globMatch reports whether the whole of s matches pattern: * is any run of
// characters, ? one character, [abc] / [a-z] / [!a-z] (or [^a-z]) a character
// class, and a backslash makes the next character literal. An unterminated [
// stands for itself, so a pattern that Segment reads as plain text (it knows
// no classes) still loads. Matching backtracks only to the most recent *,
// which keeps it linear in practice and allocation-free.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	starPx, starSx := -1, -1
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starPx = px
				if sx < len(s) {
					_, w := utf8.DecodeRuneInString(s[sx:])
					starSx = sx + w
				} else {
					starSx = len(s) + 1
				}
				px++
				continue
			case '?':
				if sx < len(s) {
					_, w := utf8.DecodeRuneInString(s[sx:])
					px++
					sx += w
					continue
				}
			case '[':
				if sx < len(s) {
					r, w := utf8.DecodeRuneInString(s[sx:])
					if matched, end, ok := matchClass(pattern, px, r); ok {
						if matched {
							px = end
							sx += w
							continue
						}
						break
					}
				}
				if sx < len(s) && s[sx] == '[' {
					px++
					sx++
					continue
				}
			case '\\':
				lit := "\\"
				next := px + 1
				if px+1 < len(pattern) {
					_, w := utf8.DecodeRuneInString(pattern[px+1:])
					lit = pattern[px+1 : px+1+w]
					next = px + 1 + w
				}
				if strings.HasPrefix(s[sx:], lit) {
					px = next
					sx += len(lit)
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starPx >= 0 && starSx <= len(s) {
			px = starPx + 1
			sx = starSx
			if sx < len(s) {
				_, w := utf8.DecodeRuneInString(s[sx:])
				starSx = sx + w
			} else {
				starSx = len(s) + 1
			}
			continue
		}
		return false
	}
	return true
}

// matchClass tests r against the class that starts at pattern[start] == '['.
// ok is false when the class is not terminated.
func matchClass(pattern string, start int, r rune) (matched bool, end int, ok bool) {
	i := start + 1
	negated := false
	if i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^') {
		negated = true
		i++
	}
	first := true
	for i < len(pattern) {
		if pattern[i] == ']' && !first {
			return matched != negated, i + 1, true
		}
		first = false
		lo, w := classRune(pattern, i)
		i += w
		hi := lo
		if i+1 < len(pattern) && pattern[i] == '-' && pattern[i+1] != ']' {
			var w2 int
			hi, w2 = classRune(pattern, i+1)
			i += 1 + w2
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return false, 0, false
}

func classRune(pattern string, i int) (rune, int) {
	if pattern[i] == '\\' && i+1 < len(pattern) {
		r, w := utf8.DecodeRuneInString(pattern[i+1:])
		return r, w + 1
	}
	return utf8.DecodeRuneInString(pattern[i:])
}

// globShape classifies a pattern that is plain text apart from leading and
// trailing stars, which covers what trigger builders emit (X*, *X, *X*), so
// those patterns run as prefix/suffix/substring tests.
type globShape uint8

const (
	globGeneral globShape = iota
	globExact
	globPrefix
	globSuffix
	globContains
)

func analyseGlob(pattern string) (globShape, string) {
	rest := strings.TrimLeft(pattern, "*")
	leading := len(rest) < len(pattern)
	var text strings.Builder
	trailing := false
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case trailing:
			if c != '*' {
				return globGeneral, ""
			}
		case c == '*':
			trailing = true
		case c == '?' || c == '[':
			return globGeneral, ""
		case c == '\\' && i+1 < len(rest):
			i++
			text.WriteByte(rest[i])
		default:
			text.WriteByte(c)
		}
	}
	switch {
	case leading && trailing:
		return globContains, text.String()
	case leading:
		return globSuffix, text.String()
	case trailing:
		return globPrefix, text.String()
	}
	return globExact, text.String()
}

// quoteGlob escapes the characters a glob treats specially, for building a
// starts-with / ends-with pattern from plain text.
func quoteGlob(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
