package fql

import (
	"math"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

type funcID uint8

const (
	fnContains funcID = iota
	fnMatch
	fnLength
	fnLowercase
	fnUppercase
	fnSnakecase
	fnKebabcase
	fnTitlecase
	fnTypeof
	fnBool
	fnString
	fnNumber
)

type function struct {
	id     funcID
	name   string
	arity  int
	result kind // kindAbsent when the result type depends on the input
	args   string
}

var functions = map[string]*function{
	"contains":  {fnContains, "contains", 2, kindBool, "(text, substring)"},
	"match":     {fnMatch, "match", 2, kindBool, "(text, pattern)"},
	"length":    {fnLength, "length", 1, kindNumber, "(list or text)"},
	"lowercase": {fnLowercase, "lowercase", 1, kindString, "(text)"},
	"uppercase": {fnUppercase, "uppercase", 1, kindString, "(text)"},
	"snakecase": {fnSnakecase, "snakecase", 1, kindString, "(text)"},
	"kebabcase": {fnKebabcase, "kebabcase", 1, kindString, "(text)"},
	"titlecase": {fnTitlecase, "titlecase", 1, kindString, "(text)"},
	"typeof":    {fnTypeof, "typeof", 1, kindString, "(value)"},
	"bool":      {fnBool, "bool", 1, kindBool, "(value)"},
	"string":    {fnString, "string", 1, kindString, "(value)"},
	"number":    {fnNumber, "number", 1, kindNumber, "(value)"},
}

type callNode struct {
	at   int
	fn   *function
	args []node
	// Precomputed when the second argument of contains/match is a literal.
	literalSecondArg bool
	needle           string // contains: the literal as text
	hasNeedle        bool   // false when the literal has no text form (null, a list)
	hasShape         bool   // match: the literal is a string pattern
	shape            globShape
	shapeText        string // the pattern without its stars, unescaped
	rawPattern       string
}

func newCall(at int, fn *function, args []node) *callNode {
	c := &callNode{at: at, fn: fn, args: args}
	if len(args) == 2 {
		if lit, ok := args[1].(*literalNode); ok {
			c.literalSecondArg = true
			switch fn.id {
			case fnContains:
				c.needle, c.hasNeedle = scalarText(lit.val)
			case fnMatch:
				if lit.val.kind == kindString {
					c.rawPattern = lit.val.str
					c.shape, c.shapeText = analyseGlob(lit.val.str)
					c.hasShape = true
				}
			}
		}
	}
	return c
}

func (n *callNode) position() int { return n.at }

// scalarText is JavaScript's String(v) for the scalars Segment stringifies
// (contains(properties.sku, 5) searches for "5"). Other kinds have no text.
func scalarText(v value) (string, bool) {
	switch v.kind {
	case kindString:
		return v.str, true
	case kindNumber:
		return jsvalue.FormatNumber(v.num), true
	case kindBool:
		if v.b {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// undecided is the result of a function given a value it cannot use: null
// (undecided) when the input was null or missing, invalid (a type error)
// otherwise. Neither is true or false, so contains() and !contains() are
// both false on a field that is not text, as in Segment.
func undecided(v value) value {
	if v.isNullish() {
		return nullValue
	}
	return invalidValue
}

func (n *callNode) eval(event *fastjson.Value, m *Memo) value {
	x := n.args[0].eval(event, m)
	switch n.fn.id {
	case fnContains:
		if x.kind != kindString {
			return undecided(x)
		}
		needle, ok := n.needle, n.hasNeedle
		if !n.literalSecondArg {
			arg := n.args[1].eval(event, m)
			if needle, ok = scalarText(arg); !ok {
				return undecided(arg)
			}
		}
		if !ok {
			return invalidValue // a list literal
		}
		return boolValue(strings.Contains(x.str, needle))
	case fnMatch:
		if x.kind != kindString {
			return undecided(x)
		}
		if n.hasShape {
			return boolValue(matchShape(n.shape, n.shapeText, n.rawPattern, x.str))
		}
		p := n.args[1].eval(event, m)
		if p.kind != kindString {
			return undecided(p)
		}
		return boolValue(globMatch(p.str, x.str))
	case fnLength:
		switch x.kind {
		case kindString:
			return numberValue(float64(len(x.str)))
		case kindList:
			return numberValue(float64(x.listLen()))
		case kindAbsent, kindNull:
			return numberValue(0)
		}
		return invalidValue
	case fnLowercase, fnUppercase, fnSnakecase, fnKebabcase, fnTitlecase:
		if x.kind != kindString {
			return undecided(x)
		}
		return stringValue(changeCase(n.fn.id, x.str))
	case fnTypeof:
		if x.kind == kindInvalid {
			return invalidValue
		}
		return stringValue(typeName(x))
	case fnBool:
		return toBool(x)
	case fnString:
		return toString(x)
	case fnNumber:
		return toNumber(x)
	}
	return invalidValue
}

func matchShape(shape globShape, text, raw, s string) bool {
	switch shape {
	case globExact:
		return s == text
	case globPrefix:
		return strings.HasPrefix(s, text)
	case globSuffix:
		return strings.HasSuffix(s, text)
	case globContains:
		return strings.Contains(s, text)
	}
	return globMatch(raw, s)
}

func changeCase(id funcID, s string) string {
	switch id {
	case fnLowercase:
		return strings.ToLower(s)
	case fnUppercase:
		return strings.ToUpper(s)
	case fnSnakecase:
		return strings.ReplaceAll(s, " ", "_")
	case fnKebabcase:
		return strings.ReplaceAll(s, " ", "-")
	}
	return titleCase(s)
}

// toBool reads "true"/"false" text and treats a number as true unless it is
// zero; other text is not a boolean.
func toBool(x value) value {
	switch x.kind {
	case kindBool:
		return x
	case kindNumber:
		return boolValue(x.num != 0 && !math.IsNaN(x.num))
	case kindString:
		switch x.str {
		case "true":
			return trueValue
		case "false":
			return falseValue
		}
		return invalidValue
	}
	return undecided(x)
}

func toString(x value) value {
	switch x.kind {
	case kindString:
		return x
	case kindNumber, kindBool:
		s, _ := scalarText(x)
		return stringValue(s)
	case kindList, kindObject:
		return stringValue(string(appendJSON(nil, x)))
	}
	return undecided(x)
}

func toNumber(x value) value {
	switch x.kind {
	case kindNumber:
		return x
	case kindString:
		return numberValue(stringToNumber(x.str))
	case kindBool:
		if x.b {
			return numberValue(1)
		}
		return numberValue(0)
	}
	return undecided(x)
}

// appendJSON writes v as compact JSON.
func appendJSON(dst []byte, v value) []byte {
	switch v.kind {
	case kindList:
		if v.json != nil && v.items == nil {
			return jsvalue.AppendParsed(dst, v.json)
		}
		dst = append(dst, '[')
		for i, item := range v.items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, item)
		}
		return append(dst, ']')
	case kindObject:
		return jsvalue.AppendParsed(dst, v.json)
	case kindString:
		return jsvalue.AppendQuoted(dst, v.str)
	case kindNumber, kindBool:
		s, _ := scalarText(v)
		return append(dst, s...)
	}
	return append(dst, "null"...)
}
