package fql

import (
	"math"
	"testing"

	"github.com/valyala/fastjson"
)

const sampleEvent = `{
  "type": "track",
  "event": "Order Completed",
  "userId": "user_123",
  "anonymousId": "anon-1",
  "messageId": "m-1",
  "receivedAt": "2023-04-21T20:00:00.000Z",
  "sentAt": "2023-04-21T19:59:59+02:00",
  "originalTimestamp": "2023-04-21T19:59:58.5Z",
  "properties": {
    "revenue": 99.5, "quantity": 3, "price": "19.99", "currency": "USD", "coupon": null,
    "discount": 0, "in_stock": true, "gift": false, "title": "Nike Air Max", "empty": "",
    "tags": ["sale", "new", 3, true, null], "features": ["dark-mode"], "none": [],
    "product 1": {"price": 10}, "$special": "dollar", "a.b": "dotted", "zero": 0, "no": false,
    "nothing": null, "text": "hello", "label": "Big Red Shoe", "flag": "true", "n": "42",
    "items": [{"sku": "A-1", "price": 5}, {"sku": "B-2", "price": 15}],
    "shipped_at": "2023-04-22T10:00:00Z", "nested": {"level": {"deep": "yes"}},
    "emoji": "a😀b", "café": "crème", "len": {"length": 7}, "pattern": "Order*"
  },
  "context": {"library": {"name": "analytics.js", "version": "2.11.1"}, "page": {"path": "/checkout"}},
  "traits": {"email": "ada@example.com", "age": 42, "vip": true}
}`

