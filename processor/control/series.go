package control

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/actuate/actuate/processor/overview"
)

// deliverySeries is the Delivery Overview over time: the range cut into equal buckets,
// each bucket's steps, for the console's chart. Each bucket is the same aggregate as GET
// /v1/destinations/{id}/delivery over its own range.
func (a *API) deliverySeries(w http.ResponseWriter, r *http.Request) {
	id, from, to, ok := a.overviewRequest(w, r)
	if !ok {
		return
	}
	n := 24
	if s := r.URL.Query().Get("buckets"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > 200 {
			a.fail(w, badField("buckets", "%q is not a number from 1 to 200", s))
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	type bucket struct {
		From time.Time `json:"from"`
		To   time.Time `json:"to"`
		overview.Steps
	}
	step := to.Sub(from) / time.Duration(n)
	buckets := make([]bucket, 0, n)
	for i := range n {
		bf, bt := from.Add(time.Duration(i)*step), from.Add(time.Duration(i+1)*step)
		if i == n-1 {
			bt = to
		}
		ov, err := a.opts.Overview.Overview(ctx, id, bf, bt)
		if err != nil {
			a.fail(w, err)
			return
		}
		buckets = append(buckets, bucket{From: bf, To: bt, Steps: ov.Steps})
	}
	writeJSON(w, http.StatusOK, map[string]any{"destination": id, "from": from, "to": to, "buckets": buckets})
}
