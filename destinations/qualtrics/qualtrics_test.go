package qualtrics

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiToken": "q-secret", "datacenter": "fra1"}

func init() {
	transactionKey = func() string { return "k1234567890abcde" }
	now = func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }
}

// checkAPI checks one directory API call.
func checkAPI(t *testing.T, r desttest.Recorded, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "X-API-TOKEN", "q-secret")
	desttest.Header(t, r, "Internal-Team", "integrations")
	desttest.Header(t, r, "Internal-Service", "segment-destination")
}

const identify = `{"type":"identify","userId":"user-1042","anonymousId":"anon-5c1e","traits":{"email":"jane.doe@example.com",` +
	`"phone":"+14155550123","firstName":"Jane","lastName":"Doe","qualtricsMailingListId":"CG_1"},"timestamp":"2026-03-02T10:15:42.500Z"}`

func TestAddContactToXmd(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "addContactToXmd", destkit.JSON(AddContactToXmd.DefaultMapping()[:len(AddContactToXmd.DefaultMapping())-1])+
		`,"directoryId":"POOL_1","embeddedData":{"plan":"pro"}}`, identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), AddContactToXmd, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	checkAPI(t, r, "POST", "/API/v3/directories/POOL_1/contacts")
	desttest.JSONEqual(t, r.Body, `{"firstName":"Jane","lastName":"Doe","phone":"+14155550123","email":"jane.doe@example.com",
		"extRef":"user-1042","unsubscribed":false,"language":"EN","embeddedData":{"plan":"pro"}}`)
}

func TestDatacenterIsOneHostLabel(t *testing.T) {
	p := desttest.Validate(t, Definition, "addContactToXmd", `{"directoryId":"POOL_1","extRef":"u-1"}`)
	for _, dc := range []string{"evil.example.com/x", "iad1.evil", "a b"} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiToken": "q-secret", "datacenter": dc})
		_, err := desttest.Perform(AddContactToXmd, inst, p)
		if pv, ok := err.(*destkit.PayloadValidationError); !ok || pv.Field != "datacenter" {
			t.Errorf("%q: %v", dc, err)
		}
	}
	// The default data center is iad1.
	reqs, err := desttest.Perform(AddContactToXmd, desttest.Instance(t, Definition, map[string]any{"apiToken": "q-secret"}), p)
	if err != nil || reqs[0].URL != "https://iad1.qualtrics.com/API/v3/directories/POOL_1/contacts" {
		t.Fatalf("%v %v", reqs, err)
	}
}

// transaction renders Upsert Contact Transaction's default mapping over a
// track event, with the directory and transaction data mapped.
func transaction(t *testing.T, traits string) []byte {
	ev := `{"type":"track","event":"Transaction Created","userId":"user-1042","traits":` + traits + `,` +
		`"properties":{"amount":42.5,"store":"Berlin","paid":true},"timestamp":"2026-03-02T10:15:42.500Z"}`
	m := string(UpsertContactTransaction.DefaultMapping())
	return desttest.Render(t, Definition, "upsertContactTransaction",
		destkit.JSON(m[:len(m)-1]+`,"directoryId":"POOL_1","transactionData":{"@path":"$.properties"}}`), ev)
}

const wantTransaction = `{"k1234567890abcde":{"contactId":"CID_9","mailingListId":"CG_1",` +
	`"data":{"amount":42.5,"store":"Berlin","paid":true},"transactionDate":"2026-03-02 10:15:42"}}`

