package control

import (
	"context"
	"strings"
	"testing"
)

// POST /v1/batch writes all its objects or none.
func TestBatchAllOrNone(t *testing.T) {
	c, mem := newAPI(t, Options{})
	t.Setenv("ACTUATE_TEST_BATCH_SECRET", "s3")
	body := `{"message":"import","sources":[{"id":"web","topics":["events"]}],"destinations":[
	  {"id":"hook","type":"webhook","sources":["web"],"enabled":true,"settings":{"sharedSecret":"${env:ACTUATE_TEST_BATCH_SECRET}"},
	   "filters":[{"id":"bots","if":"context.userAgent = \"bot\"","actions":[{"type":"drop"}]}],
	   "mappings":[{"id":"m1","name":"Tracks","enabled":true,"action":"send","trigger":"type = \"track\"","mapping":{"url":"https://example.com","method":"POST"}}]}]}`
	r := c.must(201, "POST", "/v1/batch", body).json(t)
	if strings.Join(toStrings(r["created"]), ",") != "source/web,destination/hook" {
		t.Errorf("created %v", r["created"])
	}
	inst := mem.Workspace().Instance("hook")
	if inst == nil || len(inst.Mappings) != 1 || len(inst.Filters) != 1 {
		t.Fatalf("instance %+v", inst)
	}
	// The same again: every id exists, nothing written.
	rev := mem.Snapshot().Revision
	if r := c.must(409, "POST", "/v1/batch", body); !strings.Contains(r.body, "source/web, destination/hook") {
		t.Errorf("409 body %s", r.body)
	}
	// A new source with an invalid destination: neither is written.
	bad := `{"sources":[{"id":"app","topics":["app-events"]}],"destinations":[{"id":"x","type":"no-such-type","sources":["app"],"enabled":true}]}`
	if r := c.must(422, "POST", "/v1/batch", bad); !strings.Contains(r.body, "no-such-type") {
		t.Errorf("422 body %s", r.body)
	}
	if mem.Snapshot().Revision != rev {
		t.Error("a refused batch wrote something")
	}
	if _, ok := mem.Snapshot().Object("source/app"); ok {
		t.Error("source/app written by a refused batch")
	}
	c.must(400, "POST", "/v1/batch", `{}`)
	c.must(400, "POST", "/v1/batch", `{"sources":[{"id":"a","topics":["t"]},{"id":"a","topics":["t"]}]}`)
	entries, _ := mem.History(context.Background(), 10, 0)
	if len(entries) != 1 || len(entries[0].Changes) != 2 || !strings.Contains(entries[0].Message, "import") {
		t.Errorf("history %+v", entries)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
