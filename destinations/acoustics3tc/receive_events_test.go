package acoustics3tc

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/actuate/actuate/destinations/filekit/filekittest"
)

const alias = "acme-ap-1a2b3c4d5e6f-s3alias"

func settings() map[string]any {
	return map[string]any{
		"fileNamePrefix": "acme_prod_", "s3_bucket_accesspoint_alias": alias,
		"s3_access_key": filekittest.AccessKeyID, "s3_secret": filekittest.SecretAccessKey, "s3_region": "us-east-1",
	}
}

const event = `{"type":"track","event":"Order Completed","userId":"u-1","messageId":"m-1",
	"timestamp":"2026-12-04T07:00:00.123Z",
	"properties":{"email":"ann@example.com","total":42.5,"vip":true,"address":{"city":"Paris","zip":null},"tags":["a","b"]},
	"context":{"ip":"203.0.113.9","traits":{"email":"ann@example.com"}}}`

// The default mapping maps no data section (Segment's neither): with properties and
// context mapped, as Acoustic asks.
const mapping = `{"uniqueRecipientId":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}},` +
	`"type":{"@path":"$.type"},"timestamp":{"@path":"$.timestamp"},"properties":{"@path":"$.properties"},"context":{"@path":"$.context"}}`

const wantBody = `{"uniqueRecipient":"ann@example.com","eventSource":"track Event","timestamp":"2026-12-04T07:00:00.123Z",` +
	`"email":"ann@example.com","total":42.5,"vip":true,"address.city":"Paris","address.zip.null":"","tags.0":"a","tags.1":"b",` +
	`"ip":"203.0.113.9","traits.email":"ann@example.com"}`

func TestReceiveEventsRequest(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 12, 4, 7, 0, 5, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })
	p := desttest.Render(t, Definition, "receiveEvents", mapping, event)
	reqs, err := desttest.Perform(ReceiveEvents, desttest.Instance(t, Definition, settings()), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	// The name: prefix, the event's time with '.', '-' and ':' made '_', the body's digest.
	if r.Method != "PUT" || r.URL != "https://"+alias+".s3.us-east-1.amazonaws.com/acme_prod_2026_12_04T07_00_00_123Z_"+filekittest.Digest(wantBody)+".json" {
		t.Fatalf("got %s %s", r.Method, r.URL)
	}
	desttest.JSONEqual(t, r.Body, wantBody)
	for k, v := range map[string]string{"Content-Type": "application/json", "X-Amz-Date": "20261204T070005Z"} {
		if r.Header.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, r.Header.Get(k), v)
		}
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+filekittest.AccessKeyID+"/20261204/us-east-1/s3/aws4_request") {
		t.Fatalf("authorization %q", r.Header.Get("Authorization"))
	}
}

// Through the destination's client to an S3 server on 127.0.0.1 that checks the signature:
// the file lands whole, and the same event again replaces it rather than adding a file.
func TestReceiveEventsLandsTheFile(t *testing.T) {
	s3 := filekittest.NewS3(t, "us-east-1", alias)
	inst := desttest.Instance(t, Definition, settings())
	p := desttest.Render(t, Definition, "receiveEvents", mapping, event)
	for range 2 {
		if err := s3.Client().Send(context.Background(), inst, ReceiveEvents, p); err != nil {
			t.Fatal(err)
		}
	}
	key := "acme_prod_2026_12_04T07_00_00_123Z_" + filekittest.Digest(wantBody) + ".json"
	if keys := s3.Objects(t, alias); !slices.Equal(keys, []string{key}) {
		t.Fatalf("objects %q", keys)
	}
	body, ct := s3.Object(t, alias, key)
	desttest.JSONEqual(t, body, wantBody)
	if ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
}

