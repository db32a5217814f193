package mapping

import (
	"errors"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// appendJSON appends JSON.stringify(v). The caller handles a top-level
// absent value; inside objects absent members are skipped and inside
// arrays they print as null, as in JS.
func appendJSON(dst []byte, v Value) []byte {
	switch v.kind {
	case KindAbsent, KindNull:
		return append(dst, "null"...)
	case KindBool:
		if v.b {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case KindNumber:
		if v.ev != nil {
			return appendEventNumber(dst, v.ev)
		}
		return jsvalue.AppendJSONNumber(dst, v.num)
	case KindString:
		return jsvalue.AppendQuoted(dst, v.str)
	case KindArray:
		if v.ev != nil {
			return appendEventJSON(dst, v.ev)
		}
		dst = append(dst, '[')
		for i, e := range v.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, e)
		}
		return append(dst, ']')
	default:
		if v.ev != nil {
			return appendEventJSON(dst, v.ev)
		}
		dst = append(dst, '{')
		first := true
		for i, k := range v.obj.keys {
			m := v.obj.vals[i]
			if m.kind == KindAbsent {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = jsvalue.AppendQuoted(dst, k)
			dst = append(dst, ':')
			dst = appendJSON(dst, m)
		}
		return append(dst, '}')
	}
}

// appendEventNumber copies an event number, re-printing it only when its
// text is not already JS's canonical form (1.0, 1e2, 12345678901234567890).
func appendEventNumber(dst []byte, ev *fastjson.Value) []byte {
	start := len(dst)
	dst = ev.MarshalTo(dst)
	if canonicalNumber(dst[start:]) {
		return dst
	}
	f, ok := parseJSFloat(dst[start:])
	dst = dst[:start]
	if !ok {
		return append(dst, "null"...)
	}
	return jsvalue.AppendJSONNumber(dst, f)
}

// appendEventJSON serialises an event subtree as JSON.stringify(JSON.parse(…))
// would: strings re-escaped JS-style, numbers canonicalised, index-like
// keys moved first.
func appendEventJSON(dst []byte, ev *fastjson.Value) []byte {
	switch ev.Type() {
	case fastjson.TypeObject:
		o, _ := ev.Object()
		start := len(dst)
		dst = append(dst, '{')
		// Write in document order, and start again in JS order only if an
		// index-like key turns up (rare in events).
		reorder := false
		o.Visit(func(k []byte, v *fastjson.Value) {
			if reorder {
				return
			}
			if len(k) > 0 && k[0] <= '9' && k[0] >= '0' {
				if _, ok := arrayIndex(b2s(k)); ok {
					reorder = true
					return
				}
			}
			if len(dst) > start+1 {
				dst = append(dst, ',')
			}
			dst = jsvalue.AppendQuoted(dst, b2s(k))
			dst = append(dst, ':')
			dst = appendEventJSON(dst, v)
		})
		if reorder {
			dst = append(dst[:start], '{')
			forEachEventMember(o, func(k string, v *fastjson.Value) {
				if len(dst) > start+1 {
					dst = append(dst, ',')
				}
				dst = jsvalue.AppendQuoted(dst, k)
				dst = append(dst, ':')
				dst = appendEventJSON(dst, v)
			})
		}
		return append(dst, '}')
	case fastjson.TypeArray:
		a, _ := ev.Array()
		dst = append(dst, '[')
		for i, e := range a {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendEventJSON(dst, e)
		}
		return append(dst, ']')
	case fastjson.TypeString:
		b, _ := ev.StringBytes()
		return jsvalue.AppendQuoted(dst, b2s(b))
	case fastjson.TypeNumber:
		return appendEventNumber(dst, ev)
	case fastjson.TypeTrue:
		return append(dst, "true"...)
	case fastjson.TypeFalse:
		return append(dst, "false"...)
	}
	return append(dst, "null"...)
}

// maxDepth bounds nesting in parsed mappings and @json decode input; V8
// would throw a RangeError somewhere past this, and unbounded recursion on
// hostile input is not something a stream processor should do.
const maxDepth = 1000

var errJSONSyntax = errors.New("invalid JSON")

// parseJSON is JSON.parse: strict RFC 8259 syntax, duplicate keys resolved
// last-wins at the first key's position, JS key ordering, numbers as
// doubles, lone surrogate escapes kept (as WTF-8).
func parseJSON(s string) (Value, error) {
	p := jsonParser{s: s}
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return absent, err
	}
	p.ws()
	if p.i != len(p.s) {
		return absent, p.fail()
	}
	return v, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail() error {
	return errJSONSyntax
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (Value, error) {
	if depth > maxDepth {
		return absent, errors.New("JSON nested too deeply")
	}
	if p.i >= len(p.s) {
		return absent, p.fail()
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		o := newObject(4)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return objectValue(o), nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return absent, p.fail()
			}
			k, err := p.str()
			if err != nil {
				return absent, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return absent, p.fail()
			}
			p.i++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return absent, err
			}
			o.set(k, v)
			p.ws()
			if p.i >= len(p.s) {
				return absent, p.fail()
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == '}' {
				p.i++
				return objectValue(o), nil
			}
			return absent, p.fail()
		}
	case c == '[':
		p.i++
		var a []Value
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return arrayValue([]Value{}), nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return absent, err
			}
			a = append(a, v)
			p.ws()
			if p.i >= len(p.s) {
				return absent, p.fail()
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == ']' {
				p.i++
				return arrayValue(a), nil
			}
			return absent, p.fail()
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return absent, err
		}
		return stringValue(s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.lit("true", boolValue(true))
	case c == 'f':
		return p.lit("false", boolValue(false))
	case c == 'n':
		return p.lit("null", nullValue)
	}
	return absent, p.fail()
}

func (p *jsonParser) lit(word string, v Value) (Value, error) {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return v, nil
	}
	return absent, p.fail()
}

func (p *jsonParser) number() (Value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return absent, p.fail()
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return absent, p.fail()
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return absent, p.fail()
		}
	}
	f, ok := parseJSFloat([]byte(p.s[start:p.i]))
	if !ok {
		return absent, p.fail()
	}
	return numberValue(f), nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (p *jsonParser) hex4() (uint16, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var u uint16
	for j := 0; j < 4; j++ {
		h := hexVal(p.s[p.i+j])
		if h < 0 {
			return 0, false
		}
		u = u<<4 | uint16(h)
	}
	p.i += 4
	return u, true
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if !utf8.ValidString(s) {
				return string(appendEscapedRaw(nil, s)), nil
			}
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", p.fail()
		case c == '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", p.fail()
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				u, ok := p.hex4()
				if !ok {
					return "", p.fail()
				}
				if u >= 0xD800 && u < 0xDC00 && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					lo, ok := p.hex4()
					if ok && lo >= 0xDC00 && lo <= 0xDFFF {
						buf = utf8.AppendRune(buf, 0x10000+(rune(u)-0xD800)<<10+rune(lo)-0xDC00)
						continue
					}
					p.i = save
				}
				buf = jsvalue.AppendCodeUnit(buf, u)
			default:
				return "", p.fail()
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, "\uFFFD"...)
			} else {
				buf = append(buf, p.s[p.i:p.i+size]...)
			}
			p.i += size
		default:
			buf = append(buf, c)
			p.i++
		}
	}
	return "", p.fail()
}

// appendEscapedRaw replaces bytes that are not UTF-8 with U+FFFD, as
// decoding the mapping file in Node would.
func appendEscapedRaw(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// jsonString is JSON.stringify for a string, used in messages.
func jsonString(s string) string { return string(jsvalue.AppendQuoted(nil, s)) }
