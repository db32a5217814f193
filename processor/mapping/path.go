package mapping

import (
	"strings"

	"github.com/valyala/fastjson"
)

// path is a pre-split lookup path for mapping-kit's get().
type path struct {
	whole bool     // "" or "." (after $. removal): the payload itself
	segs  []string // property names, quotes already removed
	pfx   int      // 1 + id of the parent prefix in the prefix cache; 0: none
	id    int32    // the path's id in every mapping's EventJSON (pathIDs); 0: none
}

// compilePath prepares a @path / @arrayPath string: the first "$." anywhere
// is removed (not just a leading one), then the rest is split like get().
func compilePath(s string) path {
	if i := strings.Index(s, "$."); i >= 0 {
		s = s[:i] + s[i+2:]
	}
	return compileGetPath(s)
}

// compileGetPath prepares a get() path as written (templates do not strip
// "$.").
func compileGetPath(s string) path {
	if s == "" || s == "." {
		return path{whole: true}
	}
	return path{segs: splitPath(s)}
}

var quoteRemover = strings.NewReplacer(`'`, "", `"`, "")

func isQuoteOrDigit(c byte) bool {
	return c == '"' || c == '\'' || (c >= '0' && c <= '9')
}

// splitPath reproduces get()'s split: cut at '.', at '[' followed by a quote
// or digit, and at a run of ']' preceded by a quote or digit; drop empty
// pieces; delete every quote character. So a[b] is one key, a['b.c'] is
// three, and arr[1] equals arr.1.
func splitPath(s string) []string {
	var segs []string
	start := 0
	add := func(piece string) {
		if piece == "" {
			return
		}
		if strings.ContainsAny(piece, `'"`) {
			// Emptiness was tested before the quotes went, so '' is the
			// key "".
			piece = quoteRemover.Replace(piece)
		}
		segs = append(segs, piece)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '.':
			add(s[start:i])
			i++
			start = i
		case c == '[' && i+1 < len(s) && isQuoteOrDigit(s[i+1]):
			add(s[start:i])
			i++
			start = i
		case c == ']' && i > 0 && isQuoteOrDigit(s[i-1]):
			add(s[start:i])
			for i < len(s) && s[i] == ']' {
				i++
			}
			start = i
		default:
			i++
		}
	}
	add(s[start:])
	return segs
}

// lookup is get(payload, path): while walking, a falsy current value is
// returned as is (get({a:0}, "a.b") is 0, {a:null} gives null), otherwise
// the segment is read as a property.
func (p *path) lookup(v Value) Value {
	if p.whole {
		return v
	}
	if v.ev != nil {
		return p.lookupEvent(v.ev)
	}
	return p.walk(v, p.segs)
}

func (p *path) walk(v Value, segs []string) Value {
	for _, seg := range segs {
		if !v.truthy() {
			return v
		}
		v = v.prop(seg)
	}
	return v
}

// lookupEvent is lookup specialised for event data: it walks fastjson
// nodes directly and only builds a Value at the end, or when it meets a
// string or number that needs JS property semantics.
func (p *path) lookupEvent(ev *fastjson.Value) Value {
	for i, seg := range p.segs {
		switch ev.Type() {
		case fastjson.TypeObject:
			o, _ := ev.Object()
			next := o.Get(seg)
			if next == nil {
				return absent
			}
			ev = next
		case fastjson.TypeArray:
			a, _ := ev.Array()
			n, ok := arrayIndex(seg)
			if !ok || n >= uint64(len(a)) {
				if seg == "length" {
					return p.walk(numberValue(float64(len(a))), p.segs[i+1:])
				}
				return absent
			}
			ev = a[n]
		case fastjson.TypeNull:
			return nullValue
		case fastjson.TypeFalse:
			return boolValue(false)
		case fastjson.TypeTrue:
			return absent
		default:
			return p.walk(wrapEvent(ev), p.segs[i:])
		}
	}
	return wrapEvent(ev)
}
