package fql

import (
	"testing"

	"github.com/valyala/fastjson"
)

// commonForms are the expressions triggers and filters are made of. Match
// must not allocate for any of them.
var commonForms = []struct{ name, src string }{
	{"TypeEquals", `type = "track"`},
	{"TypeAndEvent", `type = "track" and event = "Order Completed"`},
	{"AnyOfTypes", `type = "track" or type = "identify" or type = "page" or type = "group" or type = "alias"`},
	{"NotEquals", `event != "Order Completed"`},
	{"Exists", `properties.coupon != null`},
	{"NumberCompare", `properties.revenue >= 50`},
	{"NumericStringLiteral", `properties.revenue > "10"`},
	{"Timestamp", `received_at >= '2023-04-21T19:55:00.933Z'`},
	{"NestedPath", `context.library.version = "2.11.1"`},
	{"EscapedPath", `properties.product\ 1.price = 10`},
	{"ArrayLength", `properties.tags.length > 1`},
	{"Contains", `contains(event, "Order")`},
	{"NotContains", `!contains(properties.title, "Adidas")`},
	{"MatchPrefix", `match(event, "Order*")`},
	{"MatchGlob", `match(properties.label, "B?g*[Rr]ed*")`},
	{"InList", `type in ["track", "page", "screen"]`},
	{"InField", `'dark-mode' in properties.features`},
	{"Length", `length(properties.tags) >= 2`},
	{"Negation", `!(type = "identify" or type = "group")`},
	{"Mixed", `type = "track" and (properties.revenue > 100 or properties.coupon != null) and !match(event, "Test*")`},
}

func TestMatchDoesNotAllocate(t *testing.T) {
	event := fastjson.MustParse(sampleEvent)
	for _, form := range commonForms {
		expr := MustParse(form.src)
		expr.Match(event) // let fastjson unescape lazily-decoded strings first
		if allocs := testing.AllocsPerRun(200, func() { expr.Match(event) }); allocs != 0 {
			t.Errorf("%s (%s): %v allocations per Match", form.name, form.src, allocs)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	event := fastjson.MustParse(sampleEvent)
	for _, form := range commonForms {
		expr := MustParse(form.src)
		b.Run(form.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				expr.Match(event)
			}
		})
	}
}

// BenchmarkMatchWithDecode includes parsing the event JSON, the cost a
// pipeline pays once per event however many expressions it then evaluates.
func BenchmarkMatchWithDecode(b *testing.B) {
	expr := MustParse(`type = "track" and event = "Order Completed"`)
	var p fastjson.Parser
	raw := []byte(sampleEvent)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		event, err := p.ParseBytes(raw)
		if err != nil || !expr.Match(event) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	src := `type = "track" and (properties.revenue > 100 or properties.coupon != null) and !match(event, "Test*")`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}
