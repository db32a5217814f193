// Package bench measures Actuate's engines on the workload of package workload, and checks
// their output against Segment's published engine.
package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
)

// engine does per event what `actuate mapping render --events --triggers` does: decode,
// evaluate every trigger, render when one matched, and print the line.
type engine struct {
	decoder  *event.Decoder
	triggers []*fql.Expr
	mapping  *mapping.Mapping
}

func newEngine(tb testing.TB) *engine {
	tb.Helper()
	var sources []string
	if err := json.Unmarshal(workload.Triggers, &sources); err != nil {
		tb.Fatal(err)
	}
	e := &engine{decoder: event.NewDecoder(event.Limits{})}
	for _, src := range sources {
		t, err := fql.Parse(src)
		if err != nil {
			tb.Fatalf("trigger %q: %v", src, err)
		}
		e.triggers = append(e.triggers, t)
	}
	m, err := mapping.Compile(workload.Mapping)
	if err != nil {
		tb.Fatalf("mapping: %v", err)
	}
	e.mapping = m
	return e
}

func (e *engine) appendLine(dst, line []byte) ([]byte, error) {
	ev, err := e.decoder.Decode(line)
	if err != nil {
		return dst, err
	}
	dst = append(dst, `{"m":[`...)
	matched := false
	for i, t := range e.triggers {
		if t.Match(ev) {
			if matched {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(i), 10)
			matched = true
		}
	}
	dst = append(dst, `],"out":`...)
	if !matched {
		return append(dst, "null}"...), nil
	}
	dst, err = e.mapping.AppendJSON(dst, ev)
	return append(dst, '}'), err
}

// BenchmarkWorkload reports the cost of one event; run it with GOMAXPROCS=1 to compare
// with Segment's single-threaded engine (bench/engines.sh does).
func BenchmarkWorkload(b *testing.B) {
	e := newEngine(b)
	events := workload.Events(1000, 1)
	var size int
	for _, ev := range events {
		size += len(ev)
	}
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	var buf []byte
	i := 0
	for b.Loop() {
		var err error
		if buf, err = e.appendLine(buf[:0], events[i%len(events)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

const goldenEvents = 200

// TestWorkloadMatchesSegmentGolden compares our lines with those Segment's engine printed
// for the same events (testdata/segment-workload.ndjson, made by `go test -run Golden
// -update-golden` with ACTUATE_SEGMENT_REF=1).
func TestWorkloadMatchesSegmentGolden(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "segment-workload.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	compareLines(t, newEngine(t), workload.Events(goldenEvents, 1), want)
}

// TestWorkloadMatchesSegmentLive runs Segment's engine itself on more events.
func TestWorkloadMatchesSegmentLive(t *testing.T) {
	if os.Getenv("ACTUATE_SEGMENT_REF") != "1" {
		t.Skip("set ACTUATE_SEGMENT_REF=1 (scripts/test.sh does) to run Segment's engine under Node; it needs bench/segment/node_modules")
	}
	events := workload.Events(3000, 7)
	want := runSegment(t, events)
	compareLines(t, newEngine(t), events, want)
}

func runSegment(t *testing.T, events [][]byte) []byte {
	t.Helper()
	dir := t.TempDir()
	eventsFile := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(eventsFile, append(bytes.Join(events, []byte("\n")), '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join("segment", "engine.js"),
		filepath.Join("workload", "mapping.json"), filepath.Join("workload", "triggers.json"), eventsFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("Segment's engine: %v\n%s", err, stderr.String())
	}
	if os.Getenv("ACTUATE_UPDATE_GOLDEN") == "1" && len(events) == goldenEvents {
		if err := os.WriteFile(filepath.Join("testdata", "segment-workload.ndjson"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestUpdateSegmentGolden(t *testing.T) {
	if os.Getenv("ACTUATE_UPDATE_GOLDEN") != "1" {
		t.Skip("set ACTUATE_UPDATE_GOLDEN=1 to rewrite testdata/segment-workload.ndjson from Segment's engine")
	}
	runSegment(t, workload.Events(goldenEvents, 1))
}

func compareLines(t *testing.T, e *engine, events [][]byte, want []byte) {
	t.Helper()
	wantLines := bytes.Split(bytes.TrimSuffix(want, []byte("\n")), []byte("\n"))
	if len(wantLines) != len(events) {
		t.Fatalf("Segment printed %d lines for %d events", len(wantLines), len(events))
	}
	mismatches := 0
	var got []byte
	for i, ev := range events {
		var err error
		if got, err = e.appendLine(got[:0], ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if !bytes.Equal(got, wantLines[i]) {
			mismatches++
			if mismatches <= 3 {
				t.Errorf("event %d differs\n ours:    %s\n segment: %s", i, got, wantLines[i])
			}
		}
	}
	if mismatches > 0 {
		t.Fatalf("%d of %d events differ from Segment's engine", mismatches, len(events))
	}
}
