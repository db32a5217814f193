package hubspot

import (
	"container/list"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Property handling shared by upsertObject and customEvent, both of which
// define missing HubSpot properties from the values they are about to send,
// so the kind of each value decides the type of the property created.

// kind is the HubSpot type a value calls for.
type kind uint8

const (
	kindString kind = iota
	kindNumber
	kindBool
	kindDate     // YYYY-MM-DD
	kindDatetime // an ISO 8601 date with a time
)

// isoDate matches what HubSpot (and Segment's inference) treat as a date or
// a date-time: a calendar date, optionally followed by a time with
// optional seconds, fraction and zone.
var isoDate = regexp.MustCompile(`^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])` +
	`(?:[ T]\d{2}:?\d{2}(?::?\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$`)

func stringKind(s string) kind {
	if !isoDate.MatchString(s) {
		return kindString
	}
	if len(s) == len("2006-01-02") {
		return kindDate
	}
	return kindDatetime
}

// prop is one cleaned property: its HubSpot name, its value as JSON and
// the kind inferred from that value.
type prop struct {
	name string
	val  []byte
	kind kind
}

// props is an ordered set of properties. Setting a name again keeps its
// first position and takes the new value, as assigning to a JavaScript
// object does, so output order matches Segment's.
type props struct {
	list []prop
	idx  map[string]int
}

func (ps *props) set(p prop) {
	if i, ok := ps.idx[p.name]; ok {
		ps.list[i] = p
		return
	}
	if ps.idx == nil {
		ps.idx = make(map[string]int)
	}
	ps.idx[p.name] = len(ps.list)
	ps.list = append(ps.list, p)
}

func (ps *props) get(name string) (prop, bool) {
	i, ok := ps.idx[name]
	if !ok {
		return prop{}, false
	}
	return ps.list[i], true
}

func (ps *props) write(w *destkit.JSONWriter) {
	for _, p := range ps.list {
		w.Key(p.name)
		w.Raw(p.val)
	}
}

// propertyName turns a key into a HubSpot internal name: lower case, with
// every character outside [a-z0-9_] replaced by an underscore (two for
// characters beyond the BMP, which count twice in HubSpot's UTF-16 view).
// HubSpot requires names to start with a letter.
func propertyName(key string) (string, error) {
	lower := strings.ToLower(key)
	b := make([]byte, 0, len(lower))
	for _, r := range lower {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b = append(b, byte(r))
		case r > 0xFFFF:
			b = append(b, '_', '_')
		default:
			b = append(b, '_')
		}
	}
	if len(b) == 0 || b[0] < 'a' || b[0] > 'z' {
		return "", destkit.ValidationErrorf("properties", "Property %s has an invalid name: HubSpot property names must start with a letter.", b)
	}
	return string(b), nil
}

// cleanProperties reads a free-form properties object into HubSpot
// values. Booleans and numbers stay; "true"/"false" in any case become
// booleans; numericStrings (customEvent) turns numeric strings into
// numbers; other strings are trimmed; objects and arrays are sent as their
// JSON text, since HubSpot properties are scalars. Nulls are left out: no
// type can be inferred from them and sending one would clear the property.
func cleanProperties(o *fastjson.Object, numericStrings bool) (props, error) {
	var ps props
	var err error
	o.Visit(func(k []byte, v *fastjson.Value) {
		if err != nil {
			return
		}
		var name string
		if name, err = propertyName(string(k)); err != nil {
			return
		}
		switch v.Type() {
		case fastjson.TypeNull:
		case fastjson.TypeNumber:
			ps.set(prop{name: name, val: destkit.AppendValue(nil, v), kind: kindNumber})
		case fastjson.TypeTrue, fastjson.TypeFalse:
			ps.set(prop{name: name, val: destkit.AppendValue(nil, v), kind: kindBool})
		case fastjson.TypeString:
			s := strings.TrimSpace(string(v.GetStringBytes()))
			switch strings.ToLower(s) {
			case "true", "false":
				ps.set(prop{name: name, val: []byte(strings.ToLower(s)), kind: kindBool})
				return
			}
			if numericStrings && s != "" {
				if f, ok := jsNumber(s); ok {
					ps.set(prop{name: name, val: destkit.AppendJSNumber(nil, f), kind: kindNumber})
					return
				}
			}
			ps.set(prop{name: name, val: destkit.AppendJSONString(nil, s), kind: stringKind(s)})
		default:
			ps.set(prop{name: name, val: destkit.AppendJSONString(nil, string(destkit.AppendValue(nil, v))), kind: kindString})
		}
	})
	return ps, err
}

var decimalNumber = regexp.MustCompile(`^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)

// jsNumber converts s the way JavaScript's Number() does for the forms
// that matter here: decimal literals and 0x/0o/0b integers. A leading "+"
// is refused (Segment keeps such values as strings, phone numbers being
// the usual case), and so are the infinities, which JSON cannot carry.
func jsNumber(s string) (float64, bool) {
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			n, err := strconv.ParseUint(s[2:], base, 64)
			return float64(n), err == nil && !strings.ContainsRune(s[2:], '_')
		}
	}
	if !decimalNumber.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// schemaCache remembers, per destination instance, what HubSpot already
// has (an object type's properties, an event definition), so that a
// stream of events with the same shape costs one request each instead of
// a read of the schema every time. Entries expire after an hour, like
// Segment's, so properties deleted in HubSpot are noticed eventually; the
// oldest entry is evicted beyond the size bound. Cached values are never
// modified after they are stored.
type schemaCache[V any] struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	now func() time.Time
	ll  *list.List
	m   map[cacheKey]*list.Element
}

// cacheKey scopes an entry to one instance: its settings are replaced
// whenever the instance is reconfigured, which also starts a fresh cache.
type cacheKey struct {
	settings *destkit.Settings
	name     string
}

type cacheEntry[V any] struct {
	key     cacheKey
	val     V
	expires time.Time
}

func newSchemaCache[V any](max int, ttl time.Duration) *schemaCache[V] {
	return &schemaCache[V]{max: max, ttl: ttl, now: time.Now, ll: list.New(), m: make(map[cacheKey]*list.Element)}
}

func (c *schemaCache[V]) get(k cacheKey) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	e, ok := c.m[k]
	if !ok {
		return zero, false
	}
	ent := e.Value.(*cacheEntry[V])
	if c.now().After(ent.expires) {
		c.ll.Remove(e)
		delete(c.m, k)
		return zero, false
	}
	c.ll.MoveToFront(e)
	return ent.val, true
}

func (c *schemaCache[V]) put(k cacheKey, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp := c.now().Add(c.ttl)
	if e, ok := c.m[k]; ok {
		ent := e.Value.(*cacheEntry[V])
		ent.val, ent.expires = v, exp
		c.ll.MoveToFront(e)
		return
	}
	c.m[k] = c.ll.PushFront(&cacheEntry[V]{key: k, val: v, expires: exp})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.m, old.Value.(*cacheEntry[V]).key)
	}
}

// createdBy is appended to descriptions of what the actions define in
// HubSpot, so people there can tell where a property came from.
const createdBy = " (created by Actuate)"
