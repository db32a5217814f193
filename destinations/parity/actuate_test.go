package parity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/valyala/fastjson"
)

// recorder is an http.RoundTripper that keeps every request and answers it from a script,
// the way runner.js answers Segment's, so nothing leaves the process.
type recorder struct {
	mu       sync.Mutex
	requests []sent
	script   []reply
	used     []int
}

func (r *recorder) reset(script []reply) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests, r.script, r.used = nil, script, make([]int, len(script))
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	headers := map[string]string{}
	for k, vs := range req.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	url := req.URL.String()
	r.mu.Lock()
	r.requests = append(r.requests, sent{Method: req.Method, URL: url, Headers: headers, Body: string(body)})
	status, respBody := 200, []byte("{}")
	for i, s := range r.script {
		if s.Times > 0 && r.used[i] >= s.Times {
			continue
		}
		if s.Method != "" && !strings.EqualFold(s.Method, req.Method) {
			continue
		}
		if s.URL != "" && !regexp.MustCompile(s.URL).MatchString(url) {
			continue
		}
		r.used[i]++
		if s.Status != 0 {
			status = s.Status
		}
		respBody = []byte(s.Body)
		var str string
		if json.Unmarshal(s.Body, &str) == nil {
			respBody = []byte(str) // a JSON string is the body's text, as in runner.js
		}
		if len(s.Body) == 0 {
			respBody = []byte("{}")
		}
		break
	}
	r.mu.Unlock()
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(respBody)), ContentLength: int64(len(respBody)), Request: req,
	}, nil
}

func (r *recorder) take() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.requests
	r.requests = nil
	return out
}

// actuate renders and sends cases through Actuate's own code: the spec decoder, the
// mapping engine, the action's validation and the destkit client, as the processor and
// the sender do.
type actuate struct {
	rec     *recorder
	client  *destkit.Client
	decoder *event.Decoder
	// kafka receives what the Kafka destination produces; nil until a Kafka case runs.
	kafka *kafkaTap
}

func newActuate() *actuate {
	rec := &recorder{}
	return &actuate{
		rec:     rec,
		client:  destkit.NewClient(destkit.WithHTTPClient(&http.Client{Transport: rec})),
		decoder: event.NewSpecDecoder(event.Limits{}),
	}
}

func (a *actuate) runCase(def *destkit.Definition, c *segmentCase, settings map[string]any) []run {
	act := def.Action(c.Action)
	if def.Slug == "kafka" && a.kafka != nil {
		s := map[string]any{}
		for k, v := range settings {
			s[k] = v
		}
		s["brokers"] = a.kafka.brokers()
		settings = s
	}
	// produced adds the records the Kafka destination produced for payloads to r.
	produced := func(r *run, payloads [][]byte, errs []error) {
		if def.Slug != "kafka" || a.kafka == nil {
			return
		}
		n, explicit := 0, false
		for i, p := range payloads {
			if i < len(errs) && errs[i] != nil {
				continue
			}
			n++
			v, _ := fastjson.ParseBytes(p)
			explicit = explicit || v.Get("partition") != nil || v.Get("default_partition") != nil
		}
		recs, err := a.kafka.take(n, explicit)
		r.Requests = append(r.Requests, recs...)
		if err != nil && r.Error == "" {
			r.Error = "reading the produced records: " + err.Error()
		}
	}
	inst, err := destkit.NewInstance(fmt.Sprintf("parity-%d", c.ID), def, settings)
	if err != nil {
		return []run{{Error: "settings: " + err.Error()}}
	}
	m, err := mapping.Compile(c.Mapping)
	if err != nil {
		return []run{{Error: "mapping: " + err.Error()}}
	}
	render := func(ev json.RawMessage) ([]byte, error) {
		v, err := a.decoder.Decode(ev)
		if err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
		raw, err := m.AppendJSON(nil, v)
		if err != nil {
			return nil, err
		}
		return act.Validate(raw)
	}
	ctx := context.Background()
	if c.Batch {
		a.rec.reset(c.Responses)
		var payloads [][]byte
		var errs []error
		for _, ev := range c.Events {
			p, err := render(ev)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			payloads = append(payloads, p)
		}
		var sendErrs []error
		if len(payloads) > 0 {
			sendErrs = a.client.SendBatch(ctx, inst, act, payloads)
			// Segment's batch leaves out the events whose payload is invalid, as Actuate's
			// processor rejects each at rendering; neither fails the batch for them.
			errs = nil
		}
		r := run{Requests: a.rec.take(), Error: errorText(errors.Join(append(errs, sendErrs...)...))}
		produced(&r, payloads, sendErrs)
		return []run{r}
	}
	var runs []run
	for _, ev := range c.Events {
		a.rec.reset(c.Responses)
		p, err := render(ev)
		if err == nil {
			err = a.client.Send(ctx, inst, act, p)
		}
		r := run{Requests: a.rec.take(), Error: errorText(err)}
		if err == nil {
			produced(&r, [][]byte{p}, nil)
		}
		runs = append(runs, r)
	}
	return runs
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
