// Package event decodes Segment-spec events into fastjson trees that the engines read.
//
// Decoding is strict where JSON parsers in the wild disagree, because a mapping must see
// the same event that Segment's engine (JSON.parse) would: duplicate keys, NaN-like
// numbers, invalid UTF-8 and numbers outside float64 range are rejected rather than
// resolved one way or another.
package event

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// Defaults chosen from Segment's published limits: 32 KB per event at ingest; Kafka
// producers may send larger events, so the decoder allows more but still bounds them.
const (
	DefaultMaxBytes = 512 << 10
	DefaultMaxDepth = 64
)

// Error says why an event was rejected, naming the field when one is to blame.
type Error struct {
	Kind   Kind
	Field  string // JSON path of the offending field; empty for whole-event problems
	Reason string
}

// Kind is the class of a decoding error: few enough to label a metric.
type Kind uint8

// The kinds of decoding errors.
const (
	KindInvalidField Kind = iota // a field of the wrong type or value
	KindTooLarge
	KindInvalidUTF8
	KindMalformedJSON
	KindNotObject
	KindTooDeep
	KindDuplicateKey
	KindInvalidNumber
)

var kindReasons = [...]string{
	KindInvalidField:  "invalid event",
	KindTooLarge:      "event too large",
	KindInvalidUTF8:   "invalid UTF-8",
	KindMalformedJSON: "malformed JSON",
	KindNotObject:     "not a JSON object",
	KindTooDeep:       "nesting too deep",
	KindDuplicateKey:  "duplicate key",
	KindInvalidNumber: "invalid number",
}

// ReasonOf turns a decoding error into a short reason from a fixed set ("malformed JSON",
// "invalid field type"), so metric labels stay few whatever the input holds.
func ReasonOf(err error) string {
	e, ok := err.(*Error)
	if !ok || int(e.Kind) >= len(kindReasons) {
		return "invalid event"
	}
	if e.Kind == KindInvalidField && e.Field != "" && !strings.ContainsAny(e.Field, ".[") {
		return "invalid field " + e.Field
	}
	return kindReasons[e.Kind]
}

func (e *Error) Error() string {
	if e.Field == "" {
		return "invalid event: " + e.Reason
	}
	return "invalid event: " + e.Field + ": " + e.Reason
}

// Limits bound what one event may cost to decode.
type Limits struct {
	MaxBytes int // 0 means DefaultMaxBytes
	MaxDepth int // nesting of objects and arrays; 0 means DefaultMaxDepth
}

// Decoder reuses its parser between events; it is not safe for concurrent use.
// The value returned by Decode is valid until the next call.
type Decoder struct {
	parser fastjson.Parser
	limits Limits
	number []byte // scratch for the raw text of one number
	// SegmentSpec enables the type checks of the Segment spec on top-level fields.
	segmentSpec bool
}

// NewDecoder returns a decoder for arbitrary JSON objects (the Event Tester and CLI).
func NewDecoder(limits Limits) *Decoder {
	if limits.MaxBytes <= 0 {
		limits.MaxBytes = DefaultMaxBytes
	}
	if limits.MaxDepth <= 0 {
		limits.MaxDepth = DefaultMaxDepth
	}
	return &Decoder{limits: limits}
}

// NewSpecDecoder returns a decoder that also enforces the Segment spec's field types.
func NewSpecDecoder(limits Limits) *Decoder {
	d := NewDecoder(limits)
	d.segmentSpec = true
	return d
}

