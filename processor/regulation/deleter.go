package regulation

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
)

// Deleter carries out the deletions of the regulations a Store holds (doc.go, step 3).
type Deleter struct {
	Store     *Store
	Workspace func() *workspace.Workspace
	Client    *destkit.Client
	// Interval is how often due deletions are looked for; default 1 s.
	Interval time.Duration
	// MaxAttempts bounds the attempts of a retryable failure; default 10.
	MaxAttempts int
	// Backoff is the wait after the first failed attempt, doubled after each, at most
	// an hour; default 5 s.
	Backoff time.Duration
	// Counter, when set, is actuate_regulation_deletions_total (NewCounter).
	Counter *prometheus.CounterVec
	Logger  *zap.Logger
}

// NewCounter returns actuate_regulation_deletions_total: deletion attempts per
// destination and resulting state (succeeded, retrying, failed).
func NewCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "actuate_regulation_deletions_total", Help: "Deletion attempts of privacy regulations, per destination instance and resulting state.",
	}, []string{"destination", "state"})
}

// Run deletes until ctx ends.
func (d *Deleter) Run(ctx context.Context) error {
	if d.Interval <= 0 {
		d.Interval = time.Second
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 10
	}
	if d.Backoff <= 0 {
		d.Backoff = 5 * time.Second
	}
	if d.Logger == nil {
		d.Logger = zap.NewNop()
	}
	d.Logger = d.Logger.Named("deleter")
	tick := time.NewTicker(d.Interval)
	defer tick.Stop()
	for {
		for _, job := range d.Store.state.due(time.Now()) {
			if ctx.Err() != nil {
				return nil
			}
			d.attempt(ctx, &job)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// attempt deletes every user of the regulation at one destination and records the
// outcome.
func (d *Deleter) attempt(ctx context.Context, job *due) {
	st := job.status
	st.Attempts++
	var inst *workspace.Instance
	if ws := d.Workspace(); ws != nil {
		inst = ws.Instance(st.Destination)
	}
	var err error
	if inst == nil {
		st.State, st.Error = StateFailed, "the destination no longer exists"
	} else {
		for _, u := range job.reg.UserIDs {
			if err = d.Client.Delete(ctx, inst.Dest, u, ""); err != nil {
				break
			}
		}
		st.State, st.Error, st.NextAttempt = StateSucceeded, "", time.Time{}
		if err != nil {
			st.Error = inst.Masker().Mask(err.Error())
			v := destkit.Classify(err)
			if v.Outcome == destkit.Fail || st.Attempts >= d.MaxAttempts {
				st.State = StateFailed
			} else {
				wait := d.Backoff << min(st.Attempts-1, 20)
				wait = min(wait, time.Hour)
				if v.RetryAfter > wait {
					wait = v.RetryAfter
				}
				st.State, st.NextAttempt = StateRetrying, time.Now().Add(wait).UTC()
			}
		}
	}
	if ctx.Err() != nil && st.State != StateSucceeded {
		return // stopping: the attempt is not the destination's fault
	}
	if werr := d.Store.setStatus(ctx, job.reg.ID, &st); werr != nil {
		d.Logger.Warn("recording a deletion's status", zap.String("regulation", job.reg.ID), zap.Error(werr))
		return
	}
	if d.Counter != nil {
		d.Counter.WithLabelValues(st.Destination, st.State).Inc()
	}
	d.Logger.Info("deletion", zap.String("regulation", job.reg.ID), zap.String("destination", st.Destination),
		zap.String("state", st.State), zap.Int("attempts", st.Attempts), zap.String("error", st.Error))
}
