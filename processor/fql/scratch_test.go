package fql

import (
	"testing"

	"github.com/valyala/fastjson"
)

func TestScratch(t *testing.T) {
	ev := fastjson.MustParse(`{"type":"track","event":"Order Completed","receivedAt":"2023-04-21T20:00:00Z","properties":{"price":12,"product 1":{"price":5},"tags":["a","b"],"zero":0}}`)
	for _, s := range []string{
		`type = "track"`, `type = "track" and event = "Order Completed" or type = "x"`,
		`received_at >= '2023-04-21T19:55:00.933Z'`, `properties.product\ 1.price = 5`,
		`'a' in properties.tags`, `!contains(properties.missing, "x")`, `!(a or b) and c`,
		`properties.price > "10"`, `length(properties.tags) = 2`, `properties.zero.x = 0`,
		`match(event, "Order*")`, `properties.tags.length = 2`, `type in ["track", 'page']`,
		`type = `, `type = "x" and`, `contains(event)`, `(type = "x"`, `type = "x")`, ``, `contains()`,
		`foo(1)`, `a = b = c`, `"x"`, `properties.ü = 1`, `properties. = 1`, `a == 1`,
	} {
		e, err := Parse(s)
		if err != nil {
			t.Logf("%-50s ERR %v", s, err)
			continue
		}
		t.Logf("%-50s %-50s %v", s, e.String(), e.Eval(ev))
	}
}
