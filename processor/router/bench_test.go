package router

import (
	"testing"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/workspace"
)

// benchWorkspace is bench/pipeline's processor config: 5 webhook instances × 3 mappings,
// each rendering the workload's 21-field mapping under one of its triggers.
func benchWorkspace(tb testing.TB) *workspace.Workspace {
	cfg, err := config.Parse([]byte(workload.Workspace("events", "http://127.0.0.1:9/bench")))
	if err != nil {
		tb.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		tb.Fatal(err)
	}
	return ws
}

// BenchmarkPipelineWorkload is the processor's CPU cost per event of bench/pipeline's
// workload, without Kafka: the share of the copy's rate the routing alone allows.
func BenchmarkPipelineWorkload(b *testing.B) {
	ws := benchWorkspace(b)
	events := workload.Events(5000, 1)
	p := NewPipeline("dlq", event.Limits{}, NewTally())
	var outputs, bytesOut int
	b.ReportAllocs()
	b.ResetTimer()
	key := []byte("u")
	emit := func(out Output) { outputs++; bytesOut += len(out.Value) } // made once, as the router does per chunk
	for i := 0; i < b.N; i++ {
		in := Input{Topic: "events", Value: events[i%len(events)], Key: key}
		p.Process(ws, &in, emit)
		if i%len(events) == len(events)-1 {
			p.tally.Reset()
		}
	}
	b.ReportMetric(float64(outputs)/float64(b.N), "requests/event")
	b.ReportMetric(float64(bytesOut)/float64(b.N), "bytes/event")
}
