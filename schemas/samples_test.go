package schemas

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSampleRecordsRoundTrip(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)
	discard := &DiscardSample{Time: at, Instance: "hook", Reason: "filtered by no bots", Event: `{"type":"track"}`, Truncated: true}
	violation := &ViolationSample{Time: at, Plan: "plan", Source: "web", Blocked: true, Reason: "invalid properties", Event: `{"a":"é"}`,
		Violations: []Violation{{Rule: "events.Order Completed.properties", Path: "properties.total", Message: "got string, want number"}, {Rule: "unlisted", Message: "3 more"}}}
	for _, in := range []any{discard, violation} {
		var data []byte
		var err error
		switch s := in.(type) {
		case *DiscardSample:
			data, err = AppendDiscardSample(nil, s)
		case *ViolationSample:
			data, err = AppendViolationSample(nil, s)
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := DecodeSample(data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("round trip changed the record:\n in  %+v\n out %+v", in, out)
		}
	}
	other, _ := AppendEventEnvelope(nil, &EventEnvelope{Event: []byte(`{}`)})
	for _, bad := range [][]byte{nil, []byte(`{"time":"2024"}`), other} {
		if _, err := DecodeSample(bad); err != ErrUnknownSample {
			t.Errorf("DecodeSample(%q) = %v, want ErrUnknownSample", bad, err)
		}
	}
}

func TestOverviewDeltasRoundTrip(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	in := &OverviewDeltas{Process: "process-host-1", From: at, To: at.Add(10 * time.Second), Deltas: []Delta{
		{Metric: "actuate_instance_outcomes_total", Labels: map[string]string{"instance": "hook", "outcome": "routed", "stage": "", "filter": ""}, Value: 42},
		{Metric: "actuate_events_received_total", Labels: map[string]string{"source": "web"}, Value: 0.5},
	}}
	data, err := AppendOverviewDeltas(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeOverviewDeltas(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip changed the record:\n in  %+v\n out %+v", in, out)
	}
	if _, err := DecodeOverviewDeltas([]byte(`{"process":"p"}`)); err == nil || !strings.Contains(err.Error(), "overview_deltas.v1") {
		t.Fatalf("a JSON record decoded: %v", err)
	}
}
