package fql

import (
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/eventmemo"
)

// TestMemoServesOneEvent checks that a Memo shared by several expressions gives each the
// result it has alone, serves only the event it was Reset with, and after Reset reads the
// next event afresh.
func TestMemoServesOneEvent(t *testing.T) {
	srcs := []string{
		`type = "track" and event = "Order Completed"`, `type = "page"`, `event = "Order Completed"`,
		`properties.revenue > 50`, `contains(context.page.url, "/checkout")`, `match(event, "Order *")`,
		`properties.coupon exists`, `properties.items.length = 2`, `properties.items.0.sku = "a"`,
		`user_id = "u1"`, `userId = "u1"`, `event.length = 15`, `properties.revenue.x = null`,
		`type = "page"`, `type = "track" and event = "Order Completed"`, // the same text again: one result
	}
	// Text too long for an id: evaluated every time, its paths' lookups still shared.
	srcs = append(srcs, `type = "track" and event != "`+strings.Repeat("x", eventmemo.MaxKeyLength)+`"`)
	exprs := make([]*Expr, len(srcs))
	for i, src := range srcs {
		exprs[i] = MustParse(src)
	}
	a := fastjson.MustParse(`{"type":"track","event":"Order Completed","userId":"u1","properties":{"revenue":60,"coupon":"X","items":[{"sku":"a"},{"sku":"b"}]},"context":{"page":{"url":"https://x/checkout"}}}`)
	b := fastjson.MustParse(`{"type":"page","event":"Order Placed","user_id":"u1","properties":{"revenue":"10"}}`)
	var memo Memo
	check := func(event *fastjson.Value, what string) {
		t.Helper()
		for i, e := range exprs {
			if got, want := e.EvalMemo(event, &memo), e.Eval(event); got != want {
				t.Errorf("%s: %s with the Memo %v, without %v", what, srcs[i], got, want)
			}
		}
	}
	check(a, "event a before the Memo serves any")
	for round := 0; round < 2; round++ {
		memo.Reset(a)
		check(b, "event b while the Memo serves a")
		check(a, "event a")
		check(a, "event a again")
		memo.Reset(b)
		check(b, "event b after Reset")
		check(a, "event a while the Memo serves b")
	}
	if last := exprs[len(exprs)-1]; last.id != 0 {
		t.Fatalf("an expression of %d bytes has id %d", len(srcs[len(srcs)-1]), last.id)
	}
}

// TestMemoSamePointerAfterReset checks that a Memo Reset between two events the parser
// puts at the same address does not answer the second with the first's fields.
func TestMemoSamePointerAfterReset(t *testing.T) {
	e := MustParse(`type = "track" and properties.plan = "pro"`)
	var p fastjson.Parser
	var memo Memo
	for i, doc := range []string{
		`{"type":"track","properties":{"plan":"pro"}}`,
		`{"type":"page","properties":{"plan":"free"}}`,
		`{"type":"track","properties":{"plan":"pro"}}`,
	} {
		v, err := p.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		memo.Reset(v)
		if got, want := e.MatchMemo(v, &memo), i != 1; got != want {
			t.Errorf("event %d: %v, want %v", i, got, want)
		}
	}
}
