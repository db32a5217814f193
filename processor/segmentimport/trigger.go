package segmentimport

import (
	"regexp"
	"strings"
)

// Divergences returns, for a trigger that processor/fql accepts, every reason Segment's
// subscription engine (@segment/destination-subscriptions) reads it differently: the
// constructs processor/fql/doc.go and reference/fql.md list, which the golden comparison
// in processor/fql/segment_test.go excludes. An empty result means the trigger matches
// the same events on both. It scans tokens; it does not parse (fql.Parse does that).
func Divergences(trigger string) []string {
	toks := scan(trigger)
	var out []string
	seen := map[string]bool{}
	add := func(reason string) {
		if !seen[reason] {
			seen[reason] = true
			out = append(out, reason)
		}
	}
	// Each open parenthesis is a group or a call's arguments; and/or are tracked per group.
	type frame struct {
		call      string
		and, or   bool
		args      int
		afterCall bool // a call just closed inside this group
	}
	stack := []frame{{}}
	for i, t := range toks {
		top := &stack[len(stack)-1]
		if top.afterCall && t.kind != tokRParen {
			if len(stack) > 1 && stack[len(stack)-1].call == "" {
				add(`a function call inside parentheses followed by more conditions: Segment ends the group at the call's ")"`)
			}
			top.afterCall = false
		}
		prev, next := tokenAt(toks, i-1), tokenAt(toks, i+1)
		switch t.kind {
		case tokLParen:
			f := frame{}
			switch {
			case prev.kind == tokWord && !isKeyword(prev.text):
				f.call = prev.text
			case prev.kind == tokNot:
				add(`"!" before a parenthesis: Segment ignores it, Actuate negates the group`)
			}
			if f.call == "" && len(stack) > 1 {
				add(`nested parentheses: Segment ends a group at the first ")"`)
			}
			stack = append(stack, f)
		case tokRParen:
			if len(stack) > 1 {
				closed := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if closed.call != "" {
					stack[len(stack)-1].afterCall = true
				}
			}
		case tokComma:
			top.args++
		case tokString:
			if t.quote == '\'' {
				add(`single-quoted string ` + t.text + `: Segment keeps the quotes as part of the text, so the condition never matches there`)
			}
			if top.call == "match" && top.args == 1 && !sameGlob(t.str) {
				add(`match() pattern "` + t.str + `": Actuate reads a glob over the whole string; Segment reads a prefix when the pattern ends in "*", otherwise a suffix without its first character`)
			}
			if (isOrder(prev.kind) || isOrder(next.kind)) && timestamp.MatchString(t.str) {
				add(`< or > with a timestamp: Actuate compares two RFC 3339 timestamps as times; Segment never compares strings with < or >`)
			}
		case tokWord:
			switch strings.ToLower(t.text) {
			case "and", "or":
				if strings.ToLower(t.text) == "and" {
					top.and = true
				} else {
					top.or = true
				}
				if top.and && top.or {
					add(`"and" and "or" at one level without parentheses: Actuate binds and tighter than or; Segment applies the last one to the whole level`)
				}
				continue
			case "in":
				if isValue(prev) {
					add(`"in": Segment has no in operator and reads it as a comparison that is never true`)
				}
				continue
			case "exists":
				if isValue(prev) && next.kind == tokWord && strings.EqualFold(next.text, "or") {
					add(`"or" after "exists": Segment takes the word after exists as its operand, so the or is read as and`)
				}
				continue
			case "true", "false":
				if prev.kind == tokNe {
					add(`!= ` + t.text + `: Segment compares with the text "` + t.text + `", so it is true for the boolean ` + t.text + ` itself`)
				}
				if isOrder(prev.kind) || isOrder(next.kind) {
					add(`< or > with a boolean: Actuate compares numbers only; Segment converts the boolean to a number`)
				}
				continue
			case "null":
				continue
			}
			root, rest, _ := strings.Cut(t.text, ".")
			switch {
			case next.kind == tokLParen:
				if t.text != "contains" && t.text != "match" {
					add(t.text + `(): Segment's subscription engine knows only contains() and match() and skips any other function`)
				}
				continue
			case top.call == "contains" && top.args == 1:
				add(`contains() with a field as its second argument: Actuate reads the field's value; Segment the text of its name`)
			case isComparison(prev.kind):
				add(`field ` + t.text + ` as a value: Actuate compares with the field's value; Segment with the text of its name`)
			case top.call == "":
				switch root {
				case "type", "event", "name", "userId":
					if rest != "" {
						add(t.text + `: Segment reads every field starting with "` + root + `." as ` + root + ` itself`)
					}
				case "properties", "traits", "context":
				default:
					add(`condition on ` + t.text + `: Segment's subscription engine reads only type, event, name, userId, properties, traits and context, and skips the condition; Actuate evaluates it`)
				}
			}
			if strings.Contains(t.text, `\.`) {
				add(`escaped dot in ` + t.text + `: Actuate keeps it in the key; Segment splits the path there`)
			}
			for _, seg := range strings.Split(t.text, ".") {
				if prototypeKeys[seg] {
					add(t.text + `: Segment finds JavaScript's Object.prototype.` + seg + `; Actuate reads JSON keys only`)
				}
			}
			if (next.kind == tokEq || next.kind == tokNe) && textCompared(t.text, tokenAt(toks, i+2)) {
				add(t.text + ` compared with ` + tokenAt(toks, i+2).text + `: Segment compares ` + t.text + ` with the text "` + tokenAt(toks, i+2).text + `"`)
			}
		case tokLe, tokGe:
			if next.kind != tokEOF && next.pos == t.pos+2 {
				add(`"` + t.text + `" written without a space after it: Segment's lexer reads >=10 as > followed by "="`)
			}
		}
	}
	return out
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokWord
	tokString
	tokNumber
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
	tokEq
	tokNe
	tokLt
	tokLe
	tokGt
	tokGe
	tokNot
	tokOther
)

