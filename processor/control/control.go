// Package control is the control API that `actuate serve` (and `actuate dev`) serve: CRUD
// over the workspace's config objects on the config topic, the Event Tester and the
// Delivery Overview, as HTTP + JSON behind a bearer token.
//
// Every write is checked by compiling the whole would-be workspace, the same check as
// `actuate validate`, and answered with every problem found. Writes are compare-and-set
// on the config topic; clients that replace an object (PUT) say which version they read
// with If-Match (or a "version" field), so two writers never silently overwrite each
// other. Secret settings are write-only: answers say only whether each is set.
package control

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/workspace"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3 document.
func OpenAPI() []byte { return openAPI }

// Store is what the API needs of the config store.
type Store interface {
	Snapshot() *configstore.Snapshot
	Workspace() *workspace.Workspace
	Update(ctx context.Context, meta configstore.Meta, fn func(*configstore.Snapshot) ([]configstore.Change, error)) (*configstore.Snapshot, error)
	History(ctx context.Context, limit int, before int64) ([]configstore.HistoryEntry, error)
}

// Options configure the API.
type Options struct {
	Store  Store
	Lookup workspace.Lookup
	// Token is the bearer token every request but GET /openapi.json must carry. Empty
	// refuses every request: an API that edits the pipeline is never open by accident.
	Token string
	// MaxConditions, when set, limits the conditions of each mapping trigger (the plan
	// limit of self-service plans, fql.SelfServiceMaxConditions).
	MaxConditions int
	// Tester configures the Event Tester (token store shared with the senders, HTTP
	// client).
	Tester tester.Options
	// LatestEvents returns up to n of the latest events of a topic, newest first; the
	// Event Tester loads test events with it. Nil turns that off.
	LatestEvents func(ctx context.Context, topic string, n int) ([][]byte, error)
	// Overview answers the Delivery Overview; nil turns it off.
	Overview OverviewSource
	// DataModels reads and writes data model rows (/v1/data-models); nil turns that off.
	DataModels DataModelRows
	// Profiles reads and erases profiles (/v1/profiles/{key}); nil turns that off.
	Profiles Profiles
	// Replay replays dead letters (POST /v1/destinations/{id}/replay); nil turns it off.
	Replay ReplayFunc
	// Backfill sends a source's events through a destination (POST
	// /v1/destinations/{id}/backfill); nil turns it off.
	Backfill BackfillFunc
	// Regulations creates and shows privacy requests (POST /v1/regulations, GET
	// /v1/regulations/{id}); nil turns them off.
	Regulations RegulationStore
	Logger      *zap.Logger
}

// API is the control API handler.
type API struct {
	signIns signInLimit
	tokens  atomic.Pointer[snapshotTokens] // named tokens of the latest snapshot seen (auth.go)
	opts    Options
	mux     *http.ServeMux
	log     *zap.Logger
}

// New returns the API.
func New(opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	a := &API{opts: opts, mux: http.NewServeMux(), log: opts.Logger}
	for _, r := range a.routes() {
		a.mux.HandleFunc(r.method+" "+r.path, r.handler)
	}
	return a
}

type route struct {
	method, path string
	handler      http.HandlerFunc
}

// Routes lists the API's routes as "METHOD /path"; the OpenAPI test checks each is
// documented.
func (a *API) Routes() []string {
	var out []string
	for _, r := range a.routes() {
		out = append(out, r.method+" "+r.path)
	}
	return out
}

