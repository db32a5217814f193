package thetradedeskcrm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"auth_token": "ttd-token-123", "advertiser_id": "adv-1"}

// Known digests, by Python's hashlib and base64:
//
//	base64(sha256("janedoe@gmail.com"))  = 1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk=
//	base64(sha256("ann@example.com"))    = cdT1X3L6Eo37RooaOQFQfIBLdDFkiHRNdp1/SxZpZHY=
//	base64(hex 86e0b9e5…6133d)           = huC55WwXzE0SOH4ZSbhQU/vnO8POWhGIcTqdMAzGEz0=
func TestHashedEmails(t *testing.T) {
	for in, want := range map[string]string{
		" Jane.Doe+promo@Gmail.com ": "1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk=",
		"Ann@Example.com":            "cdT1X3L6Eo37RooaOQFQfIBLdDFkiHRNdp1/SxZpZHY=",
		"86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d": "huC55WwXzE0SOH4ZSbhQU/vnO8POWhGIcTqdMAzGEz0=",
		"huC55WwXzE0SOH4ZSbhQU/vnO8POWhGIcTqdMAzGEz0=":                     "huC55WwXzE0SOH4ZSbhQU/vnO8POWhGIcTqdMAzGEz0=",
	} {
		if got := hashEmail(in); got != want {
			t.Errorf("hashEmail(%q) = %s, want %s", in, got, want)
		}
	}
}

// audienceEvents are n "Audience Entered" events of an audience connected to segment
// crm-9; every tenth user has no usable email.
func audienceEvents(n int) []string {
	evs := make([]string, n)
	for i := range evs {
		email := fmt.Sprintf("user%d@example.com", i)
		if i%10 == 9 {
			email = "not-an-email"
		}
		evs[i] = fmt.Sprintf(`{"type":"track","event":"Audience Entered","userId":"u-%d","properties":{"vip_users":true},`+
			`"context":{"traits":{"email":%q},"personas":{"computation_key":"vip_users","external_audience_id":"crm-9"}}}`, i, email)
	}
	return evs
}

func render(t *testing.T, piiType string, events []string) [][]byte {
	t.Helper()
	m := string(SyncAudience.DefaultMapping())
	m = m[:len(m)-1] + `,"pii_type":"` + piiType + `"}`
	out := make([][]byte, len(events))
	for i, ev := range events {
		out[i] = desttest.Render(t, Definition, "syncAudience", destkit.JSON(m), ev)
	}
	return out
}

const dropURL = "https://thetradedesk-crm-drops.s3.amazonaws.com/adv-1/crm-9/r-1?X-Amz-Signature=abc123"

func TestSyncAudienceDrops(t *testing.T) {
	for _, piiType := range []string{"Email", "EmailHashedUnifiedId2"} {
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"ReferenceId":"r-1","Url":"` + dropURL + `"}`}, desttest.Reply{Body: ""})
		payloads := render(t, piiType, audienceEvents(minDrop))
		for i, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SyncAudience, payloads) {
			if err != nil {
				t.Fatalf("%s %d: %v", piiType, i, err)
			}
		}
		rs := srv.Requests()
		if len(rs) != 2 {
			t.Fatalf("%d requests", len(rs))
		}
		open, put := rs[0], rs[1]
		if open.Method != "POST" || open.Path != "/v3/crmdata/segment/adv-1/crm-9" {
			t.Fatalf("open: %s %s", open.Method, open.Path)
		}
		desttest.Header(t, open, "TTD-Auth", "ttd-token-123")
		desttest.Header(t, open, "Content-Type", "application/json")
		desttest.JSONEqual(t, open.Body, `{"PiiType":"`+piiType+`","MergeMode":"Replace","RetentionEnabled":true}`)
		if put.Method != "PUT" || put.Path != "/adv-1/crm-9/r-1" || put.RawQuery != "X-Amz-Signature=abc123" {
			t.Fatalf("upload: %s %s?%s", put.Method, put.Path, put.RawQuery)
		}
		desttest.Header(t, put, "Content-Type", "text/plain")
		desttest.Header(t, put, "TTD-Auth", "") // the token stays with TTD's API
		var want strings.Builder
		for i := range minDrop {
			if i%10 == 9 {
				continue
			}
			email := fmt.Sprintf("user%d@example.com", i)
			if piiType != "Email" {
				email = hashEmail(email)
			}
			want.WriteString(email + "\n")
		}
		if string(put.Body) != want.String() {
			t.Fatalf("%s: upload body starts %.200q", piiType, put.Body)
		}
	}
	// base64(sha256("user0@example.com")), by Python.
	if hashEmail("user0@example.com") != "lVH2/2k19ADRQi51gn7gErqtBF2qO3M+M2n+8isMm04=" {
		t.Fatal("the hashed email of user0 is not its known digest")
	}
}

func TestSyncAudienceRefusals(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	isValidation := func(err error, field string) bool {
		var pv *destkit.PayloadValidationError
		return errors.As(err, &pv) && pv.Field == field
	}
	// Too few users for a drop: nothing is sent.
	srv := desttest.NewServer(t)
	for _, err := range srv.Client().SendBatch(context.Background(), inst, SyncAudience, render(t, "Email", audienceEvents(minDrop-1))) {
		if !isValidation(err, "") {
			t.Fatalf("1499 users: %v", err)
		}
	}
	if err := srv.Client().Send(context.Background(), inst, SyncAudience, render(t, "Email", audienceEvents(1))[0]); !isValidation(err, "") {
		t.Fatalf("one user: %v", err)
	}
	// No segment.
	noSegment := strings.ReplaceAll(audienceEvents(1)[0], `,"external_audience_id":"crm-9"`, "")
	if err := srv.Client().Send(context.Background(), inst, SyncAudience, render(t, "Email", []string{noSegment})[0]); !isValidation(err, "external_id") {
		t.Fatalf("no segment: %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	desttest.RefusesEmpty(t, Definition, settings)
	// TTD's answers to the drop: the table most APIs are held to, and a drop opened without
	// an upload URL.
	payloads := render(t, "Email", audienceEvents(minDrop))
	for _, st := range append(desttest.Statuses(`{"Message":"bad"}`), desttest.Status{Reply: desttest.Reply{Body: `{"ReferenceId":"r-1"}`}, Outcome: destkit.Fail}) {
		srv := desttest.NewServer(t, st.Reply)
		err := srv.Client().SendBatch(context.Background(), inst, SyncAudience, payloads)[0]
		if v := destkit.Classify(err); v.Outcome != st.Outcome || v.RetryAfter != st.RetryAfter {
			t.Errorf("%d: %+v (%v)", st.Reply.Status, v, err)
		}
	}
	// The upload refused by the storage: retried, and the retry opens a new drop.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"Url":"` + dropURL + `"}`}, desttest.Reply{Status: 503})
	if err := srv.Client().SendBatch(context.Background(), inst, SyncAudience, payloads)[0]; destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatalf("upload refused: %v", err)
	}
}