func TestUpsertContactTransactionWithContactID(t *testing.T) {
	srv := desttest.NewServer(t)
	p := transaction(t, `{"qualtricsContactId":"CID_9","qualtricsMailingListId":"CG_1"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertContactTransaction, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	checkAPI(t, r, "POST", "/API/v3/directories/POOL_1/transactions")
	desttest.JSONEqual(t, r.Body, wantTransaction)
}

func TestUpsertContactTransactionFindsContact(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"result":{"elements":[{"id":"CID_9"}]}}`})
	p := transaction(t, `{"email":"jane.doe@example.com","qualtricsMailingListId":"CG_1"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertContactTransaction, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	checkAPI(t, rs[0], "POST", "/API/v3/directories/POOL_1/contacts/search")
	desttest.JSONEqual(t, rs[0].Body, `{"filter":{"conjunction":"and","filters":[
		{"filterType":"extRef","comparison":"eq","value":"user-1042"},{"filterType":"email","comparison":"eq","value":"jane.doe@example.com"}]}}`)
	checkAPI(t, rs[1], "POST", "/API/v3/directories/POOL_1/transactions")
	desttest.JSONEqual(t, rs[1].Body, wantTransaction)
}

func TestUpsertContactTransactionCreatesContact(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"result":{"elements":[]}}`},
		desttest.Reply{Body: `{"result":{"id":"CID_9"}}`})
	p := transaction(t, `{"qualtricsMailingListId":"CG_1"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertContactTransaction, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	// One identifier: a single filter.
	desttest.JSONEqual(t, rs[0].Body, `{"filter":{"filterType":"extRef","comparison":"eq","value":"user-1042"}}`)
	checkAPI(t, rs[1], "POST", "/API/v3/directories/POOL_1/contacts")
	desttest.JSONEqual(t, rs[1].Body, `{"extRef":"user-1042","unsubscribed":false,"language":"EN"}`)
	desttest.JSONEqual(t, rs[2].Body, wantTransaction)
}

func TestUpsertContactTransactionFailures(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	p := transaction(t, `{"qualtricsMailingListId":"CG_1"}`)
	for _, tc := range []struct {
		name    string
		replies []desttest.Reply
		want    destkit.Outcome
	}{
		{"two contacts match", []desttest.Reply{{Body: `{"result":{"elements":[{"id":"a"},{"id":"b"}]}}`}}, destkit.Fail},
		{"search answers without elements", []desttest.Reply{{Body: `{"meta":{}}`}}, destkit.Fail},
		{"search is down", []desttest.Reply{{Status: 503}}, destkit.Retry},
		{"creation refused", []desttest.Reply{{Body: `{"result":{"elements":[]}}`}, {Status: 400, Body: `{"meta":{"error":{"errorMessage":"bad"}}}`}}, destkit.Fail},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), inst, UpsertContactTransaction, p)
		if got := destkit.Classify(err).Outcome; got != tc.want {
			t.Errorf("%s: %v (%v)", tc.name, got, err)
		}
		for _, r := range srv.Requests() {
			if r.Path == "/API/v3/directories/POOL_1/transactions" {
				t.Errorf("%s: the transaction was sent", tc.name)
			}
		}
	}
	// No identifier at all (a payload that skipped validation) cannot be
	// looked up.
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), inst, UpsertContactTransaction, []byte(`{"directoryId":"POOL_1","mailingListId":"CG_1"}`)); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("%v, %d requests", err, len(srv.Requests()))
	}
}

func TestTransactionDataAndDate(t *testing.T) {
	srv := desttest.NewServer(t)
	// A nested value is replaced by the JSON text of the whole transaction
	// data; a missing date is now.
	p := desttest.Validate(t, Definition, "upsertContactTransaction", `{"directoryId":"POOL_1","mailingListId":"CG_1","contactId":"CID_9",`+
		`"extRef":"u-1","transactionData":{"sku":"a","tags":["x"],"n":1}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertContactTransaction, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"k1234567890abcde":{"contactId":"CID_9","mailingListId":"CG_1",`+
		`"data":{"sku":"a","tags":"{\"sku\":\"a\",\"tags\":[\"x\"],\"n\":1}","n":1},"transactionDate":"2026-03-02 12:00:00"}}`)
	if k := randomKey(); len(k) != 16 {
		t.Errorf("key %q", k)
	}
}

func TestTriggerXflowWorkflow(t *testing.T) {
	srv := desttest.NewServer(t)
	url := "https://iad1.qualtrics.com/inbound-event/v1/events/json/triggers?token=abc"
	m := string(TriggerXflowWorkflow.DefaultMapping())
	p := desttest.Render(t, Definition, "triggerXflowWorkflow", destkit.JSON(m[:len(m)-1]+`,"workflowUrl":"`+url+`"}`),
		`{"type":"track","event":"Signed Up","userId":"user-1042","properties":{"plan":"pro"},"context":{"ip":"203.0.113.7"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TriggerXflowWorkflow, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/inbound-event/v1/events/json/triggers" || r.RawQuery != "token=abc" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "X-API-TOKEN", "q-secret")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `{"event":"Signed Up","type":"track","userId":"user-1042","properties":{"plan":"pro"},"context":{"ip":"203.0.113.7"}}`)

	// The token goes to Qualtrics only.
	for _, u := range []string{"http://iad1.qualtrics.com/x", "https://evil.example.com/x", "https://qualtrics.com.evil.io/x", "https://a@iad1.qualtrics.com/x"} {
		p := desttest.Validate(t, Definition, "triggerXflowWorkflow", `{"workflowUrl":"`+u+`"}`)
		if _, err := desttest.Perform(TriggerXflowWorkflow, desttest.Instance(t, Definition, settings), p); destkit.Classify(err).Outcome != destkit.Fail || err == nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestDirectoryChoices(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"result":{"elements":[{"directoryId":"POOL_1","name":"Customers"},{"directoryId":"POOL_2","name":"Staff"}]}}`})
	choices, err := srv.Client().FieldChoices(context.Background(), desttest.Instance(t, Definition, settings), AddContactToXmd, "directoryId", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(choices) != 2 || choices[0] != (destkit.Choice{Value: "POOL_1", Label: "Customers"}) || choices[1].Value != "POOL_2" {
		t.Fatalf("%v", choices)
	}
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != "/API/v3/directories/" || len(r.Body) != 0 {
		t.Fatalf("got %s %s %q", r.Method, r.Path, r.Body)
	}
	desttest.Header(t, r, "X-API-TOKEN", "q-secret")
}

func TestErrorPaths(t *testing.T) {
	statuses := desttest.Statuses(`{"meta":{"httpStatus":"400 - Bad Request","error":{"errorMessage":"Invalid directory"}}}`)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"directoryId":"POOL_1","mailingListId":"CG_1","contactId":"CID_9","extRef":"u-1","workflowUrl":"https://iad1.qualtrics.com/t"}`, statuses)
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "addContactToXmd", Payload: `{"extRef":"u-1"}`, Field: "directoryId"},
		{Action: "upsertContactTransaction", Payload: `{"directoryId":"POOL_1","extRef":"u-1"}`, Field: "mailingListId"},
		{Action: "triggerXflowWorkflow", Payload: `{"workflowUrl":"https://example.com/x"}`, Field: "workflowUrl"},
	})
}
