package regulation

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
)

// ProfileEraser erases a user's profile: processor/profile/changelog's Client, whose
// erasure the processor owning the profile applies.
type ProfileEraser interface {
	// Erase returns nil once the erasure is asked for, and when no profile is kept.
	Erase(ctx context.Context, userID string) error
}

// Deleter carries out the deletions of the regulations a Store holds (doc.go, step 3).
type Deleter struct {
	Store     *Store
	Workspace func() *workspace.Workspace
	Client    *destkit.Client
	// Profiles erases the users' profiles; nil: this process erases none, and a
	// regulation's pending erasure fails here.
	Profiles ProfileEraser
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

// ProfilesLabel is the destination label of the profiles' erasures in
// actuate_regulation_deletions_total and the deleter's log; no instance id has
// parentheses.
const ProfilesLabel = "(profiles)"

// eraseTimeout bounds the erasure of one user's profile, so that an unreachable broker
// makes the attempt retry rather than hold the deleter.
const eraseTimeout = 30 * time.Second

// NewCounter returns actuate_regulation_deletions_total: deletion attempts per
// destination (ProfilesLabel for the profiles' erasures) and resulting state
// (succeeded, retrying, failed).
func NewCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "actuate_regulation_deletions_total", Help: "Deletion attempts of privacy regulations, per destination instance ((profiles) for the erasure of profiles) and resulting state.",
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

// attempt deletes every user of the regulation at one destination, or erases their
// profiles, and records the outcome.
func (d *Deleter) attempt(ctx context.Context, job *due) {
	st := job.status
	st.Attempts++
	label := st.Destination
	if st.Destination == profilesKey {
		label = ProfilesLabel
		d.eraseProfiles(ctx, job.reg.UserIDs, &st)
	} else {
		d.deleteAtDestination(ctx, job.reg.UserIDs, &st)
	}
	if ctx.Err() != nil && st.State != StateSucceeded {
		return // stopping: the attempt is not the destination's fault
	}
	if werr := d.Store.setStatus(ctx, job.reg.ID, &st); werr != nil {
		d.Logger.Warn("recording a deletion's status", zap.String("regulation", job.reg.ID), zap.Error(werr))
		return
	}
	if d.Counter != nil {
		d.Counter.WithLabelValues(label, st.State).Inc()
	}
	d.Logger.Info("deletion", zap.String("regulation", job.reg.ID), zap.String("destination", label),
		zap.String("state", st.State), zap.Int("attempts", st.Attempts), zap.String("error", st.Error))
}

// deleteAtDestination calls the destination's delete operation for every user.
func (d *Deleter) deleteAtDestination(ctx context.Context, userIDs []string, st *Status) {
	var inst *workspace.Instance
	if ws := d.Workspace(); ws != nil {
		inst = ws.Instance(st.Destination)
	}
	if inst == nil {
		st.State, st.Error = StateFailed, "the destination no longer exists"
		return
	}
	var err error
	for _, u := range userIDs {
		if err = d.Client.Delete(ctx, inst.Dest, u, ""); err != nil {
			break
		}
	}
	if err == nil {
		d.settle(st, nil, "", false, 0)
		return
	}
	v := destkit.Classify(err)
	d.settle(st, err, inst.Masker().Mask(err.Error()), v.Outcome == destkit.Fail, v.RetryAfter)
}

// eraseProfiles erases every user's profile. It does so even when profiles have been
// turned off since the regulation was made: the profiles kept until then are still in
// the changelog, and a processor applies the erasure once it keeps profiles again (the
// repartition topic holds it for seven days).
func (d *Deleter) eraseProfiles(ctx context.Context, userIDs []string, st *Status) {
	if d.Profiles == nil {
		st.State, st.Error = StateFailed, "this process cannot erase profiles"
		return
	}
	for _, u := range userIDs {
		ectx, cancel := context.WithTimeout(ctx, eraseTimeout)
		err := d.Profiles.Erase(ectx, u)
		cancel()
		if err != nil {
			// Every failure is the profiles' topics being out of reach for now; the
			// error names topics, never the user.
			d.settle(st, err, err.Error(), false, 0)
			return
		}
	}
	d.settle(st, nil, "", false, 0)
}

// settle sets st from an attempt's error, shown as errText (free of secrets): succeeded
// without one; failed when permanent or out of attempts; else retrying after an
// exponential backoff, or after retryAfter when longer.
func (d *Deleter) settle(st *Status, err error, errText string, permanent bool, retryAfter time.Duration) {
	st.State, st.Error, st.NextAttempt = StateSucceeded, "", time.Time{}
	if err == nil {
		return
	}
	st.Error = errText
	if permanent || st.Attempts >= d.MaxAttempts {
		st.State = StateFailed
		return
	}
	wait := d.Backoff << min(st.Attempts-1, 20)
	wait = min(wait, time.Hour)
	if retryAfter > wait {
		wait = retryAfter
	}
	st.State, st.NextAttempt = StateRetrying, time.Now().Add(wait).UTC()
}