func (a *API) routes() []route {
	return []route{
		{"GET", "/openapi.json", a.openAPI},
		{"GET", "/v1/workspace", a.getWorkspace},
		{"GET", "/v1/history", a.history},
		{"POST", "/v1/batch", a.batch},

		{"GET", "/v1/sources", a.list(configstore.KindSource)},
		{"POST", "/v1/sources", a.createSimple(configstore.KindSource)},
		{"GET", "/v1/sources/{id}", a.get(configstore.KindSource)},
		{"PUT", "/v1/sources/{id}", a.replaceSimple(configstore.KindSource)},
		{"DELETE", "/v1/sources/{id}", a.delete(configstore.KindSource)},

		{"GET", "/v1/tracking-plans", a.list(configstore.KindTrackingPlan)},
		{"POST", "/v1/tracking-plans", a.createSimple(configstore.KindTrackingPlan)},
		{"GET", "/v1/tracking-plans/{id}", a.get(configstore.KindTrackingPlan)},
		{"PUT", "/v1/tracking-plans/{id}", a.replaceSimple(configstore.KindTrackingPlan)},
		{"DELETE", "/v1/tracking-plans/{id}", a.delete(configstore.KindTrackingPlan)},
		{"GET", "/v1/tracking-plans/{id}/violations", a.trackingPlanViolations},

		{"GET", "/v1/destinations", a.list(configstore.KindDestination)},
		{"POST", "/v1/destinations", a.createDestination},
		{"GET", "/v1/destinations/{id}", a.get(configstore.KindDestination)},
		{"PUT", "/v1/destinations/{id}", a.replaceDestination},
		{"PATCH", "/v1/destinations/{id}", a.patchDestination},
		{"DELETE", "/v1/destinations/{id}", a.delete(configstore.KindDestination)},

		{"GET", "/v1/destinations/{id}/mappings", a.listMappings},
		{"POST", "/v1/destinations/{id}/mappings", a.createMapping},
		{"PUT", "/v1/destinations/{id}/mappings/order", a.orderMappings},
		{"GET", "/v1/destinations/{id}/mappings/{mapping}", a.getMapping},
		{"PATCH", "/v1/destinations/{id}/mappings/{mapping}", a.patchMapping},
		{"DELETE", "/v1/destinations/{id}/mappings/{mapping}", a.deleteMapping},
		{"POST", "/v1/destinations/{id}/mappings/{mapping}/hooks/{hook}", a.runHook},
		{"GET", "/v1/destinations/{id}/actions/{action}/fields/{field}/choices", a.fieldChoices},

		{"GET", "/v1/destinations/{id}/filters", a.listFilters},
		{"POST", "/v1/destinations/{id}/filters", a.createFilter},
		{"GET", "/v1/destinations/{id}/filters/{filter}", a.getFilter},
		{"PATCH", "/v1/destinations/{id}/filters/{filter}", a.patchFilter},
		{"DELETE", "/v1/destinations/{id}/filters/{filter}", a.deleteFilter},

		{"POST", "/v1/destinations/{id}/test", a.test},
		{"GET", "/v1/sources/{id}/events", a.latestEvents},
		{"GET", "/v1/destinations/{id}/delivery", a.delivery},

		{"GET", "/v1/data-models/{id}/rows/{key}", a.getRow},
		{"PUT", "/v1/data-models/{id}/rows/{key}", a.putRow},
		{"DELETE", "/v1/data-models/{id}/rows/{key}", a.deleteRow},
		{"POST", "/v1/data-models/{id}/rows", a.loadRows},
		{"GET", "/v1/profiles/{key}", a.getProfile},
		{"DELETE", "/v1/profiles/{key}", a.deleteProfile},
		{"POST", "/v1/destinations/{id}/replay", a.replayDestination},
		{"POST", "/v1/destinations/{id}/backfill", a.backfillDestination},
		{"GET", "/v1/regulations", a.listRegulations},
		{"POST", "/v1/regulations", a.createRegulation},
		{"GET", "/v1/regulations/{id}", a.getRegulation},

		// What the console needs beyond the objects: the catalog, duplicating a mapping,
		// trying a draft mapping, converting triggers, the overview over time.
		{"GET", "/v1/catalog", a.catalog},
		{"GET", "/v1/catalog/{slug}", a.catalogEntry},
		{"POST", "/v1/destinations/{id}/mappings/{mapping}/duplicate", a.duplicateMapping},
		{"POST", "/v1/destinations/{id}/mappings/test", a.testDraft},
		{"POST", "/v1/triggers", a.convertTrigger},
		{"GET", "/v1/destinations/{id}/delivery/series", a.deliverySeries},
	}
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/openapi.json" {
		a.mux.ServeHTTP(w, r)
		return
	}
	now := time.Now()
	if wait := a.signIns.blocked(host(r), now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "too many failed sign-ins from this address; try again later", nil)
		return
	}
	p, ok := a.authenticate(r)
	if !ok {
		a.signIns.failed(host(r), now)
		w.Header().Set("WWW-Authenticate", `Bearer realm="actuate"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token: send Authorization: Bearer <token> (--api-token, or one made with actuate tokens create)", nil)
		return
	}
	if need, what := requiredRole(r); p.role < need {
		writeError(w, http.StatusForbidden, "token "+p.name+" has the role "+p.role.String()+"; "+r.Method+" "+r.URL.Path+" needs "+need.String()+" (to "+what+")", nil)
		return
	}
	a.mux.ServeHTTP(w, r.WithContext(withPrincipal(r.Context(), p)))
}

func (a *API) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

// Problem is one reason a request was refused, with the path of the offending value.
type Problem struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type errorBody struct {
	Error    string    `json:"error"`
	Problems []Problem `json:"problems,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg string, problems []Problem) {
	writeJSON(w, status, errorBody{Error: msg, Problems: problems})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		b = []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Write(append(b, '\n'))
}

// apiError is an error with its HTTP status; handlers return it from inside Update.
type apiError struct {
	status   int
	msg      string
	problems []Problem
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func badField(path, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: "invalid request body",
		problems: []Problem{{Path: path, Reason: fmt.Sprintf(format, args...)}}}
}

func (a *API) fail(w http.ResponseWriter, err error) {
	var ae *apiError
	var problems workspace.Problems
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msg, ae.problems)
	case errors.As(err, &problems):
		out := make([]Problem, len(problems))
		for i, p := range problems {
			out[i] = Problem{Path: p.Path, Reason: p.Reason}
		}
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("the change would make the workspace invalid (%d problems)", len(out)), out)
	case errors.Is(err, configstore.ErrConflict):
		writeError(w, http.StatusConflict, err.Error(), nil)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeError(w, http.StatusServiceUnavailable, "the config topic did not answer in time; retry", nil)
	default:
		// Store errors name topics and offsets, never values.
		a.log.Error("control API", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "the config topic is not available; retry later", nil)
	}
}

