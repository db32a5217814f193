// Package desttest holds the helpers destination tests share: a recording
// HTTP server on 127.0.0.1, instance construction and payload validation
// that fail the test on error, and the checks every destination repeats
// (payloads it must refuse, statuses it must classify).
package desttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/valyala/fastjson"
)

// Recorded is one request the server received.
type Recorded struct {
	Method string
	Path   string
	// EscapedPath is the path as sent, percent-encoding kept.
	EscapedPath string
	RawQuery    string
	Header      http.Header
	Body        []byte
}

// Reply is one scripted response.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
}

// Server records requests and answers them with scripted replies in order;
// once the script runs out it answers 200 with "{}".
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Recorded
	replies  []Reply
}

// NewServer starts a server that is closed when the test ends.
func NewServer(t testing.TB, replies ...Reply) *Server {
	t.Helper()
	s := &Server{replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Recorded{
		Method: r.Method, Path: r.URL.Path, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
	rep := Reply{Status: 200, Body: "{}"}
	if len(s.replies) > 0 {
		rep = s.replies[0]
		s.replies = s.replies[1:]
	}
	s.mu.Unlock()
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	if rep.Status == 0 {
		rep.Status = 200
	}
	w.WriteHeader(rep.Status)
	io.WriteString(w, rep.Body)
}

// Requests returns what the server has received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Only returns the single request received, failing the test otherwise.
func (s *Server) Only(t testing.TB) Recorded {
	t.Helper()
	rs := s.Requests()
	if len(rs) != 1 {
		t.Fatalf("server received %d requests, want 1", len(rs))
	}
	return rs[0]
}

// Client returns a destkit client whose every request goes to this server.
func (s *Server) Client(opts ...destkit.Option) *destkit.Client {
	return destkit.NewClient(append([]destkit.Option{destkit.RedirectAll(s.URL)}, opts...)...)
}

// Instance builds an instance of def or fails the test.
func Instance(t testing.TB, def *destkit.Definition, settings map[string]any) *destkit.Instance {
	t.Helper()
	inst, err := destkit.NewInstance("test-"+def.Slug, def, settings)
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	return inst
}

// Validate validates a hand-written payload for action or fails the test.
func Validate(t testing.TB, def *destkit.Definition, action, payload string) []byte {
	t.Helper()
	a := def.Action(action)
	if a == nil {
		t.Fatalf("%s has no action %q", def.Slug, action)
	}
	out, err := a.Validate([]byte(payload))
	if err != nil {
		t.Fatalf("validate %s: %v", action, err)
	}
	return out
}

// JSONEqual fails the test unless got and want are the same JSON document,
// byte for byte after compacting want (so want may be indented).
func JSONEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(want)); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("body mismatch\n got: %s\nwant: %s", got, buf.Bytes())
	}
}

// Header fails the test unless r carries header k with value v.
func Header(t testing.TB, r Recorded, k, v string) {
	t.Helper()
	if got := r.Header.Get(k); got != v {
		t.Fatalf("header %s = %q, want %q", k, got, v)
	}
}

// Render runs mapping over event with the mapping engine and validates the
// result against the action, as the processor does, failing the test on
// any error. It returns the normalised payload.
func Render(t testing.TB, def *destkit.Definition, action string, mappingJSON destkit.JSON, event string) []byte {
	t.Helper()
	a := def.Action(action)
	if a == nil {
		t.Fatalf("%s has no action %q", def.Slug, action)
	}
	m, err := mapping.Compile([]byte(mappingJSON))
	if err != nil {
		t.Fatalf("compile mapping: %v", err)
	}
	ev, err := fastjson.Parse(event)
	if err != nil {
		t.Fatalf("event is not JSON: %v", err)
	}
	rendered, err := m.AppendJSON(nil, ev)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	out, err := a.Validate(rendered)
	if err != nil {
		t.Fatalf("validate %s: %v\nrendered: %s", action, err, rendered)
	}
	return out
}

// RenderDefault renders the action's default mapping (every field's
// default) over event and validates it.
func RenderDefault(t testing.TB, def *destkit.Definition, action, event string) []byte {
	t.Helper()
	a := def.Action(action)
	if a == nil {
		t.Fatalf("%s has no action %q", def.Slug, action)
	}
	return Render(t, def, action, destkit.JSON(a.DefaultMapping()), event)
}

