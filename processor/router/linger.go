package router

import "time"

// How long a transaction lingers for more records after its first poll. A fixed interval
// is wrong at one end or the other: long, an idle processor holds every event for it (the
// latency a quiet system shows); short, a busy one spends the processor and the broker on
// transaction round trips until the broker falls behind (bench/RESULTS.md). So the linger
// follows what a commit costs now: lingerPerCommit times the
// recent commits' duration, between minLinger and the configured commit interval (the
// maximum). An idle broker commits in a few milliseconds and the transaction ends soon; a
// loaded one commits slowly, the linger grows, and fewer, larger transactions relieve it.
// At most about 1/(1+lingerPerCommit) of the time goes to waiting for commits.
const (
	lingerPerCommit = 4
	minLinger       = 5 * time.Millisecond
	// commitWeight is the weight of the latest commit in the running average (an EWMA):
	// one slow commit moves the linger, a run of them sets it.
	commitWeight = 0.25
)

// linger keeps the running average of commit durations.
type linger struct {
	max    time.Duration
	commit time.Duration // average duration of a commit (the transaction's End)
}

// next is how long the next transaction lingers.
func (l *linger) next() time.Duration {
	return min(l.max, max(minLinger, lingerPerCommit*l.commit))
}

// committed records how long a transaction's End took.
func (l *linger) committed(d time.Duration) {
	if l.commit == 0 {
		l.commit = d
		return
	}
	l.commit = time.Duration(commitWeight*float64(d) + (1-commitWeight)*float64(l.commit))
}
