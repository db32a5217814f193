package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/osteele/liquid"
	lrender "github.com/osteele/liquid/render"

	"github.com/actuate/actuate/processor/jsvalue"
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

func (n jsNum) String() string { return string(jsvalue.AppendNumber(nil, float64(n))) }

// jsObj prints like a JS object does in liquidjs output.
type jsObj map[string]any

func (jsObj) String() string { return "[object Object]" }

var (
	liquidOnce   sync.Once
	liquidEngine *liquid.Engine
)

func engine() *liquid.Engine {
	liquidOnce.Do(func() { liquidEngine = newLiquidEngine(nil) })
	return liquidEngine
}

// newLiquidEngine builds an engine configured like Segment's liquidjs.
// passthrough names filters the template uses that neither engine
// defines: liquidjs ignores unknown filters, the Go engine fails on them,
// so such templates get their own engine with those filters as identity.
func newLiquidEngine(passthrough []string) *liquid.Engine {
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
	e.RegisterTag("echo", func(ctx lrender.Context) (string, error) {
		if strings.TrimSpace(ctx.TagArgs()) == "" {
			return "", nil
		}
		v, err := ctx.EvaluateString(ctx.TagArgs())
		if err != nil {
			return "", err
		}
		return liquidText(v), nil
	})
	// liquidjs keeps increment/decrement counters in the template scope.
	e.RegisterTag("increment", func(ctx lrender.Context) (string, error) {
		name := strings.TrimSpace(ctx.TagArgs())
		n := liquidCounter(ctx.Get(name))
		ctx.Set(name, jsNum(n+1))
		return liquidText(jsNum(n)), nil
	})
	e.RegisterTag("decrement", func(ctx lrender.Context) (string, error) {
		name := strings.TrimSpace(ctx.TagArgs())
		n := liquidCounter(ctx.Get(name)) - 1
		ctx.Set(name, jsNum(n))
		return liquidText(jsNum(n)), nil
	})
	// for is disabled, so cycle only ever runs outside a loop, where
	// liquidjs still cycles per group of candidates.
	e.RegisterTag("cycle", func(ctx lrender.Context) (string, error) {
		args := strings.TrimSpace(ctx.TagArgs())
		group, cands := splitCycleArgs(args)
		if len(cands) == 0 {
			return "", nil
		}
		state, _ := ctx.Get(cycleStateKey).(map[string]int)
		if state == nil {
			state = map[string]int{}
			ctx.Set(cycleStateKey, state)
		}
		key := group + ":" + strings.Join(cands, ",")
		i := state[key]
		state[key] = (i + 1) % len(cands)
		v, err := ctx.EvaluateString(cands[i])
		if err != nil {
			return "", err
		}
		return liquidText(v), nil
	})
	// liquidjs: first character upper, the rest lower.
	e.RegisterFilter("capitalize", func(s string) string {
		if s == "" {
			return s
		}
		r, size := utf8.DecodeRuneInString(s)
		return jsToUpper(string(r)) + jsToLower(s[size:])
	})
	e.RegisterFilter("at_least", func(a, b float64) jsNum { return jsNum(math.Max(a, b)) })
	e.RegisterFilter("at_most", func(a, b float64) jsNum { return jsNum(math.Min(a, b)) })
	// JSON.stringify(undefined) prints nothing.
	e.RegisterFilter("json", func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := appendLiquidJSON(nil, v)
		return string(b), err
	})
	for _, name := range passthrough {
		e.RegisterFilter(name, func(v any, _ ...any) any { return v })
	}
	return e
}

const cycleStateKey = "\x00cycle"

func liquidCounter(v any) float64 {
	switch n := v.(type) {
	case jsNum:
		return float64(n)
	case int:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

// splitCycleArgs splits `group: a, b` or `a, b` at top-level commas.
func splitCycleArgs(s string) (group string, cands []string) {
	var parts []string
	var quote byte
	start := 0
	colon := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ':' && colon < 0 && len(parts) == 0:
			colon = i
		case c == ',':
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	if colon >= 0 {
		group = strings.TrimSpace(s[:colon])
		parts[0] = parts[0][colon+1-0:]
	}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			cands = append(cands, p)
		}
	}
	return group, cands
}

