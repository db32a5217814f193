package mapping

import "github.com/valyala/fastjson"

// EventJSON remembers the JSON written for an event's objects and arrays while the
// mappings of one event render, so that mappings copying the same object (say
// `$.properties` into several destinations) write it out once and copy it after. It is keyed
// by the parsed value, so every render must read the same unmodified event: Reset it before
// the next event, and do not use it for a copy of the event that was edited.
type EventJSON struct {
	buf     []byte
	entries []eventJSONEntry
}

type eventJSONEntry struct {
	v          *fastjson.Value
	start, end int
}

// maxEventJSONEntries bounds the linear lookup; mappings copy few whole objects.
const maxEventJSONEntries = 16

// Reset forgets everything; the next render is of another event.
func (j *EventJSON) Reset() {
	j.buf = j.buf[:0]
	j.entries = j.entries[:0]
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
