package bench

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/bench/workload"
)

// The parser benchmarks are the measurement behind the choice of fastjson: the engines
// read the event through a tree that one reused parser fills without allocating, where
// encoding/json builds maps of interfaces for every event.

func BenchmarkParseEncodingJSON(b *testing.B) {
	events := workload.Events(1000, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(events[i%len(events)], &v); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkParseFastjson(b *testing.B) {
	events := workload.Events(1000, 1)
	var p fastjson.Parser
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := p.ParseBytes(events[i%len(events)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