// Perform runs a over payload with inst's settings, as the sender does
// before it sends: no HTTP, only the requests a would make. payload is not
// validated first.
func Perform(a *destkit.Action, inst *destkit.Instance, payload []byte) ([]destkit.Request, error) {
	v, err := fastjson.ParseBytes(payload)
	if err != nil {
		return nil, err
	}
	return a.Perform(&destkit.Input{Payload: v, Settings: inst.Settings})
}

// Invalid is a payload that Action must refuse, and the field the refusal
// must name.
type Invalid struct {
	Action  string
	Payload string
	Field   string
}

// Refuses checks that each payload is refused, by its action's Validate or
// else by its Perform, with a *destkit.PayloadValidationError naming Field.
func Refuses(t testing.TB, def *destkit.Definition, settings map[string]any, cases []Invalid) {
	t.Helper()
	inst := Instance(t, def, settings)
	for _, tc := range cases {
		a := def.Action(tc.Action)
		if a == nil {
			t.Fatalf("%s has no action %q", def.Slug, tc.Action)
		}
		p, err := a.Validate([]byte(tc.Payload))
		if err == nil {
			_, err = Perform(a, inst, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.Field {
			t.Errorf("%s %s: got %v, want a validation error on %q", tc.Action, tc.Payload, err, tc.Field)
		}
	}
}

// RefusesEmpty checks that each action's Perform refuses "{}": a payload
// that skipped validation is never sent half-empty.
func RefusesEmpty(t testing.TB, def *destkit.Definition, settings map[string]any, actions ...*destkit.Action) {
	t.Helper()
	inst := Instance(t, def, settings)
	for _, a := range actions {
		if _, err := Perform(a, inst, []byte(`{}`)); err == nil {
			t.Errorf("%s: empty payload accepted", a.Key)
		}
	}
}

// Status is one scripted reply and how destkit.Classify must judge the error
// sending into it returns.
type Status struct {
	Reply      Reply
	Outcome    destkit.Outcome
	RetryAfter time.Duration
}

// Statuses is the table most APIs are held to: a 400 with body bad and a
// bare 401 fail; a 429 with Retry-After: 7 retries after seven seconds; 500
// and 503 retry. Append to it for statuses an API adds.
func Statuses(bad string) []Status {
	return []Status{
		{Reply{Status: 400, Body: bad}, destkit.Fail, 0},
		{Reply{Status: 401}, destkit.Fail, 0},
		{Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, destkit.Retry, 7 * time.Second},
		{Reply{Status: 500}, destkit.Retry, 0},
		{Reply{Status: 503}, destkit.Retry, 0},
	}
}

// ErrorPaths sends payload (validated for each action) through each action,
// once per status, to a fresh server answering with that status's reply,
// and checks destkit.Classify's outcome and Retry-After for the error Send
// returns.
func ErrorPaths(t testing.TB, def *destkit.Definition, settings map[string]any, actions []*destkit.Action, payload string, statuses []Status) {
	t.Helper()
	for _, a := range actions {
		ErrorPathsFor(t, def, settings, a, Validate(t, def, a.Key, payload), statuses)
	}
}

// ErrorPathsFor is ErrorPaths for one action and a payload already
// validated or rendered (by Validate, Render or RenderDefault).
func ErrorPathsFor(t testing.TB, def *destkit.Definition, settings map[string]any, a *destkit.Action, p []byte, statuses []Status) {
	t.Helper()
	for _, st := range statuses {
		srv := NewServer(t, st.Reply)
		err := srv.Client().Send(context.Background(), Instance(t, def, settings), a, p)
		if v := destkit.Classify(err); v.Outcome != st.Outcome || v.RetryAfter != st.RetryAfter {
			t.Errorf("%s %d: %+v (%v)", a.Key, st.Reply.Status, v, err)
		}
	}
}

// BatchErrorPaths is ErrorPaths for SendBatch: a batch of two copies of
// payload, each of whose errors must be classified as the status says.
func BatchErrorPaths(t testing.TB, def *destkit.Definition, settings map[string]any, actions []*destkit.Action, payload string, statuses []Status) {
	t.Helper()
	for _, st := range statuses {
		for _, a := range actions {
			srv := NewServer(t, st.Reply)
			p := Validate(t, def, a.Key, payload)
			for i, err := range srv.Client().SendBatch(context.Background(), Instance(t, def, settings), a, [][]byte{p, p}) {
				if v := destkit.Classify(err); v.Outcome != st.Outcome || v.RetryAfter != st.RetryAfter {
					t.Errorf("%s batch %d %d: %+v (%v)", a.Key, i, st.Reply.Status, v, err)
				}
			}
		}
	}
}
