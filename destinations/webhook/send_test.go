package webhook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

// The HMAC-SHA1 vector is test case 2 of RFC 2202.
func TestSignatureKnownVector(t *testing.T) {
	got := Signature("Jefe", []byte("what do ya want for nothing?"))
	if want := "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"; got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
}

const event = `{"type":"track","event":"Order Completed","userId":"u-1","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"order_id":"o-9","total":42.5,"note":"<ok> & \u2028"}}`

func payload(url string) string {
	return `{"url":"` + url + `","method":"PUT","headers":{"X-Team":"growth","X-Retry":2},"data":` + event + `,"ignored":1}`
}

func TestSend(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"sharedSecret": "s3cret"})
	p := desttest.Validate(t, Definition, "send", payload(srv.URL+"/hooks/in?source=actuate"))

	if err := srv.Client().Send(context.Background(), inst, Send, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "PUT" || r.Path != "/hooks/in" || r.RawQuery != "source=actuate" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	// JSON.stringify leaves U+2028 and HTML characters unescaped; so do we.
	desttest.JSONEqual(t, r.Body, strings.Replace(event, `\u2028`, "\u2028", 1))
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "X-Team", "growth")
	desttest.Header(t, r, "X-Retry", "2")
	desttest.Header(t, r, "X-Signature", Signature("s3cret", r.Body))
	desttest.Header(t, r, "User-Agent", "Actuate (Actions)")
}

func TestSendWithoutSecretIsUnsigned(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, nil)
	p := desttest.Validate(t, Definition, "send", payload(srv.URL+"/h"))
	if err := srv.Client().Send(context.Background(), inst, Send, p); err != nil {
		t.Fatal(err)
	}
	if got := srv.Only(t).Header.Get("X-Signature"); got != "" {
		t.Fatalf("unexpected X-Signature %q", got)
	}
}

func TestSendBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"sharedSecret": "s3cret"})
	var ps [][]byte
	for _, data := range []string{`{"n":1}`, `{"n":2}`, `{"n":3}`} {
		ps = append(ps, desttest.Validate(t, Definition, "send",
			`{"url":"`+srv.URL+`/batch","method":"POST","data":`+data+`}`))
	}
	errs := srv.Client().SendBatch(context.Background(), inst, Send, ps)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/batch" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `[{"n":1},{"n":2},{"n":3}]`)
	// The signature covers the whole array, exactly as sent.
	desttest.Header(t, r, "X-Signature", Signature("s3cret", []byte(`[{"n":1},{"n":2},{"n":3}]`)))
}

func TestSendErrors(t *testing.T) {
	for _, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
	}{
		{desttest.Reply{Status: 500}, destkit.Retry, 0},
		{desttest.Reply{Status: 501}, destkit.Fail, 0},
		{desttest.Reply{Status: 404}, destkit.Fail, 0},
		{desttest.Reply{Status: 408}, destkit.Retry, 0},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, destkit.Retry, 7 * time.Second},
		// No OAuth here, so a 401 needs a person rather than a refresh.
		{desttest.Reply{Status: 401}, destkit.Fail, 0},
	} {
		srv := desttest.NewServer(t, tc.reply)
		inst := desttest.Instance(t, Definition, nil)
		p := desttest.Validate(t, Definition, "send", payload(srv.URL))
		err := srv.Client().Send(context.Background(), inst, Send, p)
		v := destkit.Classify(err)
		if v.Outcome != tc.want || v.RetryAfter != tc.after {
			t.Errorf("status %d: got %v (%v), want %v after %v", tc.reply.Status, v.Outcome, err, tc.want, tc.after)
		}
	}
}

func TestSendValidation(t *testing.T) {
	_, err := Send.Validate([]byte(`{"method":"GET","data":{}}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) {
		t.Fatalf("want PayloadValidationError, got %v", err)
	}
	if pv.Field != "method" {
		t.Errorf("Field = %q", pv.Field)
	}
	want := `Method must be one of: "POST", "PUT" or "PATCH". The root value is missing the required field 'url'.`
	if pv.Message != want {
		t.Errorf("Message = %q", pv.Message)
	}
	if destkit.Classify(err).Outcome != destkit.Fail {
		t.Errorf("validation errors must not be retried")
	}
}

func BenchmarkPerformBatch100(b *testing.B) {
	var p fastjson.Parser
	v, _ := p.Parse(payload("https://example.com/hook"))
	in := &destkit.BatchInput{Payloads: make([]*fastjson.Value, 100)}
	for i := range in.Payloads {
		in.Payloads[i] = v
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := performBatch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}

// The default mapping sends the whole event as the body.
func TestSendDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	a := Definition.Action("send")
	var p fastjson.Parser
	m, _ := p.ParseBytes(a.DefaultMapping())
	m.Set("url", fastjson.MustParse(`"`+srv.URL+`/in"`))
	body := desttest.Render(t, Definition, "send", destkit.JSON(m.MarshalTo(nil)), `{"type":"identify","userId":"u-1","traits":{"plan":"pro"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, nil), Send, body); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" {
		t.Fatal(r.Method)
	}
	desttest.JSONEqual(t, r.Body, `{"type":"identify","userId":"u-1","traits":{"plan":"pro"}}`)
}
