package mapping

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/osteele/liquid"
)

// @liquid is rendered with github.com/osteele/liquid, adjusted towards the
// liquidjs behaviour Segment exposes: Segment's disabled tags and filters
// fail, JS number formatting, "[object Object]" for objects, float
// division. Remaining differences are listed in DIFFERENCES.md.

const maxLiquidLength = 1000

var liquidDisabledTags = []string{"case", "for", "include", "layout", "render", "tablerow"}

var liquidDisabledFilters = []string{
	"array_to_sentence_string", "concat", "find", "find_exp", "find_index", "find_index_exp",
	"group_by", "group_by_exp", "has", "has_exp", "map", "newline_to_br", "reject", "reject_exp",
	"reverse", "sort", "sort_natural", "uniq", "where_exp", "type",
}

// jsNum prints like a JS number wherever the liquid engine stringifies it.
type jsNum float64

func (n jsNum) String() string { return string(appendJSNumber(nil, float64(n))) }

// jsObj prints like a JS object does in liquidjs output.
type jsObj map[string]any

func (jsObj) String() string { return "[object Object]" }

var (
	liquidOnce   sync.Once
	liquidEngine *liquid.Engine
)

func engine() *liquid.Engine {
	liquidOnce.Do(func() {
		e := liquid.NewEngine()
		for _, name := range liquidDisabledFilters {
			msg := fmt.Sprintf("filter %q is disabled", name)
			e.RegisterFilter(name, func(any) (any, error) { return nil, errors.New(msg) })
		}
		e.RegisterFilter("divided_by", func(a, b float64) jsNum { return jsNum(a / b) })
		e.RegisterFilter("plus", func(a, b float64) jsNum { return jsNum(a + b) })
		e.RegisterFilter("minus", func(a, b float64) jsNum { return jsNum(a - b) })
		e.RegisterFilter("times", func(a, b float64) jsNum { return jsNum(a * b) })
		e.RegisterFilter("modulo", func(a, b float64) jsNum { return jsNum(math.Mod(a, b)) })
		e.RegisterFilter("abs", func(a float64) jsNum { return jsNum(math.Abs(a)) })
		liquidEngine = e
	})
	return liquidEngine
}

type liquidNode struct {
	tmpl *liquid.Template
	err  error
	out  *string // constant result ("" template)
}

func compileLiquid(arg Value) node {
	if arg.kind != KindString {
		return errf("liquid template value must be a string")
	}
	if arg.str == "" {
		return newConst(stringValue(""))
	}
	if utf16Len(arg.str) > maxLiquidLength {
		return errf("liquid template values are limited to 1000 characters")
	}
	if err := liquidPrescan(arg.str); err != nil {
		return &errNode{err: err}
	}
	t, err := engine().ParseString(arg.str)
	if err != nil {
		return &errNode{err: err}
	}
	return &liquidNode{tmpl: t}
}

// liquidPrescan rejects what liquidjs (as Segment configures it) rejects
// but the Go engine would accept: Segment's disabled tags, and an output
// or tag that is never closed.
func liquidPrescan(src string) error {
	for i := 0; i < len(src); {
		j := strings.Index(src[i:], "{")
		if j < 0 || i+j+1 >= len(src) {
			return nil
		}
		i += j
		switch src[i+1] {
		case '{':
			k := strings.Index(src[i+2:], "}}")
			if k < 0 {
				return fmt.Errorf("output %q not closed", src[i:])
			}
			i += 2 + k + 2
		case '%':
			k := strings.Index(src[i+2:], "%}")
			if k < 0 {
				return fmt.Errorf("tag %q not closed", src[i:])
			}
			body := strings.TrimLeft(src[i+2:i+2+k], "- \t\r\n")
			name := body
			if e := strings.IndexAny(body, " \t\r\n-"); e >= 0 {
				name = body[:e]
			}
			for _, d := range liquidDisabledTags {
				if name == d {
					return fmt.Errorf("tag %q is disabled", d)
				}
			}
			i += 2 + k + 2
		default:
			i++
		}
	}
	return nil
}

func (n *liquidNode) eval(c *rctx, p Value) (Value, error) {
	bindings, _ := toLiquid(p).(jsObj)
	out, err := n.tmpl.RenderString(map[string]any(bindings))
	if err != nil {
		return absent, err
	}
	return stringValue(out), nil
}

func (n *liquidNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// toLiquid converts a payload for the liquid engine.
func toLiquid(v Value) any {
	switch v.kind {
	case KindBool:
		return v.b
	case KindNumber:
		return jsNum(v.Number())
	case KindString:
		return strings.Clone(v.str)
	case KindArray:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toLiquid(v.Index(i))
		}
		return out
	case KindObject:
		out := jsObj{}
		v.Range(func(k string, m Value) {
			if m.kind != KindAbsent {
				out[k] = toLiquid(m)
			}
		})
		return out
	}
	return nil
}