// Decode parses and checks one event.
func (d *Decoder) Decode(data []byte) (*fastjson.Value, error) {
	if len(data) > d.limits.MaxBytes {
		return nil, &Error{Kind: KindTooLarge, Reason: fmt.Sprintf("event is %d bytes, over the limit of %d", len(data), d.limits.MaxBytes)}
	}
	if !utf8.Valid(data) {
		return nil, &Error{Kind: KindInvalidUTF8, Reason: "event is not valid UTF-8 at byte " + strconv.Itoa(invalidUTF8Offset(data))}
	}
	// Parse before validating: the parser stops at fastjson.MaxDepth, so hostile nesting
	// never drives the validator's recursion deep.
	v, err := d.parser.ParseBytes(data)
	if err != nil {
		if nestErr := checkNesting(data, d.limits.MaxDepth); nestErr != nil {
			return nil, nestErr
		}
		return nil, &Error{Kind: KindMalformedJSON, Reason: "malformed JSON: " + err.Error()}
	}
	// The parser is lenient about control characters and escapes in strings; the strict
	// validator costs as much as the parse, so it runs only when a cheap scan finds bytes
	// that could need it. Numbers are checked strictly during the tree walk.
	if !plainBytes(data) {
		if err := fastjson.ValidateBytes(data); err != nil {
			return nil, &Error{Kind: KindMalformedJSON, Reason: "malformed JSON: " + err.Error()}
		}
	}
	if v.Type() != fastjson.TypeObject {
		return nil, &Error{Kind: KindNotObject, Reason: "event must be a JSON object, got " + typeName(v)}
	}
	if err := d.checkTree(v, d.limits.MaxDepth); err != nil {
		if err.Reason == reasonTooDeep {
			err.Reason = fmt.Sprintf("nesting deeper than %d levels", d.limits.MaxDepth)
		}
		err.Field = strings.TrimPrefix(err.Field, ".")
		return nil, err
	}
	if d.segmentSpec {
		if err := checkSpec(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// checkNesting bounds depth before parsing so hostile input never drives recursion deep.
func checkNesting(data []byte, maxDepth int) error {
	depth := 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > maxDepth {
				return &Error{Kind: KindTooDeep, Reason: fmt.Sprintf("nesting deeper than %d levels at byte %d", maxDepth, i)}
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// checkTree rejects what JSON.parse would resolve silently and differently from us. It
// allocates only on failure: the offending path is assembled while the error unwinds.
const reasonTooDeep = "nesting too deep"

func (d *Decoder) checkTree(v *fastjson.Value, depthLeft int) *Error {
	switch v.Type() {
	case fastjson.TypeObject:
		if depthLeft == 0 {
			return &Error{Kind: KindTooDeep, Reason: reasonTooDeep}
		}
		o, _ := v.Object()
		if o.Len() > smallObject {
			return d.checkLargeObject(o, depthLeft)
		}
		var err *Error
		// A two-hash Bloom filter over the keys seen so far: a key whose bits are new cannot
		// be a duplicate, so the exact (quadratic) check runs only on a rare collision. Events
		// are checked on the hot path; a set per object would allocate.
		var bloom [2]uint64
		seen := 0
		o.Visit(func(key []byte, child *fastjson.Value) {
			if err != nil {
				return
			}
			h := keyHash(key)
			b0, b1 := uint64(1)<<(h&63), uint64(1)<<((h>>6)&63)
			if bloom[0]&b0 != 0 && bloom[1]&b1 != 0 && isDuplicateKey(o, key, seen) {
				err = &Error{Field: "." + string(key), Kind: KindDuplicateKey, Reason: "duplicate key"}
				return
			}
			bloom[0] |= b0
			bloom[1] |= b1
			seen++
			switch child.Type() {
			case fastjson.TypeObject, fastjson.TypeArray, fastjson.TypeNumber:
				if err = d.checkTree(child, depthLeft-1); err != nil {
					err.Field = "." + string(key) + err.Field
				}
			}
		})
		return err
	case fastjson.TypeArray:
		if depthLeft == 0 {
			return &Error{Kind: KindTooDeep, Reason: reasonTooDeep}
		}
		a, _ := v.Array()
		for i, child := range a {
			switch child.Type() {
			case fastjson.TypeObject, fastjson.TypeArray, fastjson.TypeNumber:
				if err := d.checkTree(child, depthLeft-1); err != nil {
					err.Field = "[" + strconv.Itoa(i) + "]" + err.Field
					return err
				}
			}
		}
	case fastjson.TypeNumber:
		d.number = v.MarshalTo(d.number[:0])
		valid, exponent := isJSONNumber(d.number)
		if !valid {
			return &Error{Kind: KindInvalidNumber, Reason: "not a JSON number: " + string(d.number)}
		}
		// Only an exponent or more than 308 digits can leave float64's range.
		if len(d.number) > 308 || exponent {
			if f := v.GetFloat64(); math.IsInf(f, 0) {
				return &Error{Kind: KindInvalidNumber, Reason: "number out of range"}
			}
		}
	}
	return nil
}

// smallObject is the most keys an object may have for the allocation-free duplicate check,
// whose exact fallback is quadratic: hostile events with thousands of keys take a set.
const smallObject = 32

func (d *Decoder) checkLargeObject(o *fastjson.Object, depthLeft int) *Error {
	seen := make(map[string]struct{}, o.Len())
	var err *Error
	o.Visit(func(key []byte, child *fastjson.Value) {
		if err != nil {
			return
		}
		if _, dup := seen[string(key)]; dup {
			err = &Error{Field: "." + string(key), Kind: KindDuplicateKey, Reason: "duplicate key"}
			return
		}
		seen[string(key)] = struct{}{}
		switch child.Type() {
		case fastjson.TypeObject, fastjson.TypeArray, fastjson.TypeNumber:
			if err = d.checkTree(child, depthLeft-1); err != nil {
				err.Field = "." + string(key) + err.Field
			}
		}
	})
	return err
}

// keyHash mixes a key's length and a few of its bytes: enough to spread the dozen keys of
// an event object over the Bloom filter's bits at almost no cost.
func keyHash(key []byte) uint64 {
	n := len(key)
	h := uint64(n) * 0x9E3779B97F4A7C15
	if n > 0 {
		h ^= uint64(key[0]) * 0xC2B2AE3D27D4EB4F
		h ^= uint64(key[n-1]) * 0x165667B19E3779F9
		h ^= uint64(key[n/2]) * 0x27D4EB2F165667C5
	}
	return h ^ h>>29
}

// plainBytes reports whether data has no control bytes and only valid escapes, which is
// all the lenient parser would let through that JSON forbids, numbers aside.
func plainBytes(data []byte) bool {
	const highs, space = 0x8080808080808080, 0x2020202020202020
	// Eight bytes at a time; OR-ing the per-word tests and branching once per 32 bytes
	// keeps the loop to a few instructions a word.
	rest := data
	for len(rest) >= 32 {
		a := binary.LittleEndian.Uint64(rest)
		b := binary.LittleEndian.Uint64(rest[8:])
		c := binary.LittleEndian.Uint64(rest[16:])
		d := binary.LittleEndian.Uint64(rest[24:])
		// Sets a byte's high bit when that byte is below 0x20 (the "has less than" trick).
		if ((a-space)&^a|(b-space)&^b|(c-space)&^c|(d-space)&^d)&highs != 0 {
			return false
		}
		rest = rest[32:]
	}
	for _, c := range rest {
		if c < 0x20 {
			return false
		}
	}
	for rest := data; ; {
		j := bytes.IndexByte(rest, '\\')
		if j < 0 {
			return true
		}
		if j+1 >= len(rest) {
			return false
		}
		switch rest[j+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			rest = rest[j+2:]
		case 'u':
			if j+6 > len(rest) || !isHex(rest[j+2]) || !isHex(rest[j+3]) || !isHex(rest[j+4]) || !isHex(rest[j+5]) {
				return false
			}
			rest = rest[j+6:]
		default:
			return false
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isJSONNumber checks RFC 8259's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// and reports whether the number has an exponent.
func isJSONNumber(s []byte) (valid, exponent bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		exponent = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false, false
		}
	}
	return i == len(s), exponent
}

// isDuplicateKey reports whether key occurred among the first seen keys of o.
func isDuplicateKey(o *fastjson.Object, key []byte, seen int) bool {
	dup := false
	i := 0
	o.Visit(func(other []byte, _ *fastjson.Value) {
		if i < seen && string(other) == string(key) {
			dup = true
		}
		i++
	})
	return dup
}

// isEventType reports whether t is one of the Segment spec's event types (a switch: a map
// lookup hashes the string, once per event).
func isEventType(t []byte) bool {
	switch string(t) {
	case "track", "identify", "page", "screen", "group", "alias":
		return true
	}
	return false
}

// checkSpec walks the top-level keys once: events carry a dozen or more of them, and a
// lookup per checked field would rescan the object each time.
func checkSpec(v *fastjson.Value) error {
	o, _ := v.Object()
	var err *Error
	var eventType, eventName *fastjson.Value
	o.Visit(func(key []byte, f *fastjson.Value) {
		if err != nil {
			return
		}
		t := f.Type()
		switch string(key) {
		case "type":
			eventType = f
		case "event":
			eventName = f
			err = wantType(key, f, t == fastjson.TypeString || t == fastjson.TypeNull, "a string")
		case "properties", "traits", "context", "integrations":
			err = wantType(key, f, t == fastjson.TypeObject || t == fastjson.TypeNull, "an object")
		case "name", "messageId", "timestamp", "receivedAt", "sentAt", "originalTimestamp", "groupId", "previousId":
			err = wantType(key, f, t == fastjson.TypeString || t == fastjson.TypeNull, "a string")
		case "userId", "anonymousId":
			// Some libraries send numeric ids; Segment accepts them, so do we.
			err = wantType(key, f, t == fastjson.TypeString || t == fastjson.TypeNumber || t == fastjson.TypeNull, "a string")
		}
	})
	if err != nil {
		return err
	}
	if eventType == nil {
		return &Error{Field: "type", Reason: "missing"}
	}
	if eventType.Type() != fastjson.TypeString || !isEventType(eventType.GetStringBytes()) {
		return &Error{Field: "type", Reason: "must be one of track, identify, page, screen, group, alias; got " + shortJSON(eventType)}
	}
	if string(eventType.GetStringBytes()) == "track" && (eventName == nil || len(eventName.GetStringBytes()) == 0) {
		return &Error{Field: "event", Reason: "a track event needs a non-empty event name"}
	}
	return nil
}

func wantType(key []byte, f *fastjson.Value, ok bool, want string) *Error {
	if ok {
		return nil
	}
	return &Error{Field: string(key), Reason: "must be " + want + ", got " + typeName(f)}
}

func typeName(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeObject:
		return "object"
	case fastjson.TypeArray:
		return "array"
	case fastjson.TypeString:
		return "string"
	case fastjson.TypeNumber:
		return "number"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "boolean"
	default:
		return "null"
	}
}

func shortJSON(v *fastjson.Value) string {
	s := v.String()
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// UserKey returns the partitioning key of an event: its userId, else its anonymousId
// (a number is taken as its JSON text), or nil when it has neither. A string key is a
// view into the event's tree, valid as long as the event is.
func UserKey(ev *fastjson.Value) []byte {
	for _, k := range [...]string{"userId", "anonymousId"} {
		if v := ev.Get(k); v != nil {
			switch v.Type() {
			case fastjson.TypeString:
				if s := v.GetStringBytes(); len(s) > 0 {
					return s
				}
			case fastjson.TypeNumber:
				return v.MarshalTo(nil)
			}
		}
	}
	return nil
}