func TestEval(t *testing.T) {
	event := fastjson.MustParse(sampleEvent)
	tests := []struct {
		src  string
		want Result
	}{
		// = is type-strict.
		{`type = "track"`, True},
		{`type = "page"`, False},
		{`type = 'track'`, True},
		{`properties.quantity = 3`, True},
		{`properties.quantity = 3.0`, True},
		{`properties.quantity = "3"`, False},
		{`properties.n = 42`, False},
		{`properties.n = "42"`, True},
		{`properties.in_stock = true`, True},
		{`properties.in_stock = "true"`, False},
		{`properties.flag = true`, False},
		{`properties.gift = false`, True},
		{`properties.missing = false`, False},
		{`properties.empty = ""`, True},
		{`properties.missing = ""`, False},
		// != is true for a missing field and for other types, except that a
		// number literal needs a number on the other side (as in Segment).
		{`properties.currency != "EUR"`, True},
		{`properties.currency != "USD"`, False},
		{`properties.missing != "x"`, True},
		{`properties.quantity != "3"`, True},
		{`properties.quantity != 4`, True},
		{`properties.quantity != 3`, False},
		{`properties.missing != 3`, False},
		{`properties.n != 3`, False},
		{`properties.in_stock != false`, True},
		{`properties.missing != true`, True},
		// null: = null matches null and missing, != null means exists.
		{`properties.coupon = null`, True},
		{`properties.missing = null`, True},
		{`properties.discount = null`, False},
		{`properties.coupon != null`, False},
		{`properties.missing != null`, False},
		{`properties.discount != null`, True},
		{`properties.empty != null`, True},
		{`properties.gift != null`, True},
		// Ordering: numbers, a numeric string literal against a number, and
		// two timestamps; anything else is false (undecided, not an error).
		{`properties.revenue > 50`, True},
		{`properties.revenue >= 99.5`, True},
		{`properties.revenue < 99.5`, False},
		{`properties.revenue <= 99.5`, True},
		{`properties.revenue > "50"`, True},
		{`properties.revenue > " 5e1 "`, True},
		{`properties.revenue > "abc"`, False},
		{`properties.price > 10`, False},
		{`properties.price > "10"`, False},
		{`properties.missing > 1`, False},
		{`properties.in_stock > 0`, False},
		{`50 < properties.revenue`, True},
		{`100 <= properties.revenue`, False},
		{`properties.shipped_at > "2023-04-21T00:00:00Z"`, True},
		{`properties.shipped_at < "2023-04-22T11:00:00+02:00"`, False},
		{`properties.shipped_at <= "2023-04-22T12:00:00+02:00"`, True},
		{`properties.shipped_at >= receivedAt`, True},
		{`properties.title > "2023-04-21T00:00:00Z"`, False},
		{`properties.revenue > properties.quantity`, True},
		{`properties.revenue < properties.price`, False},
		// Aliases for top-level fields.
		{`received_at >= '2023-04-21T19:55:00.933Z'`, True},
		{`received_at < '2023-04-21T19:55:00.933Z'`, False},
		{`receivedAt = "2023-04-21T20:00:00.000Z"`, True},
		{`sent_at < "2023-04-21T18:00:00Z"`, True},
		{`original_timestamp > "2023-04-21T19:59:58.4Z"`, True},
		{`message_id = "m-1"`, True},
		{`user_id = "user_123"`, True},
		{`anonymous_id = "anon-1"`, True},
		// Paths: nesting, escapes, arrays, JavaScript-style lookups.
		{`properties.product\ 1.price = 10`, True},
		{`properties.\$special = "dollar"`, True},
		{`properties.a\.b = "dotted"`, True},
		{`properties.caf\é = "crème"`, True},
		{`properties.nested.level.deep = "yes"`, True},
		{`properties.nested.level.deeper = null`, True},
		{`properties.items.1.sku = "B-2"`, True},
		{`properties.items.2.sku = null`, True},
		{`properties.items.01.sku = null`, True},
		{`properties.tags.length = 5`, True},
		{`properties.text.length = 5`, True},
		{`properties.emoji.length = 4`, True},
		{`properties.text.1 = "e"`, True},
		{`properties.emoji.3 = "b"`, True},
		// Half a surrogate pair has no UTF-8 form; it reads as U+FFFD.
		{`properties.emoji.1 = "�"`, True},
		{`properties.emoji.4 = null`, True},
		{`properties.label.4 = "R"`, True},
		{`properties.len.length = 7`, True},
		{`properties.zero.anything = 0`, True},
		{`properties.no.anything = false`, True},
		{`properties.empty.anything = ""`, True},
		{`properties.nothing.anything = null`, True},
		{`properties.quantity.anything = null`, True},
		{`context.library.version = "2.11.1"`, True},
		{`traits.age >= 18`, True},
		{`missing.deeply.nested = null`, True},
		// Boolean logic, precedence and three-valued results.
		{`type = "track" and event = "Order Completed"`, True},
		{`type = "page" or event = "Order Completed"`, True},
		{`type = "page" and event = "Order Completed" or traits.vip = true`, True},
		{`type = "page" and (event = "Order Completed" or traits.vip = true)`, False},
		{`type = "track" or type = "page" and event = "x"`, True},
		{`(type = "track" or type = "page") and event = "x"`, False},
		{`!(type = "page")`, True},
		{`!(type = "track" or type = "page")`, False},
		{`!!(type = "track")`, True},
		// A field is not a condition by itself (a syntax error, see
		// TestParseErrors); bool() makes one of it.
		{`bool(properties.in_stock)`, True},
		{`!bool(properties.in_stock)`, False},
		{`bool(properties.gift)`, False},
		{`!bool(properties.gift)`, True},
		{`bool(properties.missing)`, False},
		{`!bool(properties.missing)`, False},
		{`bool(properties.title)`, Unknown},
		{`true`, True},
		{`!false`, True},
		{`null`, False},
		{`properties.missing > 1 or type = "track"`, True},
		{`properties.missing > 1 and type = "track"`, False},
		{`properties.missing > 1 and type = "page"`, False},
		{`properties.missing > 1 or type = "page"`, False},
		{`!(properties.missing > 1 or type = "page")`, False},
		// Type errors propagate unless the other operands settle the result.
		{`bool(properties.title) and type = "track"`, Unknown},
		{`bool(properties.title) and type = "page"`, False},
		{`bool(properties.title) or type = "track"`, True},
		{`bool(properties.title) or type = "page"`, Unknown},
		{`!bool(properties.title)`, Unknown},
		{`properties.missing > 1 and bool(properties.title)`, Unknown},
		{`(bool(properties.missing) or bool(properties.title)) and type = "track"`, Unknown},
		{`!contains(properties.revenue, "9") or bool(properties.missing)`, Unknown},
		{`bool(properties.missing) or bool(properties.coupon)`, False},
		// exists (Segment's): the field is present and not null, whatever
		// its value; always decided, so its negation is exact.
		{`properties.revenue exists`, True},
		{`properties.zero exists`, True},
		{`properties.no exists`, True},
		{`properties.empty exists`, True},
		{`properties.none exists`, True},
		{`properties.nested exists`, True},
		{`properties.coupon exists`, False},
		{`properties.nothing exists`, False},
		{`properties.missing exists`, False},
		{`properties.missing.deeper exists`, False},
		{`properties.zero.anything exists`, True}, // the path stops at 0, as Segment's get does
		{`properties.items.1.sku exists`, True},
		{`properties.items.2.sku exists`, False},
		{`properties.tags.4 exists`, False},
		{`properties.product\ 1 exists`, True},
		{`properties.a\.b exists`, True},
		{`type exists`, True},
		{`user_id exists`, True},
		{`traits.email exists`, True},
		{`context.page.path exists`, True},
		{`context.page.url exists`, False},
		{`!(properties.coupon exists)`, True},
		{`!(properties.revenue exists)`, False},
		{`!!(properties.revenue exists)`, True},
		{`properties.coupon exists or properties.revenue exists`, True}, // or, where Segment reads and
		{`properties.coupon exists and properties.revenue exists`, False},
		{`properties.revenue exists and type = "track"`, True},
		{`type = "page" or properties.revenue exists`, True},
		{`(properties.coupon exists) = false`, True},
		{`bool(properties.coupon exists)`, False},
		{`properties.title exists and bool(properties.title)`, Unknown},
		{`exists exists`, False}, // a field named exists
		// in.
		{`type in ["track", "page"]`, True},
		{`type in ['identify', 'group']`, False},
		{`type in []`, False},
		{`'dark-mode' in properties.features`, True},
		{`'light-mode' in properties.features`, False},
		{`3 in properties.tags`, True},
		{`"3" in properties.tags`, False},
		{`true in properties.tags`, True},
		{`null in properties.tags`, True},
		{`'x' in properties.missing`, False},
		{`'x' in properties.title`, Unknown},
		{`properties.quantity in [1, 2, 3]`, True},
		{`properties.missing in [1, null]`, True},
		{`properties.missing in [1, 2]`, False},
		{`!(type in ["page"])`, True},
		// contains: substring of text; undecided when the field is missing
		// and a type error for other types, so that !contains is false
		// there too (as in Segment).
		{`contains(event, "Order")`, True},
		{`contains(event, "order")`, False},
		{`contains(event, "")`, True},
		{`!contains(event, "Refund")`, True},
		{`contains(properties.missing, "x")`, False},
		{`!contains(properties.missing, "x")`, False},
		{`contains(properties.revenue, "9")`, Unknown},
		{`!contains(properties.revenue, "9")`, Unknown},
		{`contains(properties.tags, "sale")`, Unknown},
		{`contains(properties.price, 19)`, True},
		{`contains(properties.price, 19.99)`, True},
		{`contains(properties.flag, true)`, True},
		{`contains(properties.title, properties.currency)`, False},
		{`contains(properties.label, lowercase("RED"))`, False},
		{`contains(properties.title, properties.missing)`, False},
		// match: a glob over the whole string.
		{`match(event, "Order*")`, True},
		{`match(event, "*Completed")`, True},
		{`match(event, "*der Comp*")`, True},
		{`match(event, "Order")`, False},
		{`match(event, "Order Completed")`, True},
		{`match(event, "order*")`, False},
		{`match(event, "Order?Completed")`, True},
		{`match(event, "Order??Completed")`, False},
		{`match(event, "[MNO]rder*")`, True},
		{`match(event, "[a-z]rder*")`, False},
		{`match(event, "[!a-z]rder*")`, True},
		{`match(event, "[^O]rder*")`, False},
		{`match(event, "*")`, True},
		{`match(event, "")`, False},
		{`match(properties.empty, "")`, True},
		{`match(properties.pattern, "Order\*")`, True},
		{`match(properties.pattern, "Order\\*")`, True},
		{`match(properties.text, "Order\*")`, False},
		{`match(properties.emoji, "a?b")`, True},
		{`match(properties.label, "[Big")`, False},
		{`!match(event, "Order*")`, False},
		{`!match(properties.missing, "Order*")`, False},
		{`match(event, properties.pattern)`, True},
		{`match(properties.revenue, "9*")`, Unknown},
		// Functions.
		{`length(properties.tags) = 5`, True},
		{`length(properties.text) = 5`, True},
		{`length(properties.emoji) = 6`, True},
		{`length(properties.missing) = 0`, True},
		{`length(properties.coupon) = 0`, True},
		{`length(properties.revenue) = 0`, Unknown},
		{`length(["a", "b"]) = 2`, True},
		{`lowercase(event) = "order completed"`, True},
		{`uppercase(event) = "ORDER COMPLETED"`, True},
		{`lowercase(properties.missing) = null`, True},
		{`lowercase(properties.revenue) = null`, Unknown},
		{`snakecase(event) = "Order_Completed"`, True},
		{`kebabcase(event) = "Order-Completed"`, True},
		{`titlecase("big red shoe") = "Big Red Shoe"`, True},
		{`titlecase(properties.label) = properties.label`, True},
		{`typeof(properties.title) = "string"`, True},
		{`typeof(properties.revenue) = "number"`, True},
		{`typeof(properties.tags) = "list"`, True},
		{`typeof(properties.in_stock) = "bool"`, True},
		{`typeof(properties.coupon) = "null"`, True},
		{`typeof(properties.missing) = "null"`, True},
		{`typeof(properties.nested) = "object"`, True},
		{`bool(properties.flag)`, True},
		{`bool(properties.flag) = true`, True},
		{`bool(properties.zero)`, False},
		{`bool(properties.quantity)`, True},
		{`bool(properties.title)`, Unknown},
		{`bool(properties.missing)`, False},
		{`string(properties.quantity) = "3"`, True},
		{`string(properties.revenue) = "99.5"`, True},
		{`string(properties.in_stock) = "true"`, True},
		{`string(properties.items) = "[{\"sku\":\"A-1\",\"price\":5},{\"sku\":\"B-2\",\"price\":15}]"`, True},
		{`string(["a", 1]) = "[\"a\",1]"`, True},
		// Quoted as JSON.stringify does: a tab is \t, "<" stays raw.
		{"string([\"a\tb<\"]) = \"[\\\"a\\tb<\\\"]\"", True},
		{`number(properties.n) = 42`, True},
		{`number(properties.price) > 19`, True},
		{`number(properties.title) > 0`, False},
		{`number(properties.in_stock) = 1`, True},
		{`number(properties.missing) = 0`, False},
		{`number(properties.missing) = null`, True},
		{`typeof(number(properties.title)) = "number"`, True},
		// Equality between computed values.
		{`properties.tags = properties.tags`, True},
		{`properties.nested = properties.nested`, True},
		{`properties.nested = properties.product\ 1`, False},
		{`properties.features = ["dark-mode"]`, True},
		{`properties.none = []`, True},
		{`properties.coupon = properties.missing`, True},
		{`(type = "track") = true`, True},
		{`lowercase(properties.revenue) != "x"`, Unknown},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := e.Eval(event); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.src, got, tt.want)
		}
		if got, want := e.Match(event), tt.want == True; got != want {
			t.Errorf("%s: Match = %v, want %v", tt.src, got, want)
		}
	}
}

