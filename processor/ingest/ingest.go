// Package ingest accepts events over HTTP the way Segment's HTTP Tracking API does and
// produces them to their source's events topic, keyed by user so each user's events stay
// in order.
package ingest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/valyala/fastjson"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/actuate/actuate/processor/workspace"
)

// Segment's published limits.
const (
	MaxEventBytes = 32 << 10
	MaxBatchBytes = 500 << 10
)

// WriteKeyHeader names the record header that carries the source's write key.
const WriteKeyHeader = "write_key"

// Produce writes records and returns once the broker acknowledged all of them.
type Produce func(ctx context.Context, records ...*kgo.Record) error

// Handler serves POST /v1/{track,identify,page,screen,group,alias,batch}.
type Handler struct {
	workspace func() *workspace.Workspace
	produce   Produce
	log       *zap.Logger
	now       func() time.Time
	parsers   fastjson.ParserPool
	arenas    fastjson.ArenaPool
	// suppression drops the events of users privacy regulations suppress (suppress.go).
	suppression Suppression
	// limiter, when set, bounds each write key's requests (ratelimit.go).
	limiter *writeKeyLimiter
}

// NewHandler returns the ingest handler.
func NewHandler(ws func() *workspace.Workspace, produce Produce, log *zap.Logger) *Handler {
	if log == nil {
		log = zap.NewNop()
	}
	return &Handler{workspace: ws, produce: produce, log: log, now: time.Now}
}

var eventTypes = map[string]bool{"track": true, "identify": true, "page": true, "screen": true, "group": true, "alias": true}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind := strings.TrimPrefix(r.URL.Path, "/v1/")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if kind != "batch" && !eventTypes[kind] {
		reply(w, http.StatusNotFound, "unknown endpoint; use /v1/track, identify, page, screen, group, alias or batch")
		return
	}
	src := h.workspace().AuthenticateWriteKey(writeKey(r))
	if src == nil {
		reply(w, http.StatusUnauthorized, "missing or unknown write key: send it as the basic-auth user name")
		return
	}
	if h.limiter != nil {
		if wait, ok := h.limiter.admit(src.ID, h.now()); !ok {
			refuseOverLimit(w, wait)
			return
		}
	}
	limit := MaxEventBytes
	if kind == "batch" {
		limit = MaxBatchBytes
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		reply(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	if len(body) > limit {
		reply(w, http.StatusBadRequest, fmt.Sprintf("body is over the %d KB limit of /v1/%s", limit>>10, kind))
		return
	}
	records, err := h.records(kind, body, src)
	if err != nil {
		reply(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := h.produce(r.Context(), records...); err != nil {
		h.log.Error("producing ingested events", zap.String("source", src.ID), zap.Error(err))
		reply(w, http.StatusServiceUnavailable, "the events topic is not available; retry later")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"success":true}` + "\n"))
}

// writeKey reads the write key from basic auth (Segment's way) or, as Segment's libraries
// also allow, from a writeKey field handled by the caller.
func writeKey(r *http.Request) string {
	if user, _, ok := r.BasicAuth(); ok {
		return user
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Basic ") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
		if err == nil {
			user, _, _ := strings.Cut(string(raw), ":")
			return user
		}
	}
	return ""
}

func (h *Handler) records(kind string, body []byte, src *workspace.Source) ([]*kgo.Record, error) {
	p := h.parsers.Get()
	defer h.parsers.Put(p)
	a := h.arenas.Get()
	defer h.arenas.Put(a)
	root, err := p.ParseBytes(body)
	if err != nil {
		return nil, fmt.Errorf("body is not valid JSON: %v", err)
	}
	if root.Type() != fastjson.TypeObject {
		return nil, errors.New("body must be a JSON object")
	}
	now := h.now().UTC().Format("2006-01-02T15:04:05.000Z")
	var events []*fastjson.Value
	if kind == "batch" {
		batch := root.Get("batch")
		if batch == nil || batch.Type() != fastjson.TypeArray {
			return nil, errors.New("batch: want an array of events under \"batch\"")
		}
		items, _ := batch.Array()
		if len(items) == 0 {
			return nil, errors.New("batch: the array is empty")
		}
		shared := root.Get("context")
		for i, item := range items {
			if item.Type() != fastjson.TypeObject {
				return nil, fmt.Errorf("batch[%d]: each event must be a JSON object", i)
			}
			t := string(item.GetStringBytes("type"))
			if !eventTypes[t] {
				return nil, fmt.Errorf("batch[%d].type: must be one of track, identify, page, screen, group, alias", i)
			}
			if shared != nil && item.Get("context") == nil {
				item.Set("context", shared)
			}
			events = append(events, item)
		}
	} else {
		if t := root.Get("type"); t == nil {
			root.Set("type", a.NewString(kind))
		} else if string(t.GetStringBytes()) != kind {
			return nil, fmt.Errorf("type: %s sent to /v1/%s", t.String(), kind)
		}
		events = append(events, root)
	}
	records := make([]*kgo.Record, 0, len(events)*len(src.Topics))
	for i, ev := range events {
		if err := checkEvent(ev); err != nil {
			if kind == "batch" {
				return nil, fmt.Errorf("batch[%d].%v", i, err)
			}
			return nil, err
		}
		if h.suppressedUser(ev.GetStringBytes("userId")) {
			continue // accepted and dropped: a privacy regulation suppresses the user
		}
		if ev.Get("messageId") == nil {
			ev.Set("messageId", a.NewString(newMessageID()))
		}
		if ev.Get("receivedAt") == nil {
			ev.Set("receivedAt", a.NewString(now))
		}
		// Segment's tracking API gives an event without a timestamp the time it arrived;
		// mappings (and vendors' required time fields) read $.timestamp.
		if t := ev.Get("timestamp"); t == nil || t.Type() == fastjson.TypeNull {
			ev.Set("timestamp", a.NewString(now))
		}
		value := jsvalue.AppendParsed(nil, ev)
		if len(value) > MaxEventBytes {
			return nil, fmt.Errorf("event %d is over the %d KB limit", i, MaxEventBytes>>10)
		}
		key := bytes.Clone(event.UserKey(ev)) // the record outlives the parsed body
		for _, topic := range src.Topics {
			records = append(records, &kgo.Record{
				Topic: topic, Key: key, Value: value,
				Headers: []kgo.RecordHeader{{Key: WriteKeyHeader, Value: []byte(src.WriteKey)}},
			})
		}
	}
	return records, nil
}

// checkEvent applies the checks Segment's API makes before accepting an event.
func checkEvent(ev *fastjson.Value) error {
	t := string(ev.GetStringBytes("type"))
	if event.UserKey(ev) == nil {
		return errors.New("userId or anonymousId is required")
	}
	switch t {
	case "track":
		if len(ev.GetStringBytes("event")) == 0 {
			return errors.New("event: a track call needs an event name")
		}
	case "group":
		if g := ev.Get("groupId"); g == nil || g.Type() == fastjson.TypeNull {
			return errors.New("groupId: a group call needs a groupId")
		}
	case "alias":
		if p := ev.Get("previousId"); p == nil || p.Type() == fastjson.TypeNull {
			return errors.New("previousId: an alias call needs a previousId")
		}
	}
	return nil
}

func newMessageID() string {
	var b [16]byte
	rand.Read(b[:])
	return "api-" + hex.EncodeToString(b[:])
}

func reply(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body, _ := json.Marshal(map[string]any{"success": false, "error": message})
	w.Write(append(body, '\n'))
}
