package route

import (
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/schemas"
)

// Suppression says whether a user's events are suppressed by a privacy regulation
// (processor/regulation's Store implements it). It is read from several routers at once,
// for every event: the id is the event's bytes, so that the check allocates nothing.
type Suppression interface {
	Suppressed(userID []byte) bool
}

// SetSuppression gives the router the suppressed users; nil suppresses none.
func (r *Router) SetSuppression(s Suppression) { r.suppression = s }

// Suppressed is the outcome of every instance for an event of a suppressed user.
var Suppressed = Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageSuppressed}

// suppressedUser reports whether ev's userId is suppressed.
func (r *Router) suppressedUser(ev *fastjson.Value) bool {
	if r.suppression == nil {
		return false
	}
	id := ev.GetStringBytes("userId")
	return len(id) > 0 && r.suppression.Suppressed(id)
}
