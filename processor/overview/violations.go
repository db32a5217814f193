package overview

import (
	"context"
	"slices"
	"sync"

	"github.com/actuate/actuate/schemas"
)

// ViolationsPerPlan is how many of a tracking plan's latest violating events the API
// shows, as Segment's Protocols lists a plan's latest violations.
const ViolationsPerPlan = 20

// violationStore keeps the latest ViolationsPerPlan samples per plan.
type violationStore struct {
	mu     sync.Mutex
	byPlan map[string][]schemas.ViolationSample
}

func (st *violationStore) add(s *schemas.ViolationSample) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byPlan == nil {
		st.byPlan = map[string][]schemas.ViolationSample{}
	}
	list := append(st.byPlan[s.Plan], *s)
	// Records of several partitions arrive out of time order.
	slices.SortStableFunc(list, func(a, b schemas.ViolationSample) int { return b.Time.Compare(a.Time) })
	st.byPlan[s.Plan] = list[:min(len(list), ViolationsPerPlan)]
}

func (st *violationStore) latest(plan string) []schemas.ViolationSample {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.byPlan[plan])
}

// Violations lists the latest violations of a tracking plan, newest first.
func (a *Aggregator) Violations(_ context.Context, plan string) ([]schemas.ViolationSample, error) {
	return a.violations.latest(plan), nil
}
