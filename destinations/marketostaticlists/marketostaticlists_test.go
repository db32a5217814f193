package marketostaticlists

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"client_id": "mk-client", "client_secret": "mk-secret", "api_endpoint": "https://123-ABC-456.mktorest.com/rest", "folder_name": "Segment Audiences"}
}

func audienceEvent(event, email string) string {
	return `{"type":"track","event":"` + event + `","userId":"u-1","properties":{"audience_key":"vip"},` +
		`"context":{"traits":{"email":"` + email + `"},"personas":{"computation_key":"vip","external_audience_id":"1044"}}}`
}

const ok = `{"requestId":"r-1","success":true}`

// The first request gets a token with the settings' client credentials.
func wantToken(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/identity/oauth/token" {
		t.Fatalf("got %s %s, want the token request", r.Method, r.Path)
	}
	form, _ := url.ParseQuery(string(r.Body))
	if form.Get("client_id") != "mk-client" || form.Get("client_secret") != "mk-secret" || form.Get("grant_type") != "client_credentials" {
		t.Fatalf("token form %v", form)
	}
}

const tokenReply = `{"access_token":"mk-token","token_type":"bearer","expires_in":3599,"scope":"api@example.com"}`

func TestAddToListDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: ok})
	p := desttest.RenderDefault(t, Definition, "addToList", audienceEvent("Audience Entered", "jane@example.com"))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AddToList, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantToken(t, rs[0])
	r := rs[1]
	if r.Method != "POST" || r.Path != "/bulk/v1/leads.json" || r.RawQuery != "format=csv&listId=1044&lookupField=email" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer mk-token")
	desttest.Header(t, r, "Content-Type", "multipart/form-data; boundary=--SEGMENT-DATA--")
	want := "----SEGMENT-DATA--\r\nContent-Disposition: form-data; name=\"file\"; filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
		"email\njane@example.com\r\n----SEGMENT-DATA----\r\n"
	if string(r.Body) != want {
		t.Fatalf("body %q", r.Body)
	}
}

// A batch's file has every field of the batch; the hook's list wins over
// the event's.
func TestAddToListBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: ok})
	hook := `"retlOnMappingSave":{"inputs":{},"outputs":{"id":"2088","name":"VIPs"}},`
	ps := [][]byte{
		desttest.Validate(t, Definition, "addToList", `{`+hook+`"external_id":"1044","lookup_field":"email","event_name":"Audience Entered","enable_batching":true,"batch_size":1000,"data":{"email":"a@example.com","firstName":"Ada, Countess"}}`),
		desttest.Validate(t, Definition, "addToList", `{`+hook+`"external_id":"1044","lookup_field":"email","event_name":"Audience Entered","enable_batching":true,"batch_size":1000,"data":{"email":"b@example.com","score":0,"company":"Acme"}}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), AddToList, ps)
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	r := srv.Requests()[1]
	if r.RawQuery != "format=csv&listId=2088&lookupField=email" {
		t.Fatalf("query %s", r.RawQuery)
	}
	want := "email,firstName,score,company\na@example.com,\"Ada, Countess\",,\nb@example.com,,,Acme"
	if got := string(r.Body); got[len("----SEGMENT-DATA--\r\nContent-Disposition: form-data; name=\"file\"; filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n"):len(got)-len("\r\n----SEGMENT-DATA----\r\n")] != want {
		t.Fatalf("csv in %q", got)
	}
}

func TestRemoveFromList(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply},
		desttest.Reply{Body: `{"success":true,"result":[{"id":318581,"email":"a@example.com"},{"id":318592,"email":"b@example.com"}]}`},
		desttest.Reply{Body: `{"success":true,"result":[{"id":318581,"status":"removed"},{"id":318592,"status":"removed"}]}`})
	ps := [][]byte{
		desttest.RenderDefault(t, Definition, "removeFromList", audienceEvent("Audience Exited", "a@example.com")),
		desttest.RenderDefault(t, Definition, "removeFromList", audienceEvent("Audience Exited", "b@example.com")),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), RemoveFromList, ps)
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	q, _ := url.ParseQuery(rs[1].RawQuery)
	if rs[1].Method != "GET" || rs[1].Path != "/rest/v1/leads.json" || q.Get("filterType") != "email" || q.Get("filterValues") != "a@example.com,b@example.com" {
		t.Fatalf("lookup %s %s?%s", rs[1].Method, rs[1].Path, rs[1].RawQuery)
	}
	desttest.Header(t, rs[1], "Authorization", "Bearer mk-token")
	if rs[2].Method != "DELETE" || rs[2].Path != "/rest/v1/lists/1044/leads.json" || rs[2].RawQuery != "id=318581,318592" {
		t.Fatalf("removal %s %s?%s", rs[2].Method, rs[2].Path, rs[2].RawQuery)
	}
	// Leads Marketo does not know: nothing to remove.
	srv = desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: `{"success":true,"result":[]}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), RemoveFromList, ps[0]); err != nil || len(srv.Requests()) != 2 {
		t.Fatalf("unknown lead: %v, %d requests", err, len(srv.Requests()))
	}
}

