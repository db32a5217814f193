package fql

import (
	"math"
	"strings"
	"sync"

	"github.com/valyala/fastjson"
)

// Memo remembers, for one event, what each field path read by the expressions evaluated
// against it resolved to, so that the triggers of an event's mappings (most of them read
// `type` and `event`) look each field up once, and each expression's result, so that
// mappings with the same trigger text evaluate it once. Paths and expressions are keyed
// by ids interned across all parsed expressions (the path's segments, the source text),
// and lookups by the parsed value (fastjson's pointers, which its
// parser reuses for the next event), so every evaluation sharing a Memo must read the same
// unmodified event: Reset it before the next event, and do not pass it with a copy of the
// event that was edited. A Memo serves the first event it is used with after Reset;
// evaluations of any other value run without it. Not safe for concurrent use. The zero
// value is ready.
type Memo struct {
	event *fastjson.Value
	// paths is indexed by path id; an entry belongs to the current event when its gen is
	// gen+1 (so the zero value of both is empty).
	paths []memoPath
	// results is indexed by expression id, with gen as in paths.
	results []memoResult
	gen     uint32
}

type memoResult struct {
	gen uint32
	r   Result
}

type memoPath struct {
	gen uint32
	ok  bool            // false: the walk met a value that is not an object (walkObjects)
	j   *fastjson.Value // nil: absent
}

// Reset forgets everything; the next evaluation is of another event.
func (m *Memo) Reset() {
	m.event = nil
	m.gen++
	if m.gen == math.MaxUint32 {
		clear(m.paths)
		clear(m.results)
		m.gen = 0
	}
}

// use reports whether m may serve evaluations of event, binding it to event when it
// serves none yet.
func (m *Memo) use(event *fastjson.Value) bool {
	if m.event == nil {
		m.event = event
	}
	return m.event == event
}

// lookup is n.walkObjects(event), remembered for the event.
func (m *Memo) lookup(n *pathNode, event *fastjson.Value) (*fastjson.Value, bool) {
	if int(n.id) < len(m.paths) {
		if r := &m.paths[n.id]; r.gen == m.gen+1 {
			return r.j, r.ok
		}
	} else {
		grown := make([]memoPath, max(int(n.id)+1, 2*len(m.paths)))
		copy(grown, m.paths)
		m.paths = grown
	}
	j, ok := n.walkObjects(event)
	m.paths[n.id] = memoPath{gen: m.gen + 1, ok: ok, j: j}
	return j, ok
}

// result is e's result for event, which m serves, evaluated the first time.
func (m *Memo) result(e *Expr, event *fastjson.Value) Result {
	if int(e.id) < len(m.results) {
		if r := &m.results[e.id]; r.gen == m.gen+1 {
			return r.r
		}
	} else {
		grown := make([]memoResult, max(int(e.id)+1, 2*len(m.results)))
		copy(grown, m.results)
		m.results = grown
	}
	r := e.result(event, m)
	m.results[e.id] = memoResult{gen: m.gen + 1, r: r}
	return r
}

// Ids are shared by every parsed expression, so that expressions reading the same path,
// or with the same text, share its lookup or result within an event. The tables only
// grow; past maxIDs distinct keys (expressions parsed on demand over a long life), and for
// keys longer than maxIDKey, there is no id: the path or expression is simply evaluated
// every time. Both bounds keep text parsed for a person (the control API's checks) from
// growing the tables without limit.
type internTable struct {
	sync.Mutex
	ids map[string]int32
}

var (
	pathIDs = internTable{ids: map[string]int32{}}
	exprIDs = internTable{ids: map[string]int32{}}
)

const (
	maxIDs   = 1 << 16
	maxIDKey = 256
)

// intern returns key's id (ids start at 1; 0 is none).
func (t *internTable) intern(key string) int32 {
	if len(key) > maxIDKey {
		return 0
	}
	t.Lock()
	defer t.Unlock()
	id, ok := t.ids[key]
	if !ok && len(t.ids) < maxIDs {
		id = int32(len(t.ids) + 1)
		t.ids[key] = id
	}
	return id
}

// internPath returns the id of the path of segments.
func internPath(segments []string) int32 {
	return pathIDs.intern(strings.Join(segments, "\x00"))
}