func TestEvalOnOddEvents(t *testing.T) {
	e := MustParse(`type = "track" or properties.a != "x"`)
	if e.Match(nil) {
		t.Error("a nil event matched")
	}
	for _, doc := range []string{`null`, `[]`, `"track"`, `1`, `{}`, `{"properties": "x"}`, `{"properties": [1]}`} {
		// Whatever the shape, properties.a is missing, so != "x" holds.
		if got := e.Eval(fastjson.MustParse(doc)); got != True {
			t.Errorf("%s: got %v, want true", doc, got)
		}
	}
	if True.String() != "true" || False.String() != "false" || Unknown.String() != "unknown" {
		t.Error("Result.String")
	}
	var nilExpr *Expr
	if nilExpr.Match(fastjson.MustParse(`{}`)) || nilExpr.String() != "" {
		t.Error("a nil *Expr must match nothing and print empty")
	}
}

// TestKeyEscapesInEvent checks that keys written with JSON escapes in the
// event are found by their decoded names.
func TestKeyEscapesInEvent(t *testing.T) {
	event := fastjson.MustParse(`{"properties": {"caf\u00e9": 1, "quote\"d": 2}}`)
	for _, src := range []string{`properties.caf\é = 1`, `properties.quote\"d = 2`} {
		if !MustParse(src).Match(event) {
			t.Errorf("%s did not match", src)
		}
	}
}

func TestStringToNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"10", 10}, {" 12 ", 12}, {"", 0}, {"  ", 0}, {"-2.5", -2.5}, {"+3", 3}, {".5", 0.5}, {"5.", 5},
		{"1e3", 1000}, {"0x1F", 31}, {"0b101", 5}, {"0o17", 15}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)},
		{"1e400", math.Inf(1)},
	}
	for _, tt := range tests {
		if got := stringToNumber(tt.in); got != tt.want {
			t.Errorf("stringToNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, nan := range []string{"abc", "1_000", "0x", "-0x10", "inf", "NaN", "1e", "1,5", "0x1p3", "--1", "."} {
		if got := stringToNumber(nan); !math.IsNaN(got) {
			t.Errorf("stringToNumber(%q) = %v, want NaN", nan, got)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	valid := map[string]int64{
		"1970-01-01T00:00:00Z":          0,
		"1970-01-01T00:00:01.5Z":        1_500_000_000,
		"1970-01-01T01:00:00+01:00":     0,
		"1969-12-31T23:00:00-01:00":     0,
		"2000-02-29T00:00:00z":          951782400 * 1_000_000_000,
		"2023-04-21 19:55:00.933Z":      1682106900933000000,
		"2023-04-21t19:55:00.933000Z":   1682106900933000000,
		"2023-04-21T19:55:00.933+00:00": 1682106900933000000,
	}
	for in, want := range valid {
		got, ok := parseTimestamp(in)
		if !ok || got != want {
			t.Errorf("parseTimestamp(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2023-04-21", "2023-04-21T19:55:00", "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z",
		"2023-04-21T24:00:00Z", "2023-04-21T19:55:00.Z", "2023-04-21T19:55:00+0100", "2023-04-21T19:55:00Zjunk", "yesterday"} {
		if _, ok := parseTimestamp(in); ok {
			t.Errorf("parseTimestamp(%q) accepted", in)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"**", "abc", true}, {"a*", "abc", true},
		{"*c", "abc", true}, {"a*c", "ac", true}, {"a*c", "abcbc", true}, {"a*c", "abcb", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"?", "é", true}, {"??", "é", false},
		{"[abc]x", "bx", true}, {"[a-c]x", "dx", false}, {"[!a-c]x", "dx", true}, {"[]]", "]", true},
		{"[a-]", "-", true}, {"[é]", "é", true}, {`[\]]`, "]", true}, {"[abc", "[abc", true}, {"[abc", "a", false},
		{`\*`, "*", true}, {`\*`, "a", false}, {`a\`, `a\`, true}, {`\?`, "?", true},
		{"*a*b*c*", "xxaxxbxxcxx", true}, {"*a*b*c*", "xxaxxcxxbxx", false},
		{"a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
		shape, text := analyseGlob(tt.pattern)
		if got := matchShape(shape, text, tt.pattern, tt.s); got != tt.want {
			t.Errorf("shape match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// TestStringFieldComparisonAgrees holds the shortcut for field = "text" (compareNode's
// stringField, decided on the field's bytes) to the general evaluation, over fields that
// walk through objects, arrays, strings, falsy values and missing keys.
func TestStringFieldComparisonAgrees(t *testing.T) {
	event := fastjson.MustParse(sampleEvent)
	fields := []string{
		"type", "event", "userId", "user_id", "message_id", "missing", "properties.currency",
		"properties.coupon", "properties.coupon.x", "properties.empty", "properties.empty.length",
		"properties.text.0", "properties.text.length", "properties.tags.0", "properties.tags.length",
		"properties.items.1.sku", "properties.nested.level.deep", "properties.nested.level.missing",
		"properties.zero.a", "properties.no.a", "properties.revenue", "properties.n", "properties.flag",
		"properties.a.b", "properties.emoji", "context.page.path", "traits.email",
	}
	literals := []string{`"track"`, `"Order Completed"`, `""`, `"USD"`, `"t"`, `"5"`, `"A-1"`, `"yes"`, `"42"`, `"true"`, `"/checkout"`, `"a😀b"`, `"crème"`, `"h"`}
	shortcuts := 0
	for _, f := range fields {
		for _, lit := range literals {
			for _, src := range []string{f + " = " + lit, f + " != " + lit, lit + " = " + f, lit + " != " + f} {
				e, err := Parse(src)
				if err != nil {
					t.Fatalf("%s: %v", src, err)
				}
				c, ok := e.root.(*compareNode)
				if !ok || c.stringField == nil {
					t.Fatalf("%s: no shortcut compiled", src)
				}
				shortcuts++
				got := e.Eval(event)
				c.stringField = nil
				if want := e.Eval(event); got != want {
					t.Errorf("%s: shortcut %v, general %v", src, got, want)
				}
			}
		}
	}
	if shortcuts == 0 {
		t.Fatal("no comparison took the shortcut")
	}
}
