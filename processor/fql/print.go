package fql

import (
	"strings"
	"unicode/utf8"
)

// String returns the expression in canonical form: double-quoted strings,
// numbers as JavaScript prints them, single spaces around operators, ", "
// between arguments, and parentheses only where precedence needs them.
// Parsing the result gives an equivalent expression; for the conditions a
// trigger builder emits it is the text Segment's generator produces.
func (e *Expr) String() string {
	if e == nil || e.root == nil {
		return ""
	}
	var b strings.Builder
	writeNode(&b, e.root, precOr)
	return b.String()
}

const (
	precOr = iota
	precAnd
	precCompare
	precOperand
)

func precedence(n node) int {
	switch n := n.(type) {
	case *logicNode:
		if n.isAnd {
			return precAnd
		}
		return precOr
	case *compareNode, *inNode, *existsNode:
		return precCompare
	}
	return precOperand
}

func writeNode(b *strings.Builder, n node, minPrec int) {
	if precedence(n) < minPrec {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n := n.(type) {
	case *logicNode:
		sep, childPrec := " or ", precAnd
		if n.isAnd {
			sep, childPrec = " and ", precCompare
		}
		for i, x := range n.xs {
			if i > 0 {
				b.WriteString(sep)
			}
			writeNode(b, x, childPrec)
		}
	case *compareNode:
		writeNode(b, n.left, precOperand)
		b.WriteByte(' ')
		b.WriteString(compareOpText[n.op])
		b.WriteByte(' ')
		writeNode(b, n.right, precOperand)
	case *inNode:
		writeNode(b, n.left, precOperand)
		b.WriteString(" in ")
		writeNode(b, n.right, precOperand)
	case *existsNode:
		writeNode(b, n.field, precOperand)
		b.WriteString(" exists")
	case *notNode:
		b.WriteByte('!')
		writeNode(b, n.x, precOperand)
	case *callNode:
		b.WriteString(n.fn.name)
		b.WriteByte('(')
		for i, arg := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNode(b, arg, precOr)
		}
		b.WriteByte(')')
	case *pathNode:
		writePath(b, n.segments)
	case *literalNode:
		writeValue(b, n.val)
	case *listNode:
		b.WriteByte('[')
		for i, item := range n.items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, item.val)
		}
		b.WriteByte(']')
	}
}

func writeValue(b *strings.Builder, v value) {
	switch v.kind {
	case kindString:
		b.WriteString(quoteString(v.str))
	case kindNumber, kindBool:
		s, _ := scalarText(v)
		b.WriteString(s)
	default:
		b.WriteString("null")
	}
}

// quoteString writes s as a double-quoted FQL string; only the quote and the
// backslash need escaping.
func quoteString(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// writePath escapes every character outside a-z A-Z 0-9 _ - with a
// backslash, as Segment's generator does. A first segment that would read as
// a keyword, or start like a number, gets its first character escaped.
func writePath(b *strings.Builder, segments []string) {
	for i, seg := range segments {
		if i > 0 {
			b.WriteByte('.')
		}
		_, isKeyword := keywords[seg]
		escapeFirst := isKeyword || isDigit(seg[0]) || seg[0] == '-'
		for j := 0; j < len(seg); {
			// Escape whole runes (or single invalid bytes), as the lexer
			// reads one rune after a backslash.
			_, w := utf8.DecodeRuneInString(seg[j:])
			if (j == 0 && i == 0 && escapeFirst) || w > 1 || !isNameChar(seg[j]) {
				b.WriteByte('\\')
			}
			b.WriteString(seg[j : j+w])
			j += w
		}
	}
}
