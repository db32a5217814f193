package schemas

import (
	"errors"
	"time"
)

// MaxSampleEvent bounds the event bytes a sample keeps: a sample is for a person to read,
// not to replay.
const MaxSampleEvent = 16 << 10

// DiscardSample is a sample of an event an instance did not send (discard_sample.v1).
type DiscardSample struct {
	Time      time.Time
	Instance  string
	Reason    string
	Event     string
	Truncated bool
}

// ViolationSample is a sample of an event that broke a tracking plan
// (violation_sample.v1).
type ViolationSample struct {
	Time       time.Time   `json:"time"`
	Plan       string      `json:"-"`
	Source     string      `json:"source"`
	Blocked    bool        `json:"blocked"`
	Reason     string      `json:"reason,omitempty"`
	Violations []Violation `json:"violations"`
	Event      string      `json:"event"`
	Truncated  bool        `json:"truncated,omitempty"`
}

// Violation is one way an event broke its plan.
type Violation struct {
	Rule    string `json:"rule"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// AppendDiscardSample appends the encoded record to dst.
func AppendDiscardSample(dst []byte, s *DiscardSample) ([]byte, error) {
	return mustCodec("discard_sample.v1").SingleFromNative(dst, map[string]any{
		"time": s.Time, "instance": s.Instance, "reason": s.Reason, "event": s.Event, "truncated": s.Truncated,
	})
}

// AppendViolationSample appends the encoded record to dst.
func AppendViolationSample(dst []byte, s *ViolationSample) ([]byte, error) {
	vs := make([]any, len(s.Violations))
	for i, v := range s.Violations {
		vs[i] = map[string]any{"rule": v.Rule, "path": v.Path, "message": v.Message}
	}
	return mustCodec("violation_sample.v1").SingleFromNative(dst, map[string]any{
		"time": s.Time, "plan": s.Plan, "source": s.Source, "blocked": s.Blocked, "reason": s.Reason,
		"violations": vs, "event": s.Event, "truncated": s.Truncated,
	})
}

// ErrUnknownSample is returned for a samples-topic record of no known schema.
var ErrUnknownSample = errors.New("not a sample record of a known schema")

// DecodeSample decodes a record of the samples topic into a *DiscardSample or a
// *ViolationSample, told apart by the schema fingerprint the record carries.
func DecodeSample(data []byte) (any, error) {
	if native, err := decodeSingle("discard_sample.v1", data); err == nil {
		return &DiscardSample{
			Time: native["time"].(time.Time).UTC(), Instance: native["instance"].(string), Reason: native["reason"].(string),
			Event: native["event"].(string), Truncated: native["truncated"].(bool),
		}, nil
	}
	native, err := decodeSingle("violation_sample.v1", data)
	if err != nil {
		return nil, ErrUnknownSample
	}
	s := &ViolationSample{
		Time: native["time"].(time.Time).UTC(), Plan: native["plan"].(string), Source: native["source"].(string),
		Blocked: native["blocked"].(bool), Reason: native["reason"].(string),
		Event: native["event"].(string), Truncated: native["truncated"].(bool),
	}
	for _, v := range native["violations"].([]any) {
		m := v.(map[string]any)
		s.Violations = append(s.Violations, Violation{Rule: m["rule"].(string), Path: m["path"].(string), Message: m["message"].(string)})
	}
	return s, nil
}

// OverviewDeltas is one process's counter growth over [From, To) (overview_deltas.v1).
type OverviewDeltas struct {
	Process  string
	From, To time.Time
	Deltas   []Delta
}

// Delta is the growth of one counter series.
type Delta struct {
	Metric string
	Labels map[string]string
	Value  float64
}

// AppendOverviewDeltas appends the encoded record to dst.
func AppendOverviewDeltas(dst []byte, r *OverviewDeltas) ([]byte, error) {
	ds := make([]any, len(r.Deltas))
	for i, d := range r.Deltas {
		labels := make(map[string]any, len(d.Labels))
		for k, v := range d.Labels {
			labels[k] = v
		}
		ds[i] = map[string]any{"metric": d.Metric, "labels": labels, "value": d.Value}
	}
	return mustCodec("overview_deltas.v1").SingleFromNative(dst, map[string]any{
		"process": r.Process, "from": r.From, "to": r.To, "deltas": ds,
	})
}

// DecodeOverviewDeltas decodes a record written by AppendOverviewDeltas.
func DecodeOverviewDeltas(data []byte) (*OverviewDeltas, error) {
	native, err := decodeSingle("overview_deltas.v1", data)
	if err != nil {
		return nil, err
	}
	r := &OverviewDeltas{Process: native["process"].(string), From: native["from"].(time.Time).UTC(), To: native["to"].(time.Time).UTC()}
	for _, d := range native["deltas"].([]any) {
		m := d.(map[string]any)
		labels := map[string]string{}
		for k, v := range m["labels"].(map[string]any) {
			labels[k] = v.(string)
		}
		r.Deltas = append(r.Deltas, Delta{Metric: m["metric"].(string), Labels: labels, Value: m["value"].(float64)})
	}
	return r, nil
}
