package control

import (
	"context"
	"net/http"
	"time"
)

// OverviewSource aggregates the Delivery Overview of an instance over a time range,
// across every process.
type OverviewSource interface {
	Overview(ctx context.Context, instance string, from, to time.Time) (*Overview, error)
}

// Overview is the Delivery Overview of one destination instance, the steps of Segment's.
type Overview struct {
	Destination string    `json:"destination"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Steps
	// Mappings breaks the mapping-level steps down per mapping.
	Mappings map[string]*MappingSteps `json:"mappings"`
	// Samples holds, per discard reason ("filtered by protocols", "filtered by <filter>",
	// "no matching mapping", "<stage>: <reason>" of dead letters), up to 10 of the latest
	// payloads in the range, newest first, secrets masked.
	Samples map[string][]Sample `json:"samples"`
}

// Steps are the instance-level counts.
type Steps struct {
	// Received counts events read from the instance's sources' topics (per source, as
	// events topics are shared by instances).
	Received int64 `json:"successfully_received"`
	// FailedOnIngest counts events that could not be read (bad JSON, unknown source),
	// workspace-wide: they never reached any instance.
	FailedOnIngest     map[string]int64 `json:"failed_on_ingest"`
	FilteredAtSource   int64            `json:"filtered_at_source"`
	FilteredAtDest     map[string]int64 `json:"filtered_at_destination"` // by filter
	NoMatchingMapping  int64            `json:"no_matching_mapping"`
	FailedBeforeSend   map[string]int64 `json:"failed_before_send"` // render, validate
	Routed             int64            `json:"routed"`
	PendingRetry       int64            `json:"pending_retry"`
	FailedDelivery     map[string]int64 `json:"failed_delivery"` // by reason
	SuccessfulDelivery int64            `json:"successful_delivery"`
}

// MappingSteps are the counts of one mapping.
type MappingSteps struct {
	Routed             int64            `json:"routed"`
	FailedBeforeSend   map[string]int64 `json:"failed_before_send"`
	PendingRetry       int64            `json:"pending_retry"`
	FailedDelivery     map[string]int64 `json:"failed_delivery"`
	SuccessfulDelivery int64            `json:"successful_delivery"`
}

// Sample is one discarded payload: the event as consumed (filtered, no matching
// mapping, dead letters of the processor) or the rendered payload (dead letters of the
// sender), as text because it may be cut.
type Sample struct {
	Time    time.Time `json:"time"`
	Mapping string    `json:"mapping,omitempty"`
	Error   string    `json:"error,omitempty"`
	Payload string    `json:"payload"`
	// Truncated is set when the payload is cut to its first 16 KiB.
	Truncated bool `json:"truncated,omitempty"`
}

func (a *API) delivery(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := a.opts.Store.Snapshot().Object("destination/" + id); !ok && a.opts.Store.Workspace().Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return
	}
	to := time.Now().UTC()
	from := to.Add(-24 * time.Hour)
	var err error
	if s := r.URL.Query().Get("from"); s != "" {
		if from, err = time.Parse(time.RFC3339, s); err != nil {
			a.fail(w, badField("from", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s))
			return
		}
	}
	if s := r.URL.Query().Get("to"); s != "" {
		if to, err = time.Parse(time.RFC3339, s); err != nil {
			a.fail(w, badField("to", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s))
			return
		}
	}
	if !to.After(from) {
		a.fail(w, badField("to", "must be after from"))
		return
	}
	if a.opts.Overview == nil {
		writeError(w, http.StatusNotImplemented, "the Delivery Overview is not available on this server", nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	ov, err := a.opts.Overview.Overview(ctx, id, from, to)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ov)
}
