package router

import (
	"syscall"
	"testing"
	"time"

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
	cpu := startCPU()
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
	cpu.report(b)
}

// cpuClock measures the process's CPU time (user and system) over a benchmark's loop: on
// a shared machine other processes stretch the wall clock that ns/op reads, much less the
// CPU a process spends, so cpu-ns/op compares two benchmarks better than ns/op does.
type cpuClock struct{ start time.Duration }

func startCPU() cpuClock { return cpuClock{cpuTime()} }

func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(cpuTime()-c.start)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
