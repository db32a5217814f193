package attio

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// GroupWorkspace asserts a company by domain and a workspace linked to it.
// One event needs the company's record ID from the first response, so the
// single-event form is a two-step Run; batches nest the company assertion
// instead.
var GroupWorkspace = &destkit.Action{
	Key:         "groupWorkspace",
	Title:       "Group Workspace",
	Description: "Create or update an Attio workspace and the company it belongs to, found by domain.",
	Fields:      []destkit.Field{domain, workspaceID, userIDAlt, companyAttributes, workspaceAttributes, enableBatching, batchSize, receivedAtField},
	Batch:       &destkit.Batch{MaxSize: 1000},
	Run:         groupWorkspace,
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return batchRequest(in, func(p *fastjson.Value) assertion {
			return workspaceAssertion(p, func(w *destkit.JSONWriter) { writeNested(w, companyAssertion(p)) })
		}), nil
	},
}

func companyAssertion(p *fastjson.Value) assertion {
	return assertion{object: "companies", matching: "domains", values: func(w *destkit.JSONWriter) {
		w.Key("domains")
		w.Value(p.Get("domain"))
		spread(w, p.GetObject("company_attributes"), "domains")
	}}
}

func workspaceAssertion(p *fastjson.Value, company func(w *destkit.JSONWriter)) assertion {
	return assertion{object: "workspaces", matching: "workspace_id", values: func(w *destkit.JSONWriter) {
		w.Key("workspace_id")
		w.Value(p.Get("workspace_id"))
		w.Key("company")
		company(w)
		if u := p.Get("user_id"); u != nil {
			w.Key("users")
			w.ArrayStart()
			w.Value(u)
			w.ArrayEnd()
		}
		spread(w, p.GetObject("workspace_attributes"), "workspace_id", "company", "users")
	}}
}

func groupWorkspace(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	r := simpleRequest(companyAssertion(p))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return err
	}
	id := fastjson.GetString(resp.Body, "data", "id", "record_id")
	if id == "" {
		return &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Attio returned no company record ID", Retryable: true}
	}
	r = simpleRequest(workspaceAssertion(p, func(w *destkit.JSONWriter) { w.String(id) }))
	_, err = d.Do(ctx, &r)
	return err
}
