package klaviyo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func runListHook(t *testing.T, srv *desttest.Server, inputs string) ([]byte, error) {
	t.Helper()
	return srv.Client().RunHook(context.Background(), inst(t), UpsertProfile, "retlOnMappingSave", []byte(inputs), nil)
}

func TestListHookSelectsList(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"data":{"type":"list","id":"Xy9Z","attributes":{"name":"VIPs"}}}`})
	out, err := runListHook(t, srv, `{"list_identifier":"Xy9Z","list_name":"ignored"}`)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"Xy9Z","name":"VIPs"}}`)
	r := srv.Only(t)
	want(t, r, "GET", "/api/lists/Xy9Z", "")
	if len(r.Body) != 0 {
		t.Fatalf("body %s", r.Body)
	}
}

func TestListHookCreatesList(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"data":{"type":"list","id":"New1","attributes":{"name":"Churn risk \"Q3\""}}}`})
	out, err := runListHook(t, srv, `{"list_name":"Churn risk \"Q3\""}`)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"New1","name":"Churn risk \"Q3\""}}`)
	r := srv.Only(t)
	want(t, r, "POST", "/api/lists", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"list","attributes":{"name":"Churn risk \"Q3\""}}}`)
}

func TestListHookErrors(t *testing.T) {
	// Neither input: nothing is sent, and the name is asked for.
	srv := desttest.NewServer(t)
	_, err := runListHook(t, srv, `{}`)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "list_name" || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
	// Klaviyo refusing the person's input names that input.
	for inputs, field := range map[string]string{`{"list_identifier":"nope"}`: "list_identifier", `{"list_name":"x"}`: "list_name"} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"errors":[{"code":"not_found","detail":"A list with id nope does not exist."}]}`})
		_, err := runListHook(t, srv, inputs)
		if !errors.As(err, &pv) || pv.Field != field || !strings.Contains(pv.Message, "does not exist") || !strings.Contains(pv.Message, "404") {
			t.Errorf("%s: %v", inputs, err)
		}
	}
	// Klaviyo failing, or refusing the key, is not the input's fault; the key never shows.
	for status, outcome := range map[int]destkit.Outcome{500: destkit.Retry, 503: destkit.Retry, 401: destkit.Fail, 429: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"errors":[{"detail":"down"}]}`})
		_, err := runListHook(t, srv, `{"list_name":"x"}`)
		if errors.As(err, &pv) || destkit.Classify(err).Outcome != outcome || strings.Contains(err.Error(), "pk_test_123") {
			t.Errorf("%d: %v", status, err)
		}
	}
	// An answer without a list is not saved.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"data":null}`})
	if _, err := runListHook(t, srv, `{"list_identifier":"Xy9Z"}`); err == nil {
		t.Fatal("saved a list without an id")
	}
}

func TestListChoices(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"data":[{"type":"list","id":"L1","attributes":{"name":"Newsletter"}},{"type":"list","id":"L2","attributes":{"name":"VIPs"}}],` +
			`"links":{"next":"https://a.klaviyo.com/api/lists/?page%5Bcursor%5D=c2"}}`},
		desttest.Reply{Body: `{"data":[{"type":"list","id":"L3","attributes":{"name":"Churn"}}],"links":{"next":null}}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst(t), UpsertProfile, "retlOnMappingSave.list_identifier", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != (destkit.Choice{Value: "L1", Label: "Newsletter"}) || got[2] != (destkit.Choice{Value: "L3", Label: "Churn"}) {
		t.Fatalf("%v", got)
	}
	rs := srv.Requests()
	want(t, rs[0], "GET", "/api/lists/", "")
	want(t, rs[1], "GET", "/api/lists/", "page%5Bcursor%5D=c2")
	// Every action that names a list offers the account's lists.
	for _, a := range []*destkit.Action{SubscribeProfile, UnsubscribeProfile, RemoveProfile} {
		if a.Field("list_id").Dynamic == nil {
			t.Errorf("%s: list_id is not dynamic", a.Key)
		}
	}
	// A next link off Klaviyo's API is not followed with the key.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"data":[],"links":{"next":"https://evil.example.com/api/lists/"}}`})
	if _, err := srv.Client().FieldChoices(context.Background(), inst(t), RemoveProfile, "list_id", nil); err != nil || len(srv.Requests()) != 1 {
		t.Fatalf("%d requests, %v", len(srv.Requests()), err)
	}
	// Errors pass through for the control API to classify.
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	if _, err := srv.Client().FieldChoices(context.Background(), inst(t), RemoveProfile, "list_id", nil); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

// A Reverse ETL mapping whose hook connected a list adds every profile to it.
func TestUpsertProfileHookList(t *testing.T) {
	hook := `"retlOnMappingSave":{"inputs":{"list_name":"VIPs"},"outputs":{"id":"HOOK1","name":"VIPs"}}`
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"data":{"id":"01P"}}`}, desttest.Reply{Status: 204})
	p := desttest.Validate(t, Definition, "upsertProfile", `{`+hook+`,"email":"ada@example.com","list_id":"L1","override_list_id":"L2"}`)
	if err := srv.Client().Send(context.Background(), inst(t), UpsertProfile, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[0].Body, `{"data":{"type":"profile","attributes":{"email":"ada@example.com"}}}`)
	want(t, rs[1], "POST", "/api/lists/HOOK1/relationships/profiles/", "")

	// A batch takes the hook's list over List, and the override over both.
	for override, list := range map[string]string{``: "HOOK1", `,"override_list_id":"L2"`: "L2"} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: `{"data":{"id":"job1"}}`})
		ps := [][]byte{desttest.Validate(t, Definition, "upsertProfile", `{`+hook+`,"email":"a@example.com","list_id":"L1"`+override+`}`)}
		if errs := srv.Client().SendBatch(context.Background(), inst(t), UpsertProfile, ps); errs[0] != nil {
			t.Fatal(errs[0])
		}
		desttest.JSONEqual(t, srv.Only(t).Body, `{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[`+
			`{"type":"profile","attributes":{"email":"a@example.com"}}]}},"relationships":{"lists":{"data":[{"type":"list","id":"`+list+`"}]}}}}`)
	}
}
