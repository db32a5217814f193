package control

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/workspace"
)

// A draft mapping is tried before it is saved: the mapping editor's live preview and its
// Test Mapping button. The draft is compiled into a copy of the workspace in which the
// instance has this one mapping and no filters, and run through the Event Tester: once
// with its own trigger, to say whether the event would match, and once with a trigger
// that matches everything, so the payload (or the validation error naming the field)
// shows whatever event is loaded, as Segment's editor shows it. Nothing is written.

// draftBody is the body of POST /v1/destinations/{id}/mappings/test.
type draftBody struct {
	Mapping    mappingBody     `json:"mapping"`
	Event      json.RawMessage `json:"event"`
	FromSource string          `json:"from_source"`
	Source     string          `json:"source"`
	Send       bool            `json:"send"`
}

// matchEverything is a trigger true for every event: a field is either null (or missing)
// or not.
const matchEverything = `type = null or type != null`

func (a *API) testDraft(w http.ResponseWriter, r *http.Request) {
	var b draftBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	id := r.PathValue("id")
	snap := a.opts.Store.Snapshot()
	key := configstore.Key(configstore.KindDestination, id)
	o, ok := snap.Object(key)
	if !ok {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return
	}
	// A draft may be a changed copy of an enabled mapping: being enabled does not matter
	// here, and the position is the saved mapping's.
	b.Mapping.Enabled, b.Mapping.Position = nil, nil
	m, err := a.newMapping(&b.Mapping, "mapping")
	if err != nil {
		a.fail(w, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	event, err := a.testEvent(ctx, b.Event, b.FromSource)
	if err != nil {
		a.fail(w, err)
		return
	}
	d, err := parseDestination(o.Value)
	if err != nil {
		a.fail(w, err)
		return
	}
	opts := a.opts.Tester
	opts.Source = b.Source
	if opts.Source == "" {
		opts.Source = b.FromSource
	}
	// run compiles the instance with only the draft (under trigger) and tests the event.
	run := func(trigger string, send bool) (*tester.Result, *workspace.Workspace, error) {
		// Enabled in the copy, so the outcome is the one the pipeline would count.
		draft := m
		draft.Trigger, draft.Enabled = trigger, true
		d.Filters, d.Mappings = nil, nil
		d.Mappings = append(d.Mappings, draft)
		ws, err := configstore.Compile(snap.With([]configstore.Change{{Key: key, Value: d.value()}}), a.opts.Lookup)
		if err != nil {
			return nil, nil, draftProblems(err, key)
		}
		o := opts
		o.Send = send
		res, err := tester.Run(ctx, ws, id, event, o)
		if err != nil {
			return nil, nil, badField("event", "%v", err)
		}
		return res, ws, nil
	}
	matched := false
	if m.Trigger != "" {
		res, _, err := run(m.Trigger, false)
		if err != nil {
			a.fail(w, err)
			return
		}
		matched = len(res.Mappings) == 1 && res.Mappings[0].Matched
	}
	res, ws, err := run(matchEverything, b.Send)
	if err != nil {
		a.fail(w, err)
		return
	}
	out := map[string]any{"event": json.RawMessage(event), "trigger": m.Trigger, "matched": matched,
		"outcome": res.Outcome, "protocols": res.Protocols}
	if res.Error != "" {
		out["error"] = res.Error
	}
	if len(res.Mappings) == 1 {
		mr := res.Mappings[0]
		mr.Matched = matched
		out["result"] = mr
	}
	body, _ := json.Marshal(out)
	// The tester masks requests; a mapping may also copy a secret into its payload.
	body = ws.Instance(id).Masker().MaskBytes(body)
	writeJSON(w, http.StatusOK, json.RawMessage(body))
}

// draftProblems names the draft's problems by the body's paths: "mapping.mapping.url"
// rather than "destination/hook.mappings[0].mapping.url". Problems elsewhere in the
// workspace keep their paths.
func draftProblems(err error, key string) error {
	ps := problemList(err)
	for i := range ps {
		if rest, ok := strings.CutPrefix(ps[i].Path, key+".mappings[0]"); ok {
			ps[i].Path = "mapping" + rest
		}
	}
	return &apiError{status: http.StatusUnprocessableEntity, msg: "the draft mapping is invalid", problems: ps}
}
