package overview

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/actuate/actuate/processor/protocols"
)

// ViolationsPerPlan is how many of a tracking plan's latest violating events the API
// shows, as Segment's Protocols lists a plan's latest violations.
const ViolationsPerPlan = 20

// ViolationSample is one event that broke a tracking plan, sampled by the router.
type ViolationSample struct {
	Time       time.Time             `json:"time"`
	Source     string                `json:"source"`
	Blocked    bool                  `json:"blocked"`
	Reason     string                `json:"reason,omitempty"` // why it was blocked
	Violations []protocols.Violation `json:"violations"`
	Event      string                `json:"event"`
	Truncated  bool                  `json:"truncated,omitempty"`
}

// violationRecord is a violation sample on the router's samples topic: a record with a
// "plan" and no "instance".
type violationRecord struct {
	Plan string `json:"plan"`
	ViolationSample
}

// violationStore keeps the latest ViolationsPerPlan samples per plan.
type violationStore struct {
	mu     sync.Mutex
	byPlan map[string][]ViolationSample
}

func (st *violationStore) add(plan string, s ViolationSample) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byPlan == nil {
		st.byPlan = map[string][]ViolationSample{}
	}
	list := append(st.byPlan[plan], s)
	// Records of several partitions arrive out of time order.
	slices.SortStableFunc(list, func(a, b ViolationSample) int { return b.Time.Compare(a.Time) })
	st.byPlan[plan] = list[:min(len(list), ViolationsPerPlan)]
}

func (st *violationStore) latest(plan string) []ViolationSample {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.byPlan[plan])
}

// addViolationRecord keeps a violation sample of the samples topic; false when value is
// not one.
func (a *Aggregator) addViolationRecord(value []byte) bool {
	var r violationRecord
	if json.Unmarshal(value, &r) != nil || r.Plan == "" {
		return false
	}
	r.Time = r.Time.UTC()
	a.violations.add(r.Plan, r.ViolationSample)
	return true
}

// Violations lists the latest violations of a tracking plan, newest first.
func (a *Aggregator) Violations(_ context.Context, plan string) ([]ViolationSample, error) {
	return a.violations.latest(plan), nil
}
