package mapping

import (
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// template is a pre-parsed @template string.
//
// Segment renders with two regex passes: first {{{x}}}, then {{x}} over the
// result of the first pass. Without triple placeholders the second pass sees
// the template text itself, so it is split once here. With them, a value
// substituted in pass one may itself form a {{x}} for pass two, so such
// templates are rendered the slow way at run time.
type template struct {
	src     string
	dynamic bool
	parts   []tmplPart
	// slow: a literal part begins or ends with half a surrogate pair, so
	// pieces cannot be escaped one at a time (see appendJSON).
	slow bool
}

type tmplPart struct {
	lit     string
	litJSON []byte // lit, JSON-escaped
	ph      bool
	path    path
}

// placeholderAt matches /\{\{([^}]+)\}\}/ (n=2) or the triple form (n=3)
// at s[i:], returning the inner text's bounds and the match end.
func placeholderAt(s string, i, n int) (inner string, end int, ok bool) {
	if i+n > len(s) {
		return "", 0, false
	}
	for j := 0; j < n; j++ {
		if s[i+j] != '{' {
			return "", 0, false
		}
	}
	k := strings.IndexByte(s[i+n:], '}')
	if k <= 0 {
		return "", 0, false
	}
	close := i + n + k
	if close+n > len(s) {
		return "", 0, false
	}
	for j := 0; j < n; j++ {
		if s[close+j] != '}' {
			return "", 0, false
		}
	}
	return s[i+n : close], close + n, true
}

// forEachPlaceholder walks the regex's global, left-to-right,
// non-overlapping matches.
func forEachPlaceholder(s string, n int, lit func(string), ph func(inner string)) {
	start := 0
	for i := 0; i < len(s); {
		if s[i] == '{' {
			if inner, end, ok := placeholderAt(s, i, n); ok {
				if i > start {
					lit(s[start:i])
				}
				ph(inner)
				i = end
				start = end
				continue
			}
		}
		i++
	}
	if start < len(s) {
		lit(s[start:])
	}
}

func compileTemplate(src string) *template {
	t := &template{src: src}
	hasTriple := false
	forEachPlaceholder(src, 3, func(string) {}, func(string) { hasTriple = true })
	if hasTriple {
		t.dynamic = true
		return t
	}
	forEachPlaceholder(src, 2, func(s string) {
		t.parts = append(t.parts, tmplPart{lit: s, litJSON: jsvalue.AppendEscaped(nil, s)})
		if splitsSurrogates(s) {
			t.slow = true
		}
	}, func(inner string) {
		t.parts = append(t.parts, tmplPart{ph: true, path: compileGetPath(jsvalue.Trim(inner))})
	})
	return t
}

// appendPlaceholder appends the text a placeholder renders to: "" for
// null and undefined, String(value) otherwise.
func appendPlaceholder(dst []byte, v Value) []byte {
	if v.kind == KindAbsent || v.kind == KindNull {
		return dst
	}
	return appendJSString(dst, v)
}

// appendJSString appends String(v).
func appendJSString(dst []byte, v Value) []byte {
	switch v.kind {
	case KindAbsent:
		return append(dst, "undefined"...)
	case KindNull:
		return append(dst, "null"...)
	case KindBool:
		if v.b {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case KindNumber:
		return jsvalue.AppendNumber(dst, v.Number())
	case KindString:
		return append(dst, v.str...)
	case KindArray:
		// Array.prototype.join(","): holes, null and undefined are empty.
		n := v.Len()
		for i := 0; i < n; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			e := v.Index(i)
			if e.kind != KindAbsent && e.kind != KindNull {
				dst = appendJSString(dst, e)
			}
		}
		return dst
	}
	return append(dst, "[object Object]"...)
}

// render returns the template's text for payload p.
func (t *template) render(c *rctx, p Value) string {
	if t.dynamic {
		return t.renderDynamic(p)
	}
	if len(t.parts) == 1 && !t.parts[0].ph {
		return t.parts[0].lit
	}
	var buf []byte
	for i := range t.parts {
		part := &t.parts[i]
		if !part.ph {
			buf = append(buf, part.lit...)
			continue
		}
		buf = appendPlaceholder(buf, part.path.lookupC(c, p))
	}
	return string(buf)
}

// appendJSON appends the rendered template as a JSON string without
// building the intermediate Go string.
func (t *template) appendJSON(c *rctx, dst []byte, p Value) []byte {
	if t.dynamic {
		return jsvalue.AppendQuoted(dst, t.renderDynamic(p))
	}
	if t.slow {
		return jsvalue.AppendQuoted(dst, t.render(c, p))
	}
	start := len(dst)
	dst = append(dst, '"')
	for i := range t.parts {
		part := &t.parts[i]
		if !part.ph {
			dst = append(dst, part.litJSON...)
			continue
		}
		if p.ev != nil && !part.path.whole {
			if r := c.resolved(&part.path, p.ev); r != nil && !r.fallback {
				if r.v == nil {
					continue
				}
				switch r.v.Type() {
				case fastjson.TypeString:
					b, _ := r.v.StringBytes()
					if splitsSurrogates(b2s(b)) {
						return jsvalue.AppendQuoted(dst[:start], t.render(c, p))
					}
					// The string's JSON without its quotes is its escaped text.
					quoted := c.eventJSON.resolvedJSON(r)
					dst = append(dst, quoted[1:len(quoted)-1]...)
					continue
				case fastjson.TypeNull:
					continue
				}
			} else if ev, ok := part.path.evLookup(c, p.ev); ok {
				if ev == nil {
					continue
				}
				switch ev.Type() {
				case fastjson.TypeString:
					b, _ := ev.StringBytes()
					if splitsSurrogates(b2s(b)) {
						return jsvalue.AppendQuoted(dst[:start], t.render(c, p))
					}
					dst = jsvalue.AppendEscaped(dst, b2s(b))
					continue
				case fastjson.TypeNull:
					continue
				}
				// Numbers, booleans and containers take the general path.
			}
		}
		v := part.path.lookupC(c, p)
		switch v.kind {
		case KindAbsent, KindNull:
		case KindString:
			if splitsSurrogates(v.str) {
				// Two halves of one emoji from two placeholders join up
				// again in JS; escaping piecewise would keep them apart.
				return jsvalue.AppendQuoted(dst[:start], t.render(c, p))
			}
			dst = jsvalue.AppendEscaped(dst, v.str)
		case KindNumber, KindBool:
			dst = appendJSString(dst, v)
		default:
			c.tmp = appendJSString(c.tmp[:0], v)
			if splitsSurrogates(b2s(c.tmp)) {
				return jsvalue.AppendQuoted(dst[:start], t.render(c, p))
			}
			dst = jsvalue.AppendEscaped(dst, b2s(c.tmp))
		}
	}
	return append(dst, '"')
}

func renderPass(s string, n int, p Value) string {
	var buf []byte
	forEachPlaceholder(s, n, func(lit string) {
		buf = append(buf, lit...)
	}, func(inner string) {
		pp := compileGetPath(jsvalue.Trim(inner))
		buf = appendPlaceholder(buf, pp.lookup(p))
	})
	return string(buf)
}

func (t *template) renderDynamic(p Value) string {
	return renderPass(renderPass(t.src, 3, p), 2, p)
}

// splitsSurrogates reports whether s starts with a low or ends with a high
// surrogate half, i.e. could pair up with a neighbouring piece of text.
func splitsSurrogates(s string) bool {
	if u, ok := jsvalue.SurrogateAt(s, 0); ok && u >= 0xDC00 {
		return true
	}
	if len(s) >= 3 {
		if u, ok := jsvalue.SurrogateAt(s, len(s)-3); ok && u < 0xDC00 {
			return true
		}
	}
	return false
}
