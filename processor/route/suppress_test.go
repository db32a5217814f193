package route

import (
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

type suppressed map[string]bool

func (s suppressed) Suppressed(id []byte) bool { return s[string(id)] }

// TestSuppressedUsers: a suppressed user's event is filtered for every instance with
// stage suppressed, before any control or filter; others route on.
func TestSuppressedUsers(t *testing.T) {
	src := &workspace.Source{ID: "web"}
	inst := &workspace.Instance{ID: "hook"}
	r := New(nil)
	r.SetSuppression(suppressed{"ada": true})
	for event, want := range map[string]schemas.Stage{
		`{"type":"track","userId":"ada","integrations":{"All":false}}`: schemas.StageSuppressed,
		`{"type":"track","userId":"bob"}`:                              schemas.StageTrigger,
		`{"type":"track","anonymousId":"ada"}`:                         schemas.StageTrigger,
	} {
		ev := fastjson.MustParse(event)
		r.Protocols(src, ev)
		if got := r.Instance(src, inst, nil, ev, nil); got.Stage != want {
			t.Errorf("%s: %+v, want stage %q", event, got, want)
		}
	}
}

// Checking an event's user against the suppressed users costs no allocation: it runs for
// every event once regulations exist.
func TestSuppressionCheckDoesNotAllocate(t *testing.T) {
	r := New(nil)
	r.SetSuppression(suppressed{"ada": true})
	ev := fastjson.MustParse(`{"type":"track","userId":"user-1042"}`)
	if n := testing.AllocsPerRun(100, func() { r.suppressedUser(ev) }); n != 0 {
		t.Errorf("%v allocations per check", n)
	}
}
