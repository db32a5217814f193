// Package tester is the Event Tester: it runs one event through one destination instance
// mapping by mapping and reports, for each, whether its trigger matched, the rendered
// payload or the validation error, and — when asked to send — the request made and the
// destination's answer, with secrets masked.
package tester

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/workspace"
)

// NoMatch is the error Segment's Event Tester gives when no mapping matches.
const NoMatch = "You may not have any subscriptions that match this event."

// Result is what the tester found for one event.
type Result struct {
	Destination string          `json:"destination"`
	Filtered    string          `json:"filtered,omitempty"` // the destination filter that dropped the event
	Mappings    []MappingResult `json:"mappings"`
	Error       string          `json:"error,omitempty"`
}

// MappingResult is one mapping's outcome.
type MappingResult struct {
	Mapping         string          `json:"mapping"`
	Name            string          `json:"name,omitempty"`
	Action          string          `json:"action"`
	Enabled         bool            `json:"enabled"`
	Matched         bool            `json:"matched"`
	Payload         json.RawMessage `json:"payload,omitempty"`
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
	// Tokens is the OAuth token store; pass the pipeline's so a refresh here is shared.
	Tokens destkit.TokenStore
	// HTTPClient sends requests; default http.DefaultClient's transport.
	HTTPClient *http.Client
	// DestOptions are extra destkit options (tests redirect hosts).
	DestOptions []destkit.Option
}

// Run tests eventJSON against the instance.
func Run(ctx context.Context, ws *workspace.Workspace, instanceID string, eventJSON []byte, opts Options) (*Result, error) {
	inst := ws.Instance(instanceID)
	if inst == nil {
		return nil, fmt.Errorf("no destination instance has the id %q", instanceID)
	}
	ev, err := event.NewDecoder(event.Limits{}).Decode(eventJSON)
	if err != nil {
		return nil, err
	}
	res := &Result{Destination: inst.ID}
	for _, f := range inst.Filters {
		if f.If.Eval(ev) == fql.False {
			continue
		}
		for _, a := range f.Actions {
			if a.Type == workspace.FilterDrop {
				res.Filtered = f.Name
			}
		}
	}
	rec := &recorder{secrets: secretValues(inst)}
	var client *destkit.Client
	if opts.Send {
		base := opts.HTTPClient
		if base == nil {
			base = &http.Client{}
		}
		transport := base.Transport
		if transport == nil {
			transport = http.DefaultTransport
		}
		rec.next = transport
		destOpts := append([]destkit.Option{destkit.WithHTTPClient(&http.Client{Transport: rec, Timeout: base.Timeout})}, opts.DestOptions...)
		if opts.Tokens != nil {
			destOpts = append(destOpts, destkit.WithTokenStore(opts.Tokens))
		}
		client = destkit.NewClient(destOpts...)
	}
	matched := false
	// Disabled mappings are tested too: trying a mapping before enabling it is the point of
	// creating mappings disabled. Only enabled ones count for "no subscription matches".
	for _, m := range inst.AllMappings {
		mr := MappingResult{Mapping: m.ID, Name: m.Name, Action: m.Action.Key, Enabled: m.Enabled, Matched: m.Trigger.Match(ev)}
		if mr.Matched {
			matched = matched || m.Enabled
			testMapping(ctx, &mr, m, ev, inst, client, rec)
		}
		res.Mappings = append(res.Mappings, mr)
	}
	if !matched {
		res.Error = NoMatch
	}
	return res, nil
}

func testMapping(ctx context.Context, mr *MappingResult, m *workspace.Mapping, ev *fastjson.Value, inst *workspace.Instance, client *destkit.Client, rec *recorder) {
	payload, err := m.Mapping.AppendJSON(nil, ev)
	if err != nil {
		mr.ValidationError = err.Error()
		return
	}
	validated, err := m.Action.Validate(payload)
	if err != nil {
		mr.Payload = payload
		mr.ValidationError = err.Error()
		return
	}
	mr.Payload = validated
	if client == nil || inst.Dest == nil {
		return
	}
	rec.start()
	err = client.Send(ctx, inst.Dest, m.Action, validated)
	mr.Requests = rec.take()
	mr.Outcome = destkit.Classify(err).Outcome.String()
	if err != nil {
		mr.SendError = rec.mask(err.Error())
	}
}

// secretValues lists the values of the instance's secret settings, longest first, so
// masking replaces a whole secret before any secret that is a part of it.
func secretValues(inst *workspace.Instance) []string {
	var out []string
	if inst.Dest == nil {
		return nil
	}
	for _, f := range inst.Definition.Settings {
		if f.Secret {
			if v := inst.Dest.Settings.Str(f.Key); len(v) >= 4 {
				out = append(out, v, base64.StdEncoding.EncodeToString([]byte(v)))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// recorder is an http.RoundTripper that keeps a masked copy of every exchange.
type recorder struct {
	next    http.RoundTripper
	secrets []string
	mu      sync.Mutex
	seen    []Exchange
}

func (r *recorder) start() { r.mu.Lock(); r.seen = nil; r.mu.Unlock() }

func (r *recorder) take() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen
}

// Headers that carry credentials are masked whole, whatever their value.
var credentialHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "X-Api-Key": true, "Api-Key": true, "Cookie": true}

func (r *recorder) mask(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, destkit.Redacted)
	}
	return s
}

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