type tok struct {
	kind  tokKind
	pos   int
	text  string // as written
	str   string // a string's value
	quote byte
}

func tokenAt(toks []tok, i int) tok {
	if i < 0 || i >= len(toks) {
		return tok{kind: tokEOF}
	}
	return toks[i]
}

// scan splits an expression into tokens the way processor/fql's lexer does: quoted
// strings with backslash escapes of quotes and backslashes, field paths with backslash
// escapes, numbers, operators. Anything else is one tokOther character.
func scan(src string) []tok {
	var out []tok
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && j+1 < len(src) && (src[j+1] == '\\' || src[j+1] == '"' || src[j+1] == '\'') {
					j++
				}
				b.WriteByte(src[j])
				j++
			}
			end := min(j+1, len(src))
			out = append(out, tok{kind: tokString, pos: i, text: src[i:end], str: b.String(), quote: c})
			i = end
			continue
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && strings.IndexByte("0123456789.eE+-", src[j]) >= 0 {
				j++
			}
			out = append(out, tok{kind: tokNumber, pos: i, text: src[i:j]})
			i = j
			continue
		case c == '\\' || c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(src) {
				if src[j] == '\\' && j+1 < len(src) {
					j += 2
					continue
				}
				if !isPathChar(src[j]) {
					break
				}
				j++
			}
			out = append(out, tok{kind: tokWord, pos: i, text: src[i:j]})
			i = j
			continue
		}
		two := ""
		if i+1 < len(src) {
			two = src[i : i+2]
		}
		switch two {
		case "!=":
			out = append(out, tok{kind: tokNe, pos: i, text: two})
			i += 2
			continue
		case "<=":
			out = append(out, tok{kind: tokLe, pos: i, text: two})
			i += 2
			continue
		case ">=":
			out = append(out, tok{kind: tokGe, pos: i, text: two})
			i += 2
			continue
		}
		k := map[byte]tokKind{'(': tokLParen, ')': tokRParen, '[': tokLBracket, ']': tokRBracket, ',': tokComma,
			'=': tokEq, '<': tokLt, '>': tokGt, '!': tokNot}[c]
		if k == 0 {
			k = tokOther
		}
		out = append(out, tok{kind: k, pos: i, text: src[i : i+1]})
		i++
	}
	return out
}

func isPathChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '$'
}

func isKeyword(w string) bool {
	switch strings.ToLower(w) {
	case "and", "or", "in", "exists", "true", "false", "null":
		return true
	}
	return false
}

func isComparison(k tokKind) bool { return k >= tokEq && k <= tokGe }

func isOrder(k tokKind) bool { return k == tokLt || k == tokLe || k == tokGt || k == tokGe }

// isValue reports whether t ends an operand (so a word after it is an operator).
func isValue(t tok) bool {
	switch t.kind {
	case tokString, tokNumber, tokRBracket, tokRParen:
		return true
	case tokWord:
		return !isKeyword(t.text) || t.text == "true" || t.text == "false" || t.text == "null"
	}
	return false
}

// textCompared reports the = and != that Segment's engine reads as a comparison with the
// literal's text where Actuate compares values: type and event with null, a boolean or a
// number; name with a boolean or a number; userId with a number.
func textCompared(field string, lit tok) bool {
	isBool := lit.kind == tokWord && (lit.text == "true" || lit.text == "false")
	switch field {
	case "type", "event":
		return lit.kind == tokNumber || isBool || lit.kind == tokWord && lit.text == "null"
	case "name":
		return lit.kind == tokNumber || isBool
	case "userId":
		return lit.kind == tokNumber
	}
	return false
}

// sameGlob reports whether Actuate's glob reading of a match() pattern equals Segment's:
// "P*" (a prefix) and "*S" (a suffix) with no other glob characters.
func sameGlob(p string) bool {
	const meta = `*?[\`
	switch {
	case strings.HasSuffix(p, "*") && !strings.ContainsAny(p[:len(p)-1], meta):
		return true
	case strings.HasPrefix(p, "*") && !strings.ContainsAny(p[1:], meta):
		return true
	}
	return false
}

var timestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)

// prototypeKeys are the names JavaScript finds on every object.
var prototypeKeys = map[string]bool{
	"constructor": true, "__proto__": true, "hasOwnProperty": true, "isPrototypeOf": true,
	"propertyIsEnumerable": true, "toLocaleString": true, "toString": true, "valueOf": true,
	"__defineGetter__": true, "__defineSetter__": true, "__lookupGetter__": true, "__lookupSetter__": true,
}
