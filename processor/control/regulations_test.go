package control

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/actuate/actuate/processor/regulation"
	"github.com/actuate/actuate/processor/workspace"
)

type fakeRegulations struct {
	regs map[string]*regulation.Regulation
}

func (f *fakeRegulations) Create(_ context.Context, typ regulation.Type, ids []string, ws *workspace.Workspace) (*regulation.Regulation, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no user ids", regulation.ErrInvalid)
	}
	r := &regulation.Regulation{ID: fmt.Sprintf("reg_%d", len(f.regs)), Type: typ, UserIDs: ids, Destinations: map[string]*regulation.Status{}}
	for _, inst := range ws.Instances {
		r.Destinations[inst.ID] = &regulation.Status{Destination: inst.ID, State: regulation.StatePending}
	}
	f.regs[r.ID] = r
	return r, nil
}

func (f *fakeRegulations) Get(id string) (*regulation.Regulation, bool) {
	r, ok := f.regs[id]
	return r, ok
}

func (f *fakeRegulations) List() []*regulation.Regulation {
	var out []*regulation.Regulation
	for _, r := range f.regs {
		out = append(out, r)
	}
	return out
}

func TestRegulationEndpoints(t *testing.T) {
	c, _ := newAPI(t, Options{Regulations: &fakeRegulations{regs: map[string]*regulation.Regulation{}}})
	setup(c, "https://hooks.example.com/x")
	res := c.must(201, "POST", "/v1/regulations", `{"type":"suppress_with_delete","user_ids":["ada"]}`)
	if !strings.Contains(res.body, `"type": "SUPPRESS_WITH_DELETE"`) || !strings.Contains(res.body, `"hook"`) {
		t.Errorf("created %s", res.body)
	}
	c.must(201, "POST", "/v1/regulations", `{"regulationType":"SUPPRESS_ONLY","subjectType":"USER_ID","subjectIds":["bob"]}`)
	if got := c.must(200, "GET", "/v1/regulations/reg_1", "").body; !strings.Contains(got, `"bob"`) || !strings.Contains(got, `"SUPPRESS_ONLY"`) {
		t.Errorf("got %s", got)
	}
	c.must(404, "GET", "/v1/regulations/nope", "")
	if got := c.must(200, "GET", "/v1/regulations", "").body; !strings.Contains(got, `"reg_0"`) || !strings.Contains(got, `"reg_1"`) {
		t.Errorf("list %s", got)
	}
	c.must(400, "POST", "/v1/regulations", `{"type":"forget","user_ids":["x"]}`)
	c.must(400, "POST", "/v1/regulations", `{"type":"delete","user_ids":[]}`)
	c.must(400, "POST", "/v1/regulations", `{"regulationType":"DELETE_ONLY","subjectType":"EMAIL","subjectIds":["a@b.c"]}`)

	off, _ := newAPI(t, Options{})
	off.must(501, "POST", "/v1/regulations", `{"type":"delete","user_ids":["x"]}`)
	off.must(501, "GET", "/v1/regulations/x", "")
}
