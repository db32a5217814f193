package fql

import (
	"errors"
	"testing"

	"github.com/valyala/fastjson"
)

func TestParseCanonicalText(t *testing.T) {
	tests := []struct{ src, want string }{
		{`type = "track"`, `type = "track"`},
		{`type="track"`, `type = "track"`},
		{"type\t=\n'track'", `type = "track"`},
		{`type = "track" and event = "Order Completed"`, `type = "track" and event = "Order Completed"`},
		// and binds tighter than or; parentheses appear only where needed.
		{`a = 1 or b = 2 and c = 3`, `a = 1 or b = 2 and c = 3`},
		{`(a = 1 or b = 2) and c = 3`, `(a = 1 or b = 2) and c = 3`},
		{`((a = 1 or b = 2)) and (c = 3)`, `(a = 1 or b = 2) and c = 3`},
		{`a = 1 and (b = 2 and c = 3)`, `a = 1 and b = 2 and c = 3`},
		{`a = 1 or (b = 2 or c = 3)`, `a = 1 or b = 2 or c = 3`},
		{`(a = 1 and b = 2) or c = 3`, `a = 1 and b = 2 or c = 3`},
		{`a = 1 and (b = 2 or (c = 3 and (d = 4 or e = 5)))`, `a = 1 and (b = 2 or c = 3 and (d = 4 or e = 5))`},
		// Negation.
		{`!contains(event, "x")`, `!contains(event, "x")`},
		{`!(type = "track")`, `!(type = "track")`},
		{`!(a = 1 or b = 2)`, `!(a = 1 or b = 2)`},
		{`!!bool(properties.flag)`, `!!bool(properties.flag)`},
		{`! bool(properties.flag)`, `!bool(properties.flag)`},
		{`!(bool(properties.flag))`, `!bool(properties.flag)`},
		{`!bool(properties.flag) = false`, `!bool(properties.flag) = false`},
		{`!true`, `!true`},
		// exists: a postfix operator on a field, at comparison level.
		{`properties.coupon exists`, `properties.coupon exists`},
		{`properties.coupon   exists`, `properties.coupon exists`},
		{`(properties.coupon) exists`, `properties.coupon exists`},
		{`(properties.coupon exists)`, `properties.coupon exists`},
		{`!(properties.coupon exists)`, `!(properties.coupon exists)`},
		{`!( properties.coupon exists )`, `!(properties.coupon exists)`},
		{`a exists or b exists`, `a exists or b exists`},
		{`a exists and b exists or c exists`, `a exists and b exists or c exists`},
		{`(a exists or b exists) and c exists`, `(a exists or b exists) and c exists`},
		{`type = "track" and properties.coupon exists`, `type = "track" and properties.coupon exists`},
		{`properties.product\ 1 exists`, `properties.product\ 1 exists`},
		{`(a exists) = true`, `(a exists) = true`},
		{`bool(a exists)`, `bool(a exists)`},
		// exists is a word only after a field; elsewhere it is a field name.
		{`exists = 1`, `exists = 1`},
		{`exists exists`, `exists exists`},
		{`\exists exists`, `exists exists`},
		{`properties.exists exists`, `properties.exists exists`},
		{`a = exists`, `a = exists`},
		{`contains(exists, "x")`, `contains(exists, "x")`},
		{`EXISTS = 1`, `EXISTS = 1`},
		// Literals.
		{`properties.a = 'it\'s'`, `properties.a = "it's"`},
		{`properties.a = "say \"hi\""`, `properties.a = "say \"hi\""`},
		{`properties.a = "back\\slash"`, `properties.a = "back\\slash"`},
		{`properties.a = "C:\temp"`, `properties.a = "C:\\temp"`},
		{`properties.a = ""`, `properties.a = ""`},
		{`properties.a = -2.5`, `properties.a = -2.5`},
		{`properties.a = +3`, `properties.a = 3`},
		{`properties.a = 05`, `properties.a = 5`},
		{`properties.a = 1.50`, `properties.a = 1.5`},
		{`properties.a = 1e3`, `properties.a = 1000`},
		{`properties.a = 1e21`, `properties.a = 1e+21`},
		{`properties.a = 0.0000001`, `properties.a = 1e-7`},
		{`properties.a = -0`, `properties.a = 0`},
		{`properties.a = true`, `properties.a = true`},
		{`properties.a != null`, `properties.a != null`},
		{`type in ['track', "page", 1, true, null]`, `type in ["track", "page", 1, true, null]`},
		{`type in []`, `type in []`},
		{`'dark-mode' in properties.features`, `"dark-mode" in properties.features`},
		// Paths and escapes.
		{`properties.product\ 1.price = 1`, `properties.product\ 1.price = 1`},
		{`properties.\$special = 1`, `properties.\$special = 1`},
		{`properties.a\.b = 1`, `properties.a\.b = 1`},
		{`properties.caf\é = 1`, `properties.caf\é = 1`},
		{`properties.items.0.price > 1`, `properties.items.0.price > 1`},
		{`properties.foo-bar_baz = 1`, `properties.foo-bar_baz = 1`},
		{`\and = 1`, `\and = 1`},
		{`\true = 1`, `\true = 1`},
		{`\0abc = 1`, `\0abc = 1`},
		{`properties.and.or = 1`, `properties.and.or = 1`},
		{`received_at >= '2023-04-21T19:55:00.933Z'`, `received_at >= "2023-04-21T19:55:00.933Z"`},
		// Functions.
		{`contains( event ,"x" )`, `contains(event, "x")`},
		{`match(event, "Order*")`, `match(event, "Order*")`},
		{`length(properties.tags) >= 2`, `length(properties.tags) >= 2`},
		{`lowercase(event) = "x"`, `lowercase(event) = "x"`},
		{`uppercase(event) = "X"`, `uppercase(event) = "X"`},
		{`snakecase(event) = "a_b"`, `snakecase(event) = "a_b"`},
		{`kebabcase(event) = "a-b"`, `kebabcase(event) = "a-b"`},
		{`titlecase(event) = "A B"`, `titlecase(event) = "A B"`},
		{`typeof(properties.x) = "number"`, `typeof(properties.x) = "number"`},
		{`bool(properties.x)`, `bool(properties.x)`},
		{`string(properties.x) = "1"`, `string(properties.x) = "1"`},
		{`number(properties.x) > 1`, `number(properties.x) > 1`},
		{`contains(lowercase(event), "order")`, `contains(lowercase(event), "order")`},
		{`bool(a = 1 or b = 2)`, `bool(a = 1 or b = 2)`},
		{`(a = 1) = true`, `(a = 1) = true`},
		{`5 < properties.x`, `5 < properties.x`},
		// A field named like a function, used as a field.
		{`contains = 1`, `contains = 1`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
			continue
		}
		again, err := Parse(tt.want)
		if err != nil || again.String() != tt.want {
			t.Errorf("canonical %q does not re-parse to itself: %v", tt.want, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src     string
		wantPos int
		wantMsg string
	}{
		{``, 0, `expected a condition, found end of input`},
		{`   `, 3, `expected a condition, found end of input`},
		{`type = `, 7, `expected a value after "=", found end of input`},
		// A field alone is not a condition (Segment: "Value token is
		// missing"); the position is where the operator belongs.
		{`type`, 4, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`properties.coupon`, 17, `expected an operator after field properties.coupon (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`  properties.product\ 1  `, 25, `expected an operator after field properties.product\ 1 (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`(type)`, 5, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found ")"`},
		{`((type))`, 6, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found ")"`},
		{`type and event = "x"`, 5, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found "and"`},
		{`event = "x" or type`, 19, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`event = "x" and (type or a = 1)`, 22, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found "or"`},
		{`!type`, 5, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`!(type)`, 6, `expected an operator after field type (=, !=, <, <=, >, >=, in or exists), found ")"`},
		{`properties.coupon exist`, 18, `expected "and", "or" or end of input, found field exist`},
		{`properties.coupon not exists`, 18, `expected "and", "or" or end of input, found field not`},
		// exists applies to a field, and ! to what directly follows it.
		{`!properties.coupon exists`, 0, `"!" applies to field properties.coupon alone, which is not a condition; to negate the condition, put it in parentheses: !(properties.coupon exists)`},
		{`!properties.flag = false`, 0, `"!" applies to field properties.flag alone, which is not a condition; to negate the condition, put it in parentheses: !(properties.flag = ...)`},
		{`!a in [1]`, 0, `"!" applies to field a alone, which is not a condition; to negate the condition, put it in parentheses: !(a in ...)`},
		{`"x" exists`, 0, `"exists" applies to a field, found "x"`},
		{`5 exists`, 0, `"exists" applies to a field, found 5`},
		{`lowercase(event) exists`, 0, `"exists" applies to a field, found lowercase(event)`},
		{`(a = 1) exists`, 1, `"exists" applies to a field, found a = 1`},
		{`exists`, 6, `expected an operator after field exists (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`a exists exists`, 9, `comparisons cannot be chained: expected "and", "or" or end of input, found "exists"; use parentheses`},
		{`a = 1 exists`, 6, `comparisons cannot be chained: expected "and", "or" or end of input, found "exists"; use parentheses`},
		{`a exists = true`, 9, `comparisons cannot be chained: expected "and", "or" or end of input, found "="; use parentheses`},
		{`a exists or`, 11, `expected a condition after "or", found end of input`},
		{`type =`, 6, `expected a value after "=", found end of input`},
		{`type = "x" and`, 14, `expected a condition after "and", found end of input`},
		{`type = "x" or`, 13, `expected a condition after "or", found end of input`},
		{`type = "x" and or b`, 15, `expected a condition after "and", found "or"`},
		{`and type = "x"`, 0, `expected a condition, found "and"`},
		{`contains(event)`, 14, `expected "," and argument 2 of contains(text, substring), found ")"`},
		{`contains(event, "x"`, 19, `expected ")" to close contains(, found end of input`},
		{`contains(event "x")`, 15, `expected "," and argument 2 of contains(text, substring), found string "x"`},
		{`contains()`, 9, `expected the arguments of contains(text, substring), found ")"`},
		{`contains(event, "a", "b")`, 19, `contains(text, substring) takes 2 arguments, found more`},
		{`length(a, b)`, 8, `length(list or text) takes 1 argument, found more`},
		{`match(event,`, 12, `expected argument 2 of match(text, pattern), found end of input`},
		{`foo(event)`, 0, `unknown function foo(); the functions are contains, match, length, lowercase, uppercase, snakecase, kebabcase, titlecase, typeof, bool, string and number`},
		{`(type = "x"`, 11, `expected "and", "or" or ")" to close the "(" at position 0, found end of input`},
		{`((type = "x")`, 13, `expected "and", "or" or ")" to close the "(" at position 0, found end of input`},
		{`type = "x")`, 10, `unexpected ")" with no matching "("`},
		{`()`, 1, `expected a condition inside "()", found ")"`},
		{`type = "x" "y"`, 11, `expected "and", "or" or end of input, found string "y"`},
		{`type = "track`, 7, `unterminated string: no closing "`},
		{`type = 'track`, 7, `unterminated string: no closing '`},
		{`a = 1 = 2`, 6, `comparisons cannot be chained: expected "and", "or" or end of input, found "="; use parentheses`},
		{`a == 1`, 2, `"==" is not an operator; use "=" to compare`},
		{`a = 1 && b = 2`, 6, `"&&" is not an operator; use "and"`},
		{`a = 1 || b = 2`, 6, `"||" is not an operator; use "or"`},
		{`"x"`, 0, `expected a condition, found a string "x"`},
		{`type = "x" and 5`, 15, `expected a condition, found a number 5`},
		{`!"x"`, 1, `expected a condition, found a string "x"`},
		{`!`, 1, `expected a condition after "!", found end of input`},
		{`properties.ü = 1`, 11, `unexpected character 'ü' in a field name; escape it with a backslash`},
		{`$foo = 1`, 0, `unexpected character '$'; in a field name, escape it with a backslash`},
		{`properties. = 1`, 11, `expected a field name after "properties.", found a space`},
		{`properties..x = 1`, 11, `expected a field name after "properties.", found '.'`},
		{`.x = 1`, 0, `unexpected "."; a field name must come before it`},
		{`properties.a\`, 12, `expected a character after the backslash, found end of input`},
		{`a = 1.`, 4, `invalid number "1.": expected a digit after the decimal point`},
		{`a = 1.2.3`, 4, `invalid number "1.2.3"`},
		{`a = 12abc`, 4, `invalid number "12abc"`},
		{`a = 1E700`, 4, `number "1E700" is out of range`},
		{`a = -`, 4, `unexpected character '-'`},
		{`a in "x"`, 5, `expected a list or a field after "in", found a string`},
		{`a in [b]`, 6, `expected a string, number, true, false or null in the list, found field b`},
		{`a in [1 2]`, 8, `expected "," or "]" to close the "[" at position 5, found number 2`},
		{`a in [1,`, 8, `expected a string, number, true, false or null in the list, found end of input`},
		{`a = 1 in [1]`, 6, `comparisons cannot be chained: expected "and", "or" or end of input, found "in"; use parentheses`},
		{`a = @`, 4, `unexpected character '@'; in a field name, escape it with a backslash`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if tt.wantMsg == "" {
			if err != nil {
				t.Errorf("Parse(%q): unexpected error %v", tt.src, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Pos != tt.wantPos || se.Msg != tt.wantMsg {
			t.Errorf("Parse(%q):\n got  at %d: %s\n want at %d: %s", tt.src, se.Pos, se.Msg, tt.wantPos, tt.wantMsg)
		}
	}
}

func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse(`type = `)
	want := `fql: at position 7: expected a value after "=", found end of input`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestParseDeepNesting(t *testing.T) {
	deep := ""
	for i := 0; i < 10000; i++ {
		deep += "("
	}
	if _, err := Parse(deep + "a"); err == nil {
		t.Fatal("10000 nested parentheses parsed")
	}
	bangs := ""
	for i := 0; i < 10000; i++ {
		bangs += "!"
	}
	if _, err := Parse(bangs + "a"); err == nil {
		t.Fatal("10000 negations parsed")
	}
	ok := "a = 1"
	for i := 0; i < 50; i++ {
		ok = "(" + ok + ")"
	}
	if _, err := Parse(ok); err != nil {
		t.Fatalf("50 nested parentheses: %v", err)
	}
}

func TestCapitalConjunctions(t *testing.T) {
	ev := fastjson.MustParse(`{"type":"track","event":"Signed Up"}`)
	for src, want := range map[string]bool{
		`type = "track" AND event = "Signed Up"`:   true,
		`type = "track" AND event = "Other"`:       false,
		`type = "page" OR event = "Signed Up"`:     true,
		`type = "track" and event = "Signed Up"`:   true,
		`type = "track" AND (event = "x" OR true)`: true,
	} {
		e, err := Parse(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := e.Match(ev); got != want {
			t.Errorf("%s: %v, want %v", src, got, want)
		}
	}
	if _, err := Parse(`type = "track" And event = "x"`); err == nil {
		t.Error("mixed case And parsed as a keyword")
	}
}
