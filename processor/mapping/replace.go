package mapping

import (
	"errors"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Casers are stateful, so each call gets its own; the ASCII fast path keeps
// that off the common case.
func lowerCaser() cases.Caser { return cases.Lower(language.Und) }
func upperCaser() cases.Caser { return cases.Upper(language.Und) }

// replaceNode is @replace. Segment builds a RegExp from the pattern with
// every metacharacter escaped, so matching is literal; the replacement
// string still honours JS's $$, $&, $` and $' forms.
type replaceNode struct {
	value   node
	typesOK bool // every option has the type Segment requires; else ""
	global  bool
	fold    bool
	pat     replaceSpec
	has2    bool
	pat2    replaceSpec
}

type replaceSpec struct {
	pattern     string
	replacement string
	patLen      int // in UTF-16 units, as JS measures
	replLen     int
	canon       []rune
}

func compileReplace(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@replace requires an object with a "pattern" key`)
	}
	pattern := opt(opts, "pattern")
	if !pattern.truthy() {
		return errf(`@replace requires a "pattern" key`)
	}
	replacement := opt(opts, "replacement")
	if replacement.kind == KindAbsent || replacement.kind == KindNull {
		replacement = stringValue("")
	}
	pattern2 := opt(opts, "pattern2")
	replacement2 := opt(opts, "replacement2")
	if pattern2.truthy() && (replacement2.kind == KindAbsent || replacement2.kind == KindNull) {
		replacement2 = stringValue("")
	}
	ignorecase := opt(opts, "ignorecase")
	if ignorecase.kind == KindAbsent || ignorecase.kind == KindNull {
		ignorecase = boolValue(false)
	}
	global := opt(opts, "global")
	if global.kind == KindAbsent || global.kind == KindNull {
		global = boolValue(true)
	}
	value := opt(opts, "value")
	if !value.truthy() {
		return newConst(absent)
	}
	n := &replaceNode{value: compileNode(value)}
	n.typesOK = pattern.kind == KindString && replacement.kind == KindString &&
		ignorecase.kind == KindBool && global.kind == KindBool
	if !n.typesOK {
		return n
	}
	n.global, n.fold = global.b, ignorecase.b
	n.pat = newReplaceSpec(pattern.str, replacement.str, n.fold)
	if pattern2.truthy() && pattern2.kind == KindString && replacement2.kind == KindString {
		n.has2 = true
		n.pat2 = newReplaceSpec(pattern2.str, replacement2.str, n.fold)
	}
	return n
}

func newReplaceSpec(pattern, replacement string, fold bool) replaceSpec {
	s := replaceSpec{
		pattern:     pattern,
		replacement: replacement,
		patLen:      jsvalue.UTF16Len(pattern),
		replLen:     jsvalue.UTF16Len(replacement),
	}
	for _, r := range pattern {
		if fold {
			r = canonicalize(r)
		}
		s.canon = append(s.canon, r)
	}
	return s
}

// canonicalize is the case folding of a JS RegExp with the i flag and no
// u flag: upper-case when that maps to a single BMP character, but never
// from non-ASCII into ASCII. Astral characters are compared as surrogate
// code units and therefore only match themselves.
func canonicalize(r rune) rune {
	if r > 0xFFFF {
		return r
	}
	u := unicode.ToUpper(r)
	if u > 0xFFFF || (r >= 128 && u < 128) {
		return r
	}
	return u
}

func (n *replaceNode) eval(c *rctx, p Value) (Value, error) {
	v, err := n.value.eval(c, p)
	if err != nil {
		return absent, err
	}
	var s string
	switch v.kind {
	case KindBool, KindNumber:
		s = string(appendJSString(nil, v))
	case KindString:
		s = v.str
	default:
		return stringValue(""), nil
	}
	if !n.typesOK {
		return stringValue(""), nil
	}
	out, err := n.pat.apply(s, n.global, n.fold)
	if err != nil {
		return absent, err
	}
	if n.has2 {
		if out, err = n.pat2.apply(out, n.global, n.fold); err != nil {
			return absent, err
		}
	}
	return stringValue(out), nil
}

func (n *replaceNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

func (r *replaceSpec) apply(s string, global, fold bool) (string, error) {
	if r.patLen > maxPatternLength {
		return "", errors.New(`@replace requires a "pattern" less than 10 characters`)
	}
	if r.replLen > maxReplacementLength {
		return "", errors.New(`@replace requires a "replacement" less than 10 characters`)
	}
	var out []byte
	last, found := 0, false
	for i := 0; i < len(s); {
		end, ok := r.matchAt(s, i, fold)
		if !ok {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		found = true
		out = append(out, s[last:i]...)
		out = r.expand(out, s, i, end)
		last = end
		i = end
		if !global {
			break
		}
	}
	if !found {
		return s, nil
	}
	return string(append(out, s[last:]...)), nil
}

func (r *replaceSpec) matchAt(s string, i int, fold bool) (int, bool) {
	if !fold {
		if len(s)-i >= len(r.pattern) && s[i:i+len(r.pattern)] == r.pattern {
			return i + len(r.pattern), true
		}
		return 0, false
	}
	for _, want := range r.canon {
		if i >= len(s) {
			return 0, false
		}
		got, size := utf8.DecodeRuneInString(s[i:])
		if canonicalize(got) != want {
			return 0, false
		}
		i += size
	}
	return i, true
}

// expand appends the replacement for match s[start:end] with JS's
// GetSubstitution rules; there are no capture groups, so $1 and $<x> stay
// literal.
func (r *replaceSpec) expand(out []byte, s string, start, end int) []byte {
	repl := r.replacement
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' || i+1 >= len(repl) {
			out = append(out, c)
			continue
		}
		switch repl[i+1] {
		case '$':
			out = append(out, '$')
			i++
		case '&':
			out = append(out, s[start:end]...)
			i++
		case '`':
			out = append(out, s[:start]...)
			i++
		case '\'':
			out = append(out, s[end:]...)
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}