// decode reads a JSON body strictly: unknown fields and wrong types are 400s naming the
// field.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20+1))
	if err != nil {
		return errorf(http.StatusBadRequest, "reading the body: %v", err)
	}
	if len(body) > 4<<20 {
		return errorf(http.StatusRequestEntityTooLarge, "the body is over 4 MB")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return badField("body", "is empty; send a JSON object")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			field := fieldPath(te.Field)
			return badField(field, "want %s, got JSON %s", te.Type.String(), te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return badField("body", "is not valid JSON: it ends early")
		case errors.As(err, &se):
			return badField("body", "is not valid JSON: %v (at byte %d)", se, se.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return badField(name, "unknown field")
		default:
			return badField("body", "%v", err)
		}
	}
	if dec.More() {
		return badField("body", "holds more than one JSON value")
	}
	return nil
}

// fieldPath drops the names of embedded Go structs ("Source.topics" → "topics").
func fieldPath(f string) string {
	var parts []string
	for _, p := range strings.Split(f, ".") {
		if p != "" && (p[0] < 'A' || p[0] > 'Z') {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "body"
	}
	return strings.Join(parts, ".")
}

// version reads the version the client based its write on: If-Match (an ETag) or the
// body's version field. 0 means none was given.
func version(r *http.Request, body int64) (int64, error) {
	if m := r.Header.Get("If-Match"); m != "" {
		v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(m, "W/"), `"`), 10, 64)
		if err != nil {
			return 0, badField("If-Match", "%q is not a version this API gave out (an ETag such as \"42\")", m)
		}
		return v, nil
	}
	return body, nil
}

func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

func (a *API) meta(r *http.Request, what string) configstore.Meta {
	actor := "api " + r.RemoteAddr
	if p, ok := principalOf(r); ok {
		actor = "token " + p.name + " (" + r.RemoteAddr + ")"
	}
	return configstore.Meta{Actor: actor, Message: r.Method + " " + r.URL.Path + ": " + what}
}

// update runs a validated write: fn returns the changes, which must compile with the
// rest of the workspace.
func (a *API) update(r *http.Request, what string, fn func(*configstore.Snapshot) ([]configstore.Change, error)) (*configstore.Snapshot, error) {
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	return a.opts.Store.Update(ctx, a.meta(r, what), func(snap *configstore.Snapshot) ([]configstore.Change, error) {
		changes, err := fn(snap)
		if err != nil || len(changes) == 0 {
			return changes, err
		}
		for _, c := range changes {
			if o, ok := snap.Object(c.Key); ok && o.FromFile {
				return nil, errorf(http.StatusConflict, "%s is defined in this server's --config file, which overrides the config topic; change it there", c.Key)
			}
		}
		if _, err := configstore.Compile(snap.With(changes), a.opts.Lookup); err != nil {
			return nil, err
		}
		return changes, nil
	})
}

// checkVersion refuses a write based on another version than the current one.
func checkVersion(key string, cur configstore.Object, want int64, required bool) error {
	if want == 0 {
		if required {
			return errorf(http.StatusPreconditionRequired, "replacing %s needs the version you read: send If-Match with its ETag, or a version field", key)
		}
		return nil
	}
	if want != cur.Version {
		return errorf(http.StatusPreconditionFailed, "%s changed since version %d (now %d): read it again and reapply your change", key, want, cur.Version)
	}
	return nil
}

func newID(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (a *API) getWorkspace(w http.ResponseWriter, _ *http.Request) {
	snap := a.opts.Store.Snapshot()
	ws := a.opts.Store.Workspace()
	out := map[string]any{"revision": snap.Revision, "version": ws.Version, "sources": len(ws.Sources), "destinations": len(ws.Instances)}
	if snap.Problems != nil {
		// The topic holds a state that does not compile (written around the API); the
		// last valid workspace stays in force.
		out["problems"] = problemList(snap.Problems)
	}
	writeJSON(w, http.StatusOK, out)
}

func problemList(err error) []Problem {
	var problems workspace.Problems
	if !errors.As(err, &problems) {
		return []Problem{{Path: "config", Reason: err.Error()}}
	}
	out := make([]Problem, len(problems))
	for i, p := range problems {
		out[i] = Problem{Path: p.Path, Reason: p.Reason}
	}
	return out
}

func (a *API) history(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	entries, err := a.opts.Store.History(ctx, limit, before)
	if err != nil {
		a.fail(w, err)
		return
	}
	if entries == nil {
		entries = []configstore.HistoryEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

// secretKeys lists the settings of a definition that are write-only.
func secretKeys(def *destkit.Definition) map[string]bool {
	out := map[string]bool{"oauth": true}
	if def == nil {
		return out
	}
	for _, f := range def.Settings {
		if f.Secret {
			out[f.Key] = true
		}
	}
	return out
}