// appendLiquidJSON writes a liquid value as JSON.stringify does (strings and numbers
// through jsvalue), except that object keys come sorted: a jsObj is a Go map and has
// lost the payload's order. Types the liquid engine makes itself (times, typed slices)
// go through encoding/json.
func appendLiquidJSON(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, v), nil
	case string:
		return jsvalue.AppendQuoted(dst, v), nil
	case jsNum:
		return jsvalue.AppendJSONNumber(dst, float64(v)), nil
	case float64:
		return jsvalue.AppendJSONNumber(dst, v), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendLiquidJSON(dst, e); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case jsObj:
		return appendLiquidObject(dst, v)
	case map[string]any:
		return appendLiquidObject(dst, v)
	}
	b, err := json.Marshal(v)
	return append(dst, b...), err
}

func appendLiquidObject(dst []byte, o map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(jsvalue.AppendQuoted(dst, k), ':')
		var err error
		if dst, err = appendLiquidJSON(dst, o[k]); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// liquidText stringifies a value the way liquidjs outputs it.
func liquidText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, e := range v {
			b.WriteString(liquidText(e))
		}
		return b.String()
	case float64: // from the liquid engine's own filters (round, ceil, …)
		return jsvalue.FormatNumber(v)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

type liquidNode struct {
	tmpl *liquid.Template
}

func compileLiquid(arg Value) (n node) {
	defer func() {
		if r := recover(); r != nil {
			n = &errNode{err: fmt.Errorf("liquid: %v", r)}
		}
	}()
	if arg.kind != KindString {
		return errf("liquid template value must be a string")
	}
	if arg.str == "" {
		return newConst(stringValue(""))
	}
	if jsvalue.UTF16Len(arg.str) > maxLiquidLength {
		return errf("liquid template values are limited to 1000 characters")
	}
	if err := liquidPrescan(arg.str); err != nil {
		return &errNode{err: err}
	}
	src := expandLiquidTags(arg.str)
	t, err := engine().ParseString(src)
	if err != nil {
		return &errNode{err: err}
	}
	// Find filters the engine does not know by rendering once against an
	// empty scope; each round reveals one.
	var passthrough []string
	for round := 0; round < 16; round++ {
		_, rerr := t.RenderString(map[string]any{})
		m := undefinedFilterRe.FindStringSubmatch(fmt.Sprint(rerr))
		if rerr == nil || m == nil {
			break
		}
		passthrough = append(passthrough, m[1])
		if t, err = newLiquidEngine(passthrough).ParseString(src); err != nil {
			return &errNode{err: err}
		}
	}
	return &liquidNode{tmpl: t}
}

var (
	undefinedFilterRe = regexp.MustCompile(`undefined filter "([^"]+)"`)
	liquidTagRe       = regexp.MustCompile(`(?s)\{%(-?)\s*liquid\b(.*?)(-?)%\}`)
)

// expandLiquidTags rewrites {% liquid %} blocks, one tag per line, into
// ordinary tags, which is what they mean.
func expandLiquidTags(src string) string {
	return liquidTagRe.ReplaceAllStringFunc(src, func(m string) string {
		sub := liquidTagRe.FindStringSubmatch(m)
		var b strings.Builder
		for _, line := range strings.Split(sub[2], "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			b.WriteString("{%" + sub[1] + " " + line + " " + sub[3] + "%}")
		}
		return b.String()
	})
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

func (n *liquidNode) eval(c *rctx, p Value) (v Value, err error) {
	// A third-party engine must not be able to take the router down.
	defer func() {
		if r := recover(); r != nil {
			v, err = absent, fmt.Errorf("liquid: %v", r)
		}
	}()
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