// The audience hook creates a segment named after the audience, in the audience's region,
// or checks one given by id through the advertiser's pages of segments.
func TestAudienceHook(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"CrmDataId":"crm-42","FirstPartyDataId":7}`})
	out, err := srv.Client().RunHook(context.Background(), inst, SyncAudience, audienceHook.Key,
		[]byte(`{"audienceName":"VIP users","audienceSettings":{"region":"EU"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"externalId":"crm-42"`) || !strings.Contains(string(out), `"audienceName":"VIP users"`) {
		t.Fatalf("outputs %s", out)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v3/crmdata/targeting/segment" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "TTD-Auth", "ttd-token-123")
	desttest.JSONEqual(t, r.Body, `{"AdvertiserId":"adv-1","SegmentName":"VIP users","Region":"EU","DataProviderId":"twilio"}`)

	srv = desttest.NewServer(t,
		desttest.Reply{Body: `{"Segments":[{"CrmDataId":"crm-1"}],"PagingToken":"p 2"}`},
		desttest.Reply{Body: `{"Segments":[{"CrmDataId":"crm-9"}],"PagingToken":"p3"}`})
	if _, err := srv.Client().RunHook(context.Background(), inst, SyncAudience, audienceHook.Key, []byte(`{"externalId":"crm-9"}`), nil); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[0].Path != "/v3/crmdata/segment/adv-1" || rs[0].RawQuery != "" || rs[1].RawQuery != "pagingToken=p+2" {
		t.Fatalf("requests %+v", rs)
	}
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"Segments":[{"CrmDataId":"crm-1"}],"PagingToken":"p2"}`}, desttest.Reply{Body: `{"Segments":[],"PagingToken":"p3"}`})
	_, err = srv.Client().RunHook(context.Background(), inst, SyncAudience, audienceHook.Key, []byte(`{"externalId":"crm-404"}`), nil)
	if destkit.Classify(err).Outcome != destkit.Fail || !strings.Contains(err.Error(), "crm-404") {
		t.Fatalf("unknown segment: %v", err)
	}
	// The hook's id stands in for an event without one.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"Url":"` + dropURL + `"}`})
	ev := strings.ReplaceAll(audienceEvents(1)[0], `,"external_audience_id":"crm-9"`, "")
	m := string(SyncAudience.DefaultMapping())
	m = m[:len(m)-1] + `,"pii_type":"Email","onMappingSave":{"outputs":{"externalId":"crm-42"}}}`
	p := desttest.Render(t, Definition, "syncAudience", destkit.JSON(m), ev)
	payloads := make([][]byte, minDrop)
	for i := range payloads {
		payloads[i] = p
	}
	if err := srv.Client().SendBatch(context.Background(), inst, SyncAudience, payloads)[0]; err != nil {
		t.Fatal(err)
	}
	if r := srv.Requests()[0]; r.Path != "/v3/crmdata/segment/adv-1/crm-42" {
		t.Fatalf("drop %s", r.Path)
	}
}
