package mapping

import (
	"math"
	"strings"
	"sync"
	"unsafe"

	"github.com/valyala/fastjson"
)

// EventJSON remembers, while the mappings of one event render, what they read of the event:
// the JSON written for its objects and arrays, so that mappings copying the same object (say
// `$.properties` into several destinations) write it out once and copy it after; and what
// each static path resolved to, with its JSON, so that the paths mappings share
// (`$.userId`, `$.context.ip`…) are looked up and escaped once per event rather than once
// per mapping; paths read from values inside the event (the items of an @arrayPath) are
// remembered too, in a small table keyed by the value and the path. Paths are keyed by an id
// interned across all compiled mappings, values by the parsed value (fastjson's pointers,
// which its parser reuses for the next event), so every render must read the same
// unmodified event: Reset it before
// the next event, and do not use it for a copy of the event that was edited. Renders sharing
// one EventJSON must not run concurrently (the event's renders do not anyway: fastjson
// unescapes lazily in place).
type EventJSON struct {
	buf     []byte
	entries []eventJSONEntry
	// paths is indexed by path id; an entry belongs to the current event when its gen is
	// gen+1 (so the zero value of both is empty).
	paths []pathResult
	gen   uint32
	// inside holds paths read from values other than the root, by a hash of value and id;
	// a newer one overwrites an older one in its slot.
	inside [insideSlots]pathResult
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
	gen uint32
	// fallback: the walk met a value that is not a container, where JS property
	// semantics apply (path.lookupC); v is then unset.
	fallback bool
	v        *fastjson.Value // nil: absent
	// v's JSON is buf[start:end] once written (end > start: JSON is never empty).
	start, end int
	// In EventJSON.inside only: the value the path was read from, and the path's id.
	base *fastjson.Value
	id   int32
}

// insideSlots is the size of EventJSON.inside: a power of two, enough for the fields of an
// @arrayPath's items over a few items without many collisions.
const insideSlots = 64

// maxEventJSONEntries bounds the linear lookup; mappings copy few whole objects.
const maxEventJSONEntries = 16

// Reset forgets everything; the next render is of another event.
func (j *EventJSON) Reset() {
	j.buf = j.buf[:0]
	j.entries = j.entries[:0]
	j.gen++
	if j.gen == math.MaxUint32 {
		clear(j.paths)
		clear(j.inside[:])
		j.gen = 0
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
	if int(p.id) < len(j.paths) {
		if r := &j.paths[p.id]; r.gen == j.gen+1 {
			return r
		}
	}
	return c.resolve(p, root)
}

// resolve is resolved for a path not yet resolved in this event.
func (c *rctx) resolve(p *path, root *fastjson.Value) *pathResult {
	j := c.eventJSON
	if int(p.id) >= len(j.paths) {
		grown := make([]pathResult, max(int(p.id)+1, 2*len(j.paths)))
		copy(grown, j.paths)
		j.paths = grown
	}
	v, ok := p.evLookup(c, root)
	j.paths[p.id] = pathResult{gen: j.gen + 1, v: v, fallback: !ok}
	return &j.paths[p.id]
}

// resolvedInside is resolved for a path read from base, a value inside the event.
func (c *rctx) resolvedInside(p *path, base *fastjson.Value) *pathResult {
	j := c.eventJSON
	h := (uintptr(unsafe.Pointer(base))>>4 ^ uintptr(p.id)*0x9E3779B9) & (insideSlots - 1)
	r := &j.inside[h]
	if r.gen != j.gen+1 || r.base != base || r.id != p.id {
		v, ok := p.evLookup(c, base)
		*r = pathResult{gen: j.gen + 1, v: v, fallback: !ok, base: base, id: p.id}
	}
	return r
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

// Path ids are shared by every compiled mapping, so that mappings reading the same path
// share its lookup within an event. The table only grows; past maxPathIDs distinct paths
// (mappings compiled on demand, say by the Event Tester, over a long life) new paths get
// no id and are simply looked up every time.
var pathIDs = struct {
	sync.Mutex
	ids map[string]int32
}{ids: map[string]int32{}}

const maxPathIDs = 1 << 16

// internPath returns segs' id (ids start at 1; 0 is none).
func internPath(segs []string) int32 {
	key := strings.Join(segs, "\x00")
	pathIDs.Lock()
	defer pathIDs.Unlock()
	id, ok := pathIDs.ids[key]
	if !ok && len(pathIDs.ids) < maxPathIDs {
		id = int32(len(pathIDs.ids) + 1)
		pathIDs.ids[key] = id
	}
	return id
}