func TestReceiveEventsAudiences(t *testing.T) {
	for name, tc := range map[string]struct{ traits, want string }{
		"computed audience entered": {
			`{"email":"ann@example.com","high_value":true,"computation_class":"audience","computation_key":"high_value"}`,
			`{"uniqueRecipient":"ann@example.com","eventSource":"identify Event","timestamp":"2026-12-04T07:00:00.000Z","email":"ann@example.com","high_value":"Audience Entered"}`},
		"computed audience exited": {
			`{"email":"ann@example.com","high_value":false,"computation_class":"Audience","computation_key":"high_value"}`,
			`{"uniqueRecipient":"ann@example.com","eventSource":"identify Event","timestamp":"2026-12-04T07:00:00.000Z","email":"ann@example.com","high_value":"Audience Exited"}`},
		"audience key": {
			`{"email":"ann@example.com","audience_key":"churn_risk","churn_risk":true,"plan":"pro"}`,
			`{"uniqueRecipient":"ann@example.com","eventSource":"identify Event","timestamp":"2026-12-04T07:00:00.000Z","email":"ann@example.com","plan":"pro","churn_risk":"Audience Entered"}`},
		"an index key holding the audience name comes first, as in Object.entries": {
			`{"email":"ann@example.com","audience_key":"7","x7":true,"7":false}`,
			// (Segment's addUpdateEvents, run under Node, writes exactly this.)
			`{"7":"Audience Exited","uniqueRecipient":"ann@example.com","eventSource":"identify Event","timestamp":"2026-12-04T07:00:00.000Z","email":"ann@example.com","x7":true}`},
		"no audience": {
			`{"email":"ann@example.com","plan":"pro"}`,
			`{"uniqueRecipient":"ann@example.com","eventSource":"identify Event","timestamp":"2026-12-04T07:00:00.000Z","email":"ann@example.com","plan":"pro"}`},
	} {
		ev := `{"type":"identify","userId":"u-1","timestamp":"2026-12-04T07:00:00.000Z","traits":` + tc.traits + `}`
		p := desttest.Render(t, Definition, "receiveEvents", Definition.Presets[1].Mapping[:len(Definition.Presets[1].Mapping)-1]+`,"traits":{"@path":"$.traits"}}`, ev)
		reqs, err := desttest.Perform(ReceiveEvents, desttest.Instance(t, Definition, settings()), p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(reqs[0].Body) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", name, reqs[0].Body, tc.want)
		}
	}
}

func TestReceiveEventsErrors(t *testing.T) {
	p := desttest.Render(t, Definition, "receiveEvents", mapping, event)
	for name, edit := range map[string]func(map[string]any){
		"default prefix":      func(s map[string]any) { s["fileNamePrefix"] = "customer_org_" },
		"prefix without '_'":  func(s map[string]any) { s["fileNamePrefix"] = "acme" },
		"no access point set": func(s map[string]any) { s["s3_bucket_accesspoint_alias"] = "" },
	} {
		s := settings()
		edit(s)
		_, err := desttest.Perform(ReceiveEvents, desttest.Instance(t, Definition, s), p)
		if v := destkit.Classify(err); v.Outcome != destkit.Fail || !strings.Contains(err.Error(), "setting ") {
			t.Errorf("%s: %v (%v)", name, v.Outcome, err)
		}
	}
	inst := desttest.Instance(t, Definition, settings())
	noData := desttest.Render(t, Definition, "receiveEvents", destkit.JSON(ReceiveEvents.DefaultMapping()), event)
	if _, err := desttest.Perform(ReceiveEvents, inst, noData); destkit.Classify(err).Outcome != destkit.Fail || !strings.Contains(err.Error(), "mapped") {
		t.Errorf("no data mapped: %v", err)
	}
	deep := `{"a":{"b":1},"c":{"d":1},"e":{"f":1},"g":{"h":1},"i":{"j":1},"k":{"l":1},"m":{"n":1},"o":{"p":1},"q":{"r":1},"s":{"t":1},"u":{"v":1}}`
	pd := desttest.Validate(t, Definition, "receiveEvents", `{"uniqueRecipientId":"a@b.c","type":"track","timestamp":"2026-12-04T07:00:00Z","properties":`+deep+`}`)
	if _, err := desttest.Perform(ReceiveEvents, inst, pd); destkit.Classify(err).Outcome != destkit.Fail || !strings.Contains(err.Error(), "nests") {
		t.Errorf("eleven nested objects: %v", err)
	}
	desttest.RefusesEmpty(t, Definition, settings(), ReceiveEvents)

	// S3's answers: a refused signature fails, SlowDown and server errors retry, and none
	// leaves an object.
	for status, want := range map[int]destkit.Outcome{403: destkit.Fail, 503: destkit.Retry, 500: destkit.Retry} {
		s3 := filekittest.NewS3(t, "us-east-1", alias)
		s3.RefuseNext(status)
		err := s3.Client().Send(context.Background(), inst, ReceiveEvents, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: %v (%v)", status, got, err)
		}
		if keys := s3.Objects(t, alias); len(keys) != 0 {
			t.Errorf("%d left %q", status, keys)
		}
	}
	s := settings()
	s["s3_secret"] = "wrong-secret-value"
	s3 := filekittest.NewS3(t, "us-east-1", alias)
	err := s3.Client().Send(context.Background(), desttest.Instance(t, Definition, s), ReceiveEvents, p)
	if destkit.Classify(err).Outcome != destkit.Fail || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("wrong secret: %v", err)
	}
}
