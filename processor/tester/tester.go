// Package tester is the Event Tester: it runs one event through one destination instance
// on the pipeline's own routing path (package route) and reports every step: the source's
// tracking plan, each destination filter that acted, each mapping's trigger, the rendered
// payload or the error, and the instance's outcome as the pipeline counts it. When asked
// to send, it also makes the requests and shows them with the destination's answers,
// secrets masked.
package tester

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/protocols"
	"github.com/actuate/actuate/processor/route"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// NoMatch is the error Segment's Event Tester gives when no mapping matches.
const NoMatch = "You may not have any subscriptions that match this event."

// Result is what the tester found for one event.
type Result struct {
	Destination string `json:"destination"`
	// Source is the source the event was tested as coming from: its tracking plan and the
	// filters scoped to it apply.
	Source    string           `json:"source,omitempty"`
	Protocols *ProtocolsResult `json:"protocols,omitempty"`
	// Enrichments are the data model lookups the event was enriched with: per model, the
	// event's key and the row found ($.enrichments.<model>).
	Enrichments []EnrichmentResult `json:"enrichments,omitempty"`
	// Profile is the user's profile with profiles on: as kept before the event, and as
	// the event's mappings read it ($.profile), after the event's own traits. Testing
	// changes no profile.
	Profile *ProfileResult `json:"profile,omitempty"`
	// Filters lists the destination filters whose condition held, in order, and what each
	// did.
	Filters  []FilterStep    `json:"filters,omitempty"`
	Filtered string          `json:"filtered,omitempty"` // the destination filter that dropped the event
	Mappings []MappingResult `json:"mappings"`
	// Outcome and Stage are the instance's outcome as the pipeline counts it: filtered
	// (stage protocols or filter), no_matching_mapping, dead_lettered or routed.
	Outcome string `json:"outcome"`
	Stage   string `json:"stage,omitempty"`
	Error   string `json:"error,omitempty"`
}

// ProtocolsResult is what the source's tracking plan did.
type ProtocolsResult struct {
	Plan       string                `json:"plan"`
	Blocked    bool                  `json:"blocked"`
	Reason     string                `json:"reason,omitempty"`
	Violations []protocols.Violation `json:"violations,omitempty"`
	Omitted    []string              `json:"omitted,omitempty"`
}

// EnrichmentResult is one data model's lookup.
type EnrichmentResult struct {
	Model string `json:"model"`
	// KeyPath is the model's key; Key the event's value there, empty when it has none.
	KeyPath string          `json:"key_path"`
	Key     string          `json:"key,omitempty"`
	Found   bool            `json:"found"`
	Row     json.RawMessage `json:"row,omitempty"`
}

// ProfileResult is the profile step of an event.
type ProfileResult struct {
	// Key is the event's userId, else its anonymousId; empty when it has neither.
	Key    string          `json:"key,omitempty"`
	Before json.RawMessage `json:"before,omitempty"` // absent when the user had none
	After  json.RawMessage `json:"after"`
	// Merged is the anonymous id whose profile an alias or identify merges in.
	Merged string `json:"merged,omitempty"`
}

// FilterStep is one destination filter's effect.
type FilterStep struct {
	Filter string `json:"filter"`
	Action string `json:"action,omitempty"` // empty when the condition could not be decided
	// Undecidable: the condition could not be evaluated, and the filter dropped the
	// event, failing closed as the pipeline does.
	Undecidable bool `json:"undecidable,omitempty"`
	Kept        bool `json:"kept"`
}

// MappingResult is one mapping's outcome.
type MappingResult struct {
	Mapping         string          `json:"mapping"`
	Name            string          `json:"name,omitempty"`
	Action          string          `json:"action"`
	Enabled         bool            `json:"enabled"`
	Matched         bool            `json:"matched"`
	Payload         json.RawMessage `json:"payload,omitempty"`
	Stage           string          `json:"stage,omitempty"`  // render or validate, when it failed
	Reason          string          `json:"reason,omitempty"` // as the dead letter would say
	ValidationError string          `json:"validation_error,omitempty"`
	Requests        []Exchange      `json:"requests,omitempty"`
	SendError       string          `json:"send_error,omitempty"`
	Outcome         string          `json:"outcome,omitempty"` // delivered, retry, fail
}

// Exchange is one request sent to the destination and its response.
type Exchange struct {
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	Headers        map[string]string `json:"headers"`
	Body           string            `json:"body,omitempty"`
	Status         int               `json:"status,omitempty"`
	ResponseBody   string            `json:"response_body,omitempty"`
	TransportError string            `json:"transport_error,omitempty"`
}

