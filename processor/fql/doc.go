// Package fql is Actuate's filter language: the conditions of mapping
// triggers (type = "track" and event = "Order Completed"), destination
// filters and Protocols transformations.
//
// Parse compiles an expression once; Expr.Match then evaluates it against
// many events without allocating. Events are *fastjson.Value documents; a nil
// value is an absent event and matches nothing. BuildTrigger and
// ParseTrigger convert between FQL text and the flat condition lists a
// trigger-builder UI shows.
//
// # Compatibility with Segment
//
// Every well-formed trigger that Segment's subscription engine
// (@segment/destination-subscriptions) accepts evaluates the same way here;
// testdata/segment_golden.json holds its answers for a few thousand
// (expression, event) pairs and the tests compare against them. That fixes
// these rules, some of which are surprising:
//
//   - = is type-strict: 123 is not "123". null (as a value) matches null and
//     a missing field; != null means the field exists.
//   - FIELD exists is true when the field is present and not null, whatever
//     its value (0, "", false, [] exist): the same as FIELD != null, and
//     never undecided. It applies to a field only.
//   - != is true for a missing field or a value of another type, except
//     against a number: x = 5 and x != 5 both need x to be a number and are
//     both false otherwise.
//   - < <= > >= need a number on one side. A string literal on the other
//     side is read as JavaScript's Number() reads it (price > "10" is
//     numeric). Beyond Segment, two RFC 3339 timestamps compare as times.
//   - contains() and match() need text; on anything else they and their
//     negations are all false. match() is a glob over the whole string.
//   - Paths walk objects, arrays (by index and .length) and strings (by index
//     and .length, counted in UTF-16 units) the way JavaScript does, and stop
//     at the first falsy value, which becomes the result: properties.a.b is 0
//     when properties.a is 0.
//
// The rules that do not come from Segment's parser follow
// reference/fql.md: and binds tighter than or, parentheses nest, ! negates
// anything boolean, single-quoted strings are strings, and incomplete input
// is a *SyntaxError naming the position and what was expected. In
// particular:
//
//   - A field alone (type, properties.coupon, also inside and, or, ! and
//     parentheses) is not a condition: it is a syntax error at the place its
//     operator is missing, as in Segment ("Value token is missing"). Where
//     Segment accepts one because it reads the next word as the operator
//     (properties.vip and type = "track"), Actuate still rejects it. Use
//     = true, exists or bool(FIELD).
//   - a exists or b exists is an or. Segment's parser takes the word after
//     exists as its operand, so the or is lost and it reads and; the same
//     goes for a exists or type = "page". An or before exists, and any
//     and around it, read the same in both.
//   - AND and OR in capitals are and and or (Segment's Pinterest presets write
//     AND). Segment's parser takes any word between two conditions as and, so
//     there OR means and; here it means or. Mixed case (And) is no keyword.
//   - !(a exists) is its negation; Segment ignores a ! before a
//     parenthesis. !a exists is an error (the ! would apply to the field
//     alone), with a message saying to add the parentheses.
//   - exists is an operator only after a field; where a value belongs it is
//     a field name, so a field named exists still works: exists = 1, and
//     exists exists tests whether it is there.
//
// segment_test.go lists every expression of the golden file where Actuate
// deliberately differs, each with its reason.
//
// # Undecided conditions and type errors
//
// The missing-text and number rules above come from treating a condition
// that cannot be decided for an event as unknown, as SQL treats NULL: ! of
// an unknown is unknown, false and unknown is false, true or unknown is true,
// and an expression that ends up unknown does not match. A condition is
// undecided when an operand is null or missing, or when < compares values
// that are not numbers or timestamps, or = / != meets a number literal and a
// non-number.
//
// A type error is the stronger case of a value the expression cannot use at
// all: contains() or match() on a number, list or object, length() of a
// number, lowercase() of a list, "x" in a field that is not a list, or
// bool() of text other than "true" and "false". Match is false for both; Eval
// reports type errors as Unknown, so that a destination filter can fail
// closed on them while a filter on a field some events lack simply does not
// apply to those events.
//
// # Strings and escapes
//
// In a quoted string a backslash escapes a quote or a backslash; before any
// other character it is kept, so match(event, "v\*") and "C:\temp" mean what
// they say. In a field name a backslash makes the next character part of the
// name: properties.product\ 1.price, properties.\$id, properties.a\.b (a key
// containing a dot).
package fql
