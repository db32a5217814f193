package metronome

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiToken": "mtr_test_abc"}

const track = `{"type":"track","event":"api_call","userId":"u-1","messageId":"m-42",` +
	`"timestamp":"2024-05-01T12:30:45+02:00","properties":{"endpoint":"/v1/search","tokens":1280,"region":"eu"},` +
	`"context":{"groupId":"cust-7"}}`

func TestSendEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: ``})
	p := desttest.RenderDefault(t, Definition, "sendEvent", track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v1/ingest" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer mtr_test_abc")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `[{"transaction_id":"m-42","customer_id":"cust-7","timestamp":"2024-05-01T10:30:45.000Z",`+
		`"event_type":"api_call","properties":{"endpoint":"/v1/search","tokens":1280,"region":"eu"}}]`)
}

func TestSendEventTimestamps(t *testing.T) {
	for in, want := range map[string]string{
		`"2024-05-01T10:00:00Z"`:        "2024-05-01T10:00:00.000Z",
		`"2024-05-01T10:00:00.123456Z"`: "2024-05-01T10:00:00.123Z",
		`"2024-05-01 10:00:00"`:         "2024-05-01T10:00:00.000Z",
		`"2024-05-01"`:                  "2024-05-01T00:00:00.000Z",
		`1714557600000`:                 "2024-05-01T10:00:00.000Z",
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "sendEvent", `{"transaction_id":"t","customer_id":"c","event_type":"e","properties":{},"timestamp":`+in+`}`)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEvent, p); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		desttest.JSONEqual(t, srv.Only(t).Body, `[{"transaction_id":"t","customer_id":"c","event_type":"e","properties":{},"timestamp":"`+want+`"}]`)
	}
}

func TestSendEventRejects(t *testing.T) {
	a := SendEvent
	for name, tc := range map[string]struct{ payload, field string }{
		"no customer":   {`{"transaction_id":"t","event_type":"e","properties":{},"timestamp":"2024-05-01T10:00:00Z"}`, "customer_id"},
		"empty event":   {`{"transaction_id":"t","customer_id":"c","event_type":"","properties":{},"timestamp":"2024-05-01T10:00:00Z"}`, "event_type"},
		"no properties": {`{"transaction_id":"t","customer_id":"c","event_type":"e","timestamp":"2024-05-01T10:00:00Z"}`, "properties"},
		"no timestamp":  {`{"transaction_id":"t","customer_id":"c","event_type":"e","properties":{}}`, "timestamp"},
	} {
		_, err := a.Validate([]byte(tc.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// A timestamp the validator admits but that is not a date never reaches Metronome.
	srv := desttest.NewServer(t)
	p, err := a.Validate([]byte(`{"transaction_id":"t","customer_id":"c","event_type":"e","properties":{},"timestamp":"not a date"}`))
	if err == nil {
		err = srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEvent, p)
	}
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "timestamp" || len(srv.Requests()) != 0 {
		t.Errorf("bad timestamp: %v, %d requests", err, len(srv.Requests()))
	}
}

func TestSendEventErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, SendEvent,
		desttest.RenderDefault(t, Definition, "sendEvent", track),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"message":"invalid event"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 403}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "3"}}, Outcome: destkit.Retry, RetryAfter: 3 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 502}, Outcome: destkit.Retry},
		})
}
