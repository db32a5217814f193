package fql

import (
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/eventmemo"
)

// Memo remembers, for one event, what each field path read by the expressions evaluated
// against it resolved to, so that the triggers of an event's mappings (most of them read
// `type` and `event`) look each field up once, and each expression's result, so that
// mappings with the same trigger text evaluate it once. Paths and expressions are keyed
// by ids interned across all parsed expressions (the path's segments, the source text),
// and lookups by the parsed value (fastjson's pointers, which its parser reuses for the
// next event). A Memo serves the event it was Reset with, which must not change while it
// does; evaluations of any other value (a copy of the event that a filter edited, say) run
// without it. Not safe for concurrent use. The zero value serves no event.
type Memo struct {
	event   *fastjson.Value
	paths   eventmemo.Table[memoPath] // by path id
	results eventmemo.Table[Result]   // by expression id
}

type memoPath struct {
	ok bool            // false: the walk met a value that is not an object (walkObjects)
	j  *fastjson.Value // nil: absent
}

// Reset forgets everything: m serves evaluations of event from now on.
func (m *Memo) Reset(event *fastjson.Value) {
	m.event = event
	m.paths.Next()
	m.results.Next()
}

// lookup is n.walkObjects(event), remembered for the event.
func (m *Memo) lookup(n *pathNode, event *fastjson.Value) (*fastjson.Value, bool) {
	if r := m.paths.Get(n.id); r != nil {
		return r.j, r.ok
	}
	j, ok := n.walkObjects(event)
	m.paths.Put(n.id, memoPath{ok: ok, j: j})
	return j, ok
}

// result is e's result for event, which m serves, evaluated the first time.
func (m *Memo) result(e *Expr, event *fastjson.Value) Result {
	if r := m.results.Get(e.id); r != nil {
		return *r
	}
	r := e.result(event, m)
	m.results.Put(e.id, r)
	return r
}

// Ids are shared by every parsed expression, so that expressions reading the same path,
// or with the same text, share its lookup or result within an event; text with no id (see
// eventmemo.IDs) is simply evaluated every time.
var pathIDs, exprIDs eventmemo.IDs