// Marketo's error codes decide: 601/602 renew the token and send again,
// permanent codes fail, others retry.
func TestErrors(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "addToList", audienceEvent("Audience Entered", "jane@example.com"))
	for _, tc := range []struct {
		reply string
		want  destkit.Outcome
	}{
		{`{"success":false,"errors":[{"code":"1003","message":"Empty file"}]}`, destkit.Fail},
		{`{"success":false,"errors":[{"code":"615","message":"Concurrent access limit reached"}]}`, destkit.Retry},
		{`{"success":false}`, destkit.Retry},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: tc.reply})
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AddToList, p)
		if v := destkit.Classify(err); v.Outcome != tc.want {
			t.Errorf("%s: %v (%v)", tc.reply, v, err)
		}
	}
	srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: `{"success":false,"errors":[{"code":"601","message":"Access token invalid"}]}`},
		desttest.Reply{Body: `{"access_token":"mk-token-2"}`}, desttest.Reply{Body: ok})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AddToList, p); err != nil {
		t.Fatal(err)
	}
	if rs := srv.Requests(); len(rs) != 4 || rs[3].Header.Get("Authorization") != "Bearer mk-token-2" {
		t.Fatalf("601: %d requests", len(rs))
	}
	statuses := desttest.Statuses(`{"success":false}`)[2:] // 429, 500, 503; a 4xx is below
	desttest.ErrorPathsFor(t, Definition, settings(), AddToList, p, append(statuses, desttest.Status{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail}))
	noList := desttest.Validate(t, Definition, "addToList", `{"lookup_field":"email","event_name":"Audience Entered","enable_batching":true,"batch_size":1,"data":{"email":"a@example.com"}}`)
	var pv *destkit.PayloadValidationError
	if err := desttest.NewServer(t, desttest.Reply{Body: tokenReply}).Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AddToList, noList); !errors.As(err, &pv) || pv.Field != "external_id" {
		t.Fatalf("no list: %v", err)
	}
}

// The hook connects an existing list or creates one in the settings' folder.
func TestListHook(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: tokenReply},
		desttest.Reply{Body: `{"success":true,"result":[{"id":77,"name":"Segment Audiences"}]}`},
		desttest.Reply{Body: `{"success":true,"result":[{"id":2088,"name":"VIP users"}]}`})
	out, err := srv.Client().RunHook(context.Background(), inst, AddToList, "retlOnMappingSave", []byte(`{"list_name":"VIP users"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"2088","name":"VIP users"}}`)
	rs := srv.Requests()
	if q, _ := url.ParseQuery(rs[1].RawQuery); rs[1].Path != "/rest/asset/v1/folder/byName.json" || q.Get("name") != "Segment Audiences" {
		t.Fatalf("folder lookup %s?%s", rs[1].Path, rs[1].RawQuery)
	}
	if q, _ := url.ParseQuery(rs[2].RawQuery); rs[2].Method != "POST" || rs[2].Path != "/rest/asset/v1/staticLists.json" || q.Get("folder") != "77" || q.Get("name") != "VIP users" {
		t.Fatalf("create %s %s?%s", rs[2].Method, rs[2].Path, rs[2].RawQuery)
	}
	srv = desttest.NewServer(t, desttest.Reply{Body: tokenReply}, desttest.Reply{Body: `{"success":true,"result":[{"id":2088,"name":"VIP users"}]}`})
	out, err = srv.Client().RunHook(context.Background(), inst, AddToList, "retlOnMappingSave", []byte(`{"list_id":"2088"}`), nil)
	if err != nil || srv.Requests()[1].Path != "/rest/asset/v1/staticList/2088.json" {
		t.Fatalf("existing list: %v", err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"2088","name":"VIP users"}}`)
}
