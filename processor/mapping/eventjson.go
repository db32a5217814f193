package mapping

import (
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/eventmemo"
)

// EventJSON remembers, while the mappings of one event render, what they read of the event:
// the JSON written for its objects and arrays, so that mappings copying the same object (say
// `$.properties` into several destinations) write it out once and copy it after; and what
// each static path resolved to, with its JSON, so that the paths mappings share
// (`$.userId`, `$.context.ip`…) are looked up and escaped once per event rather than once
// per mapping; paths read from values inside the event (the items of an @arrayPath) are
// remembered too, in a small table keyed by the value and the path. Paths are keyed by an id
// interned across all compiled mappings, values by the parsed value (fastjson's pointers,
// which its parser reuses for the next event). An EventJSON serves the event it was Reset
// with, which must not change while it does; renders of any other value (a copy of the
// event that a filter edited, say) run without it. Renders sharing one EventJSON must not
// run concurrently (the event's renders do not anyway: fastjson unescapes lazily in place).
// The zero value serves no event.
type EventJSON struct {
	event   *fastjson.Value // the event served (Reset)
	buf     []byte
	entries []eventJSONEntry
	// paths holds what each static path read from the root resolved to, by path id.
	paths eventmemo.Table[pathResult]
	// inside holds paths read from values other than the root, by a hash of value and id;
	// a newer one overwrites an older one in its slot, and one without the current stamp
	// (paths.Stamp) is an older event's.
	inside [insideSlots]insideResult
	// rctx is the render context of the renders that use this memory, which are never
	// concurrent: it saves a trip through rctxPool per render.
	rctx rctx
}

type eventJSONEntry struct {
	v          *fastjson.Value
	start, end int
}

// pathResult is what one static path resolved to in the current event.
type pathResult struct {
	// fallback: the walk met a value that is not a container, where JS property
	// semantics apply (path.lookupC); v is then unset.
	fallback bool
	v        *fastjson.Value // nil: absent
	// v's JSON is buf[start:end] once written (end > start: JSON is never empty).
	start, end int
}

// insideResult is a pathResult in EventJSON.inside: with the value the path was read
// from, the path's id, and the stamp of the event it was read in.
type insideResult struct {
	pathResult
	base  *fastjson.Value
	id    int32
	stamp uint32
}

// insideSlots is the size of EventJSON.inside: a power of two, enough for the fields of an
// @arrayPath's items over a few items without many collisions.
const insideSlots = 64

// maxEventJSONEntries bounds the linear lookup; mappings copy few whole objects.
const maxEventJSONEntries = 16

// Reset forgets everything: j serves renders of event from now on.
func (j *EventJSON) Reset(event *fastjson.Value) {
	j.event = event
	j.buf = j.buf[:0]
	j.entries = j.entries[:0]
	if j.paths.Next() {
		clear(j.inside[:]) // their stamps start again too
	}
}

// append writes v's JSON, from the cache when it holds it. Strings, numbers and literals
// are written directly: copying them costs as much as writing them.
func (j *EventJSON) append(dst []byte, v *fastjson.Value) []byte {
	if j == nil {
		return appendEventJSON(dst, v)
	}
	if t := v.Type(); t != fastjson.TypeObject && t != fastjson.TypeArray {
		return appendEventJSON(dst, v)
	}
	for _, e := range j.entries {
		if e.v == v {
			return append(dst, j.buf[e.start:e.end]...)
		}
	}
	start := len(dst)
	dst = appendEventJSON(dst, v)
	if len(j.entries) < maxEventJSONEntries {
		at := len(j.buf)
		j.buf = append(j.buf, dst[start:]...)
		j.entries = append(j.entries, eventJSONEntry{v: v, start: at, end: len(j.buf)})
	}
	return dst
}

// resolved is p.evLookup(c, root) remembered for the event, or nil when the render keeps
// no memory. root is the event's root or a value inside it (an @arrayPath item): the render
// reads nothing else. The result points into j: use it before the next call.
func (c *rctx) resolved(p *path, root *fastjson.Value) *pathResult {
	j := c.eventJSON
	if j == nil || root == nil || p.id == 0 {
		return nil
	}
	if root != c.root {
		return c.resolvedInside(p, root)
	}
	if r := j.paths.Get(p.id); r != nil {
		return r
	}
	return c.resolve(p, root)
}

// resolve is resolved for a path not yet resolved in this event.
func (c *rctx) resolve(p *path, root *fastjson.Value) *pathResult {
	v, ok := p.evLookup(c, root)
	return c.eventJSON.paths.Put(p.id, pathResult{v: v, fallback: !ok})
}

// resolvedInside is resolved for a path read from base, a value inside the event.
func (c *rctx) resolvedInside(p *path, base *fastjson.Value) *pathResult {
	j := c.eventJSON
	h := (uintptr(unsafe.Pointer(base))>>4 ^ uintptr(p.id)*0x9E3779B9) & (insideSlots - 1)
	r := &j.inside[h]
	if stamp := j.paths.Stamp(); r.stamp != stamp || r.base != base || r.id != p.id {
		v, ok := p.evLookup(c, base)
		*r = insideResult{pathResult: pathResult{v: v, fallback: !ok}, base: base, id: p.id, stamp: stamp}
	}
	return &r.pathResult
}

// appendResolved appends the JSON of r.v (which must be set), writing it the first time.
func (j *EventJSON) appendResolved(dst []byte, r *pathResult) []byte {
	if r.end > 0 {
		return append(dst, j.buf[r.start:r.end]...)
	}
	return append(dst, j.resolvedJSON(r)...)
}

// resolvedJSON is the JSON of r.v (which must be set), valid until the next write to j.
func (j *EventJSON) resolvedJSON(r *pathResult) []byte {
	if r.end > 0 {
		return j.buf[r.start:r.end]
	}
	r.start = len(j.buf)
	if t := r.v.Type(); t == fastjson.TypeObject || t == fastjson.TypeArray {
		for _, e := range j.entries {
			if e.v == r.v {
				r.start, r.end = e.start, e.end
				return j.buf[r.start:r.end]
			}
		}
		j.buf = appendEventJSON(j.buf, r.v)
		if len(j.entries) < maxEventJSONEntries {
			j.entries = append(j.entries, eventJSONEntry{v: r.v, start: r.start, end: len(j.buf)})
		}
	} else {
		j.buf = appendEventJSON(j.buf, r.v)
	}
	r.end = len(j.buf)
	return j.buf[r.start:r.end]
}

// pathIDs gives path ids: shared by every compiled mapping, so that mappings reading the
// same path share its lookup within an event; a path with no id (see eventmemo.IDs) is
// simply looked up every time.
var pathIDs eventmemo.IDs
