package yahooaudiences

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const (
	janeHash  = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d" // jane.doe@example.com
	aHash     = "08168cd80dfd534ab0f10af10f1303fe00af2d43ab5c1432360d137f8197e17a" // a@example.com
	phoneHash = "881092b8c42c3589dd0ff6dbb36a5561076aaafd94f2006dd5c506c26da71324" // +4155550123
	// 2026-03-02T10:15:42Z and 90 days later, in Unix seconds.
	ts  = "1772446542"
	exp = "1780222542"
)

func fixedNow(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2026, 3, 2, 10, 15, 42, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

func settings() map[string]any {
	return map[string]any{"mdm_id": "mdm-1", "engage_space_id": "spa_1",
		"oauth": map[string]any{"access_token": "ya-1", "refresh_token": "", "clientId": `{"rt_api":"rt-key","tx_api":"tx-key"}`, "clientSecret": `{"rt_api":"rt-secret"}`}}
}

func identify(member string, device string) string {
	return `{"type":"identify","userId":"u-1","traits":{"vip_users":` + member + `,"email":"Jane.Doe@Example.com","phone":"(415) 555-0123"},` +
		`"context":{"device":{"advertisingId":"AB-12"` + device + `},"personas":{"computation_class":"audience","computation_id":"aud_77","computation_key":"vip_users"}}}`
}

func TestUpdateSegmentDefaultMapping(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "updateSegment", identify("true", ""))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateSegment, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/online/audience/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer ya-1")
	desttest.Header(t, r, "Content-Type", "application/json")
	// Without a device type an upper-case advertising ID is an IDFA.
	desttest.JSONEqual(t, r.Body, `{"schema":["SHA256EMAIL","IDFA","GPADVID","HASHEDID","SEGMENTS"],`+
		`"data":[["`+janeHash+`","AB-12","","`+phoneHash+`","exp=`+exp+`&seg_id=aud_77&ts=`+ts+`"]],"gdpr":false}`)
}

// A batch groups each user's changes in one row, in event order; an event
// with no identifier fails alone; a truthy flag that is not true adds.
func TestUpdateSegmentBatch(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t)
	m := destkit.JSON(`{"segment_audience_id":{"@path":"$.context.personas.computation_id"},"segment_audience_key":{"@path":"$.context.personas.computation_key"},` +
		`"event_attributes":{"@path":"$.traits"},"segment_computation_action":"audience","email":{"@path":"$.traits.email"},` +
		`"advertising_id":{"@path":"$.context.device.advertisingId"},"device_type":{"@path":"$.context.device.type"},` +
		`"gdpr_settings":{"gdpr_flag":true,"gdpr_euconsent":"CO-consent"}}`)
	ps := [][]byte{
		desttest.Render(t, Definition, "updateSegment", m, identify("true", `,"type":"android"`)),
		desttest.Render(t, Definition, "updateSegment", m, identify("false", `,"type":"android"`)),
		desttest.Validate(t, Definition, "updateSegment", `{"segment_audience_id":"aud_77","segment_audience_key":"vip_users","event_attributes":{"vip_users":true},"segment_computation_action":"audience","advertising_id":"AB-12","device_type":"web"}`),
		desttest.Validate(t, Definition, "updateSegment", `{"segment_audience_id":"aud_77","segment_audience_key":"vip_users","event_attributes":{"vip_users":"true"},"segment_computation_action":"audience","email":"a@example.com"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UpdateSegment, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "email" || errs[3] != nil {
		t.Fatalf("errors %v", errs)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"schema":["SHA256EMAIL","IDFA","GPADVID","HASHEDID","SEGMENTS"],`+
		`"data":[["`+janeHash+`","","AB-12","","exp=`+exp+`&seg_id=aud_77&ts=`+ts+`;exp=0&seg_id=aud_77&ts=`+ts+`"],`+
		`["`+aHash+`","","","","exp=`+exp+`&seg_id=aud_77&ts=`+ts+`"]],"gdpr":true,"gdpr_euconsent":"CO-consent"}`)
}

func TestUpdateSegmentErrors(t *testing.T) {
	fixedNow(t)
	p := desttest.RenderDefault(t, Definition, "updateSegment", identify("true", ""))
	desttest.ErrorPathsFor(t, Definition, settings(), UpdateSegment, p, desttest.Statuses(`{"error":"bad"}`))
}

// A 401 gets a new token from Yahoo's token endpoint with a signed client
// assertion, and the batch is sent again.
func TestRefreshToken(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"ya-2","expires_in":3600}`}, desttest.Reply{})
	p := desttest.RenderDefault(t, Definition, "updateSegment", identify("true", ""))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateSegment, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Path != "/zts/v1/oauth2/token" {
		t.Fatalf("%d requests", len(rs))
	}
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "client_credentials" || form.Get("scope") != "idb2b.dsp.datax:role.online.writer" ||
		form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || form.Get("aud") != "https://id.b2b.yahooincapis.com/zts/v1" {
		t.Fatalf("token form %v", form)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer ya-2")
	// The assertion, with a fixed jti, against one computed independently.
	want := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJpZGIyYi5kc3AuZGF0YXgucnQta2V5Iiwic3ViIjoiaWRiMmIuZHNwLmRhdGF4LnJ0LWtleSIsImF1ZCI6Imh0dHBzOi8vaWQuYjJiLnlhaG9vaW5jYXBpcy5jb20venRzL3YxIiwianRpIjoiYWJjIiwiZXhwIjoxNzcyNDUwMTQyLCJpYXQiOjE3NzI0NDY1NDJ9./ySMTWCgLw2QAmDMDSVaow4Qj7wrfKRCQk/y3eDB4z4="
	if got := clientAssertion("idb2b.dsp.datax.rt-key", "rt-secret", now(), "abc"); got != want {
		t.Fatalf("assertion\n got %s\nwant %s", got, want)
	}
	if rtCredential(`plain`) != "plain" || rtCredential(`{"rt_api":"k"}`) != "k" || len(randomID(24)) != 24 {
		t.Fatal("credentials")
	}
}
