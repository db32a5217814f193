package fql

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokPath
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
	tokAnd
	tokOr
	tokIn
	tokNot
	tokEq
	tokNe
	tokLt
	tokLe
	tokGt
	tokGe
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
)

type token struct {
	kind     tokenKind
	pos      int    // byte offset of the first character
	text     string // the source text of the token
	str      string // decoded string literal
	num      float64
	segments []string // unescaped path segments
	escaped  bool     // the path used a backslash somewhere
}

// describe names a token for "found ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string " + clip(t.text)
	case tokNumber:
		return "number " + clip(t.text)
	case tokPath:
		if isExists(t) {
			return `"exists"`
		}
		return "field " + clip(t.text)
	}
	return strconv.Quote(t.text)
}

func clip(s string) string {
	if len(s) > 40 {
		cut := 37
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "..."
	}
	return s
}

var keywords = map[string]tokenKind{
	"and": tokAnd,
	"or":  tokOr,
	// Segment's presets write the conjunction in capitals (Pinterest's "type = \"track\"
	// AND event = ..."), which its parser accepts; OR means or here (see doc.go).
	"AND":   tokAnd,
	"OR":    tokOr,
	"in":    tokIn,
	"true":  tokTrue,
	"false": tokFalse,
	"null":  tokNull,
}

// lex turns src into tokens, ending with tokEOF. It stops at the first error.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			toks = append(toks, token{kind: tokEOF, pos: len(src)})
			return toks, nil
		}
		tok, err := lexOne(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
		i = tok.pos + len(tok.text)
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

func lexOne(src string, i int) (token, error) {
	c := src[i]
	simple := func(k tokenKind, n int) (token, error) {
		return token{kind: k, pos: i, text: src[i : i+n]}, nil
	}
	next := byte(0)
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch c {
	case '(':
		return simple(tokLParen, 1)
	case ')':
		return simple(tokRParen, 1)
	case '[':
		return simple(tokLBracket, 1)
	case ']':
		return simple(tokRBracket, 1)
	case ',':
		return simple(tokComma, 1)
	case '=':
		if next == '=' {
			return token{}, errorAt(i, `"==" is not an operator; use "=" to compare`)
		}
		return simple(tokEq, 1)
	case '!':
		if next == '=' {
			return simple(tokNe, 2)
		}
		return simple(tokNot, 1)
	case '<':
		if next == '=' {
			return simple(tokLe, 2)
		}
		return simple(tokLt, 1)
	case '>':
		if next == '=' {
			return simple(tokGe, 2)
		}
		return simple(tokGt, 1)
	case '&', '|':
		if next == c {
			word := map[byte]string{'&': "and", '|': "or"}[c]
			return token{}, errorAt(i, fmt.Sprintf("%q is not an operator; use %q", src[i:i+2], word))
		}
	case '"', '\'':
		return lexString(src, i)
	case '.':
		return token{}, errorAt(i, `unexpected "."; a field name must come before it`)
	}
	if isDigit(c) || ((c == '-' || c == '+') && isDigit(next)) {
		return lexNumber(src, i)
	}
	if c == '\\' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		return lexPath(src, i)
	}
	return token{}, unexpectedChar(src, i, "")
}

func unexpectedChar(src string, i int, where string) error {
	r, _ := utf8.DecodeRuneInString(src[i:])
	msg := fmt.Sprintf("unexpected character %q%s", r, where)
	switch {
	case where != "":
		msg += "; escape it with a backslash"
	case r >= utf8.RuneSelf || strings.ContainsRune("$@#%^&|~`?:;/{}*+", r):
		msg += "; in a field name, escape it with a backslash"
	}
	return errorAt(i, msg)
}

// lexString reads a quoted string. A backslash escapes the quote characters
// and itself; before anything else it is kept as written, so that patterns
// such as match(event, "v\*") and Windows paths mean what they say and a
// trigger written for Segment (which has no escapes) reads the same.
func lexString(src string, start int) (token, error) {
	quote := src[start]
	var b strings.Builder
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == quote:
			return token{kind: tokString, pos: start, text: src[start : i+1], str: b.String()}, nil
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\\' || src[i+1] == '"' || src[i+1] == '\''):
			b.WriteByte(src[i+1])
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return token{}, errorAt(start, fmt.Sprintf("unterminated string: no closing %c", quote))
}

func lexNumber(src string, start int) (token, error) {
	i := start
	if src[i] == '-' || src[i] == '+' {
		i++
	}
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' {
		i++
		if i >= len(src) || !isDigit(src[i]) {
			return token{}, errorAt(start, fmt.Sprintf("invalid number %q: expected a digit after the decimal point", src[start:i]))
		}
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			i = j
			for i < len(src) && isDigit(src[i]) {
				i++
			}
		}
	}
	if i < len(src) && (isNameChar(src[i]) || src[i] == '.' || src[i] == '\\') {
		end := i
		for end < len(src) && (isNameChar(src[end]) || src[end] == '.') {
			end++
		}
		return token{}, errorAt(start, fmt.Sprintf("invalid number %q", src[start:end]))
	}
	text := src[start:i]
	f := stringToNumber(text)
	// JavaScript would read such a literal as Infinity, which has no FQL spelling: the
	// canonical text could not be parsed back. Refuse it where it is written.
	if math.IsInf(f, 0) {
		return token{}, errorAt(start, fmt.Sprintf("number %q is out of range", text))
	}
	return token{kind: tokNumber, pos: start, text: text, num: f}, nil
}

// lexPath reads a dotted field path. Each segment is a run of letters,
// digits, "_" and "-", where a backslash makes the next character part of the
// name (properties.product\ 1.price). Paths are one token: no spaces around
// the dots.
func lexPath(src string, start int) (token, error) {
	var segments []string
	var seg strings.Builder
	escaped := false
	i := start
	for {
		segStart := i
		seg.Reset()
		for i < len(src) {
			c := src[i]
			if c == '\\' {
				if i+1 >= len(src) {
					return token{}, errorAt(i, "expected a character after the backslash, found end of input")
				}
				_, w := utf8.DecodeRuneInString(src[i+1:])
				seg.WriteString(src[i+1 : i+1+w])
				escaped = true
				i += 1 + w
				continue
			}
			if !isNameChar(c) {
				break
			}
			seg.WriteByte(c)
			i++
		}
		if i == segStart {
			if i < len(src) && !isSpace(src[i]) && !isDelimiter(src[i]) && src[i] != '.' {
				return token{}, unexpectedChar(src, i, " in a field name")
			}
			return token{}, errorAt(i, fmt.Sprintf("expected a field name after %q, found %s", src[start:i], describeAt(src, i)))
		}
		segments = append(segments, seg.String())
		if i < len(src) && src[i] == '.' {
			i++
			continue
		}
		break
	}
	if i < len(src) && src[i] >= utf8.RuneSelf {
		return token{}, unexpectedChar(src, i, " in a field name")
	}
	text := src[start:i]
	if len(segments) == 1 && !escaped {
		if k, ok := keywords[text]; ok {
			return token{kind: k, pos: start, text: text}, nil
		}
	}
	return token{kind: tokPath, pos: start, text: text, segments: segments, escaped: escaped}, nil
}

func isDelimiter(c byte) bool {
	return strings.IndexByte("()[],=!<>\"'", c) >= 0
}

func describeAt(src string, i int) string {
	if i >= len(src) {
		return "end of input"
	}
	if isSpace(src[i]) {
		return "a space"
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return strconv.QuoteRune(r)
}