// Options configure a test run.
type Options struct {
	Send bool
	// Source is the id of the source the event comes from; empty: the instance's first
	// source.
	Source string
	// Limits bound decoding, as the pipeline's do.
	Limits event.Limits
	// Rand draws random samples for sample_event filters; nil: randomly seeded.
	Rand *rand.Rand
	// Tokens is the OAuth token store; pass the pipeline's so a refresh here is shared.
	Tokens destkit.TokenStore
	// HTTPClient sends requests; default http.DefaultClient's transport.
	HTTPClient *http.Client
	// DestOptions are extra destkit options (tests redirect hosts).
	DestOptions []destkit.Option
	// Rows are the data model rows events are enriched with, the pipeline's own.
	Rows route.Rows
	// Suppression holds the users privacy regulations suppress, the pipeline's own.
	Suppression route.Suppression
	// Profiles reads the profiles the pipeline keeps (processor/profile's State in the
	// process that routes, its Client elsewhere); nil: the event's profile is made from
	// the event alone.
	Profiles ProfileReader
}

// ProfileReader reads committed profiles.
type ProfileReader interface {
	// Lookup returns the profile of key, nil when none.
	Lookup(key []byte) *profile.Profile
}

// Run tests eventJSON against the instance. An event the pipeline could not decode is an
// error naming the field.
func Run(ctx context.Context, ws *workspace.Workspace, instanceID string, eventJSON []byte, opts Options) (*Result, error) {
	inst := ws.Instance(instanceID)
	if inst == nil {
		return nil, fmt.Errorf("no destination instance has the id %q", instanceID)
	}
	src, err := sourceOf(ws, inst, opts.Source)
	if err != nil {
		return nil, err
	}
	ev, err := event.NewSpecDecoder(opts.Limits).Decode(eventJSON)
	if err != nil {
		return nil, err
	}
	res := &Result{Destination: inst.ID, Source: src.ID}
	r := route.New(opts.Rand)
	if opts.Rows != nil {
		r.SetRows(opts.Rows)
	}
	r.SetSuppression(opts.Suppression)
	if opts.Profiles != nil {
		r.SetProfiles(readOnly{opts.Profiles})
	}
	plan := r.Protocols(src, ev)
	if src.Plan != nil {
		res.Protocols = &ProtocolsResult{Plan: src.Plan.ID(), Blocked: plan.Blocked, Reason: plan.Reason, Violations: plan.Violations, Omitted: plan.Omitted}
	}
	for _, e := range r.Enrichments() {
		er := EnrichmentResult{Model: e.Model.ID, KeyPath: e.Model.Key, Key: e.Key, Found: e.Row != nil}
		if e.Row != nil {
			er.Row = jsvalue.AppendParsed(nil, e.Row)
		}
		res.Enrichments = append(res.Enrichments, er)
	}
	if src.Profiles && !plan.Blocked {
		step := r.Profile()
		pr := &ProfileResult{Key: step.Key, Merged: step.Merged + step.Forwarded, After: profile.Empty.JSON()}
		if step.Before != nil {
			pr.Before = step.Before.JSON()
		}
		if step.After != nil {
			pr.After = step.After.JSON()
		}
		res.Profile = pr
	}
	var outcome route.Outcome
	obs := &observer{res: res}
	if plan.Blocked {
		outcome = route.Blocked
	} else {
		// Disabled mappings are tested too: trying a mapping before enabling it is the
		// point of creating mappings disabled. Only enabled ones decide the outcome.
		outcome = r.Instance(src, inst, inst.AllMappings, ev, obs)
	}
	res.Outcome, res.Stage, res.Filtered = outcome.Kind, string(outcome.Stage), outcome.Filter
	if outcome.Stage == schemas.StageTrigger {
		res.Error = NoMatch
	}
	if res.Mappings == nil {
		res.Mappings = []MappingResult{}
	}
	if opts.Send {
		send(ctx, res, inst, opts)
	}
	return res, nil
}

// readOnly shows the pipeline's profiles to the tester's router: what an event would
// change is shown, never kept.
type readOnly struct{ state ProfileReader }

func (r readOnly) Profile(key []byte) *profile.Profile { return r.state.Lookup(key) }
func (readOnly) Put([]byte, *profile.Profile)          {}

