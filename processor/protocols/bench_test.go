package protocols

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/config"
)

const benchSchema = `{
	"type": "object",
	"required": ["order_id", "total"],
	"properties": {
		"order_id": {"type": "string", "minLength": 1},
		"total": {"type": "number", "minimum": 0},
		"currency": {"enum": ["USD", "EUR", "GBP"]},
		"coupon": {"type": "string", "pattern": "^[A-Z0-9]+$"},
		"quantity": {"type": "integer", "maximum": 1000}
	}
}`

const benchEvent = `{"type":"track","event":"Order Completed","userId":"u-42","messageId":"m-1",
	"timestamp":"2024-05-01T10:00:00Z","context":{"library":{"name":"analytics.js","version":"2.1"},"ip":"10.0.0.1"},
	"properties":{"order_id":"ORD-1001","total":129.95,"currency":"EUR","coupon":"SPRING24","quantity":3}}`

func benchApply(b *testing.B, ov config.ViolationPolicy, event string) {
	plan, err := Compile(&config.TrackingPlan{
		ID:          "bench",
		Events:      map[string]config.EventRules{"Order Completed": {"properties": config.JSONText(benchSchema)}},
		OnViolation: ov,
	})
	if err != nil {
		b.Fatal(err)
	}
	var parser fastjson.Parser
	ev, err := parser.Parse(event)
	if err != nil {
		b.Fatal(err)
	}
	var arena fastjson.Arena
	b.ReportAllocs()
	for b.Loop() {
		if out := plan.Apply(ev, &arena); out.Blocked {
			b.Fatal(out.Reason)
		}
	}
}

// BenchmarkApply: a planned, valid event against a 5-property schema, the common case.
func BenchmarkApply(b *testing.B) {
	b.Run("valid", func(b *testing.B) { benchApply(b, config.ViolationPolicy{}, benchEvent) })
	b.Run("valid-omit-unplanned", func(b *testing.B) {
		benchApply(b, config.ViolationPolicy{InvalidProperties: "omit", UnplannedProperties: "omit"}, benchEvent)
	})
	b.Run("two-violations", func(b *testing.B) {
		benchApply(b, config.ViolationPolicy{},
			`{"type":"track","event":"Order Completed","properties":{"order_id":"","total":-1,"currency":"EUR","coupon":"OK","quantity":3}}`)
	})
	b.Run("unplanned", func(b *testing.B) {
		benchApply(b, config.ViolationPolicy{}, `{"type":"track","event":"Other","properties":{"a":1}}`)
	})
}

// BenchmarkConvert compares the direct conversion with the obvious alternative, marshalling
// the part and decoding it again with the validator's own decoder.
func BenchmarkConvert(b *testing.B) {
	ev := fastjson.MustParse(benchEvent)
	props := ev.Get("properties")
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		var c converter
		for b.Loop() {
			c.nums = c.nums[:0]
			if _, ok := c.convert(props, 0); !ok {
				b.Fatal("not converted")
			}
		}
	})
	b.Run("reparse", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = props.MarshalTo(buf[:0])
			if _, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