// sourceOf finds the source an event is tested as coming from.
func sourceOf(ws *workspace.Workspace, inst *workspace.Instance, id string) (*workspace.Source, error) {
	var ids []string
	for i := range ws.Config.Destinations {
		if d := &ws.Config.Destinations[i]; d.ID == inst.ID {
			ids = d.Sources
		}
	}
	if id == "" {
		if len(ids) == 0 {
			// an instance of no source: no plan, no scoped filter; the data models still apply
			return &workspace.Source{DataModels: ws.DataModels, Profiles: ws.Profiles}, nil
		}
		id = ids[0]
	}
	if !slices.Contains(ids, id) {
		return nil, fmt.Errorf("source %q is not a source of destination instance %q", id, inst.ID)
	}
	for _, s := range ws.Sources {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, fmt.Errorf("no source has the id %q", id)
}

// observer turns the routing steps into the tester's report.
type observer struct {
	res *Result
}

func (o *observer) FilterApplied(f *filter.Filter, a *filter.Action, undecidable, kept bool) {
	step := FilterStep{Filter: f.Name, Undecidable: undecidable, Kept: kept}
	if a != nil {
		step.Action = a.Kind.String()
	}
	o.res.Filters = append(o.res.Filters, step)
}

func (o *observer) Triggered(m *workspace.Mapping, matched bool) {
	o.res.Mappings = append(o.res.Mappings, MappingResult{Mapping: m.ID, Name: m.Name, Action: m.Action.Key, Enabled: m.Enabled, Matched: matched})
}

func (o *observer) Request(m *workspace.Mapping, payload []byte) *route.Failure {
	o.last().Payload = append(json.RawMessage(nil), payload...)
	return nil
}

func (o *observer) Failed(m *workspace.Mapping, f *route.Failure) {
	if m == nil {
		o.res.Error = f.Reason + ": " + f.Detail
		return
	}
	mr := o.last()
	mr.Stage, mr.Reason, mr.ValidationError = string(f.Stage), f.Reason, f.Detail
	if f.Payload != nil {
		mr.Payload = append(json.RawMessage(nil), f.Payload...)
	}
}

// last is the mapping being routed: Triggered always comes first.
func (o *observer) last() *MappingResult { return &o.res.Mappings[len(o.res.Mappings)-1] }

// send sends each matched mapping's valid payload and records the exchanges.
func send(ctx context.Context, res *Result, inst *workspace.Instance, opts Options) {
	if inst.Dest == nil {
		return
	}
	rec := &recorder{masker: inst.Masker()}
	base := opts.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	rec.next = base.Transport
	if rec.next == nil {
		rec.next = destkit.NewTransport() // through the egress guard
	}
	destOpts := append([]destkit.Option{destkit.WithHTTPClient(&http.Client{Transport: rec, Timeout: base.Timeout})}, opts.DestOptions...)
	if opts.Tokens != nil {
		destOpts = append(destOpts, destkit.WithTokenStore(opts.Tokens))
	}
	client := destkit.NewClient(destOpts...)
	for i := range res.Mappings {
		mr := &res.Mappings[i]
		if !mr.Matched || mr.Stage != "" || mr.Payload == nil {
			continue
		}
		rec.start()
		err := client.Send(ctx, inst.Dest, inst.Definition.Action(mr.Action), mr.Payload)
		mr.Requests = rec.take()
		mr.Outcome = destkit.Classify(err).Outcome.String()
		if err != nil {
			mr.SendError = rec.masker.Mask(err.Error())
		}
	}
}

// recorder is an http.RoundTripper that keeps a masked copy of every exchange.
type recorder struct {
	next   http.RoundTripper
	masker *destkit.Masker
	mu     sync.Mutex
	seen   []Exchange
}

func (r *recorder) start() { r.mu.Lock(); r.seen = nil; r.mu.Unlock() }

func (r *recorder) take() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen
}

// Headers that carry credentials are masked whole, whatever their value.
var credentialHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "X-Api-Key": true, "Api-Key": true, "Cookie": true}

func (r *recorder) mask(s string) string { return r.masker.Mask(s) }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := Exchange{Method: req.Method, URL: r.mask(req.URL.String()), Headers: map[string]string{}}
	for k, v := range req.Header {
		if credentialHeaders[http.CanonicalHeaderKey(k)] {
			ex.Headers[k] = destkit.Redacted
		} else {
			ex.Headers[k] = r.mask(strings.Join(v, ", "))
		}
	}
	if req.Body != nil {
		body, _ := io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		ex.Body = r.mask(string(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		ex.TransportError = r.mask(err.Error())
	} else {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		ex.Status = resp.StatusCode
		ex.ResponseBody = r.mask(string(body))
	}
	r.mu.Lock()
	r.seen = append(r.seen, ex)
	r.mu.Unlock()
	return resp, err
}
