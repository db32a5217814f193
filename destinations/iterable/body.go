package iterable

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// member overrides or adds one key when an object is spread, the way
// {...obj, key: value} does in JavaScript: a key obj already has keeps its
// place, a new one is appended. A nil write is undefined: the key is left
// out.
type member struct {
	key   string
	write func(w *destkit.JSONWriter)
}

// spread writes the object o (nil is {}) without the omitted keys, with
// each of its values written by val, then overridden or extended by over.
func spread(w *destkit.JSONWriter, o *fastjson.Object, omit []string, val func(*destkit.JSONWriter, *fastjson.Value), over ...member) {
	done := make([]bool, len(over))
	w.ObjectStart()
	if o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			key := string(k)
			for _, s := range omit {
				if key == s {
					return
				}
			}
			for i, m := range over {
				if m.key == key {
					done[i] = true
					if m.write != nil {
						w.Key(key)
						m.write(w)
					}
					return
				}
			}
			w.Key(key)
			val(w, v)
		})
	}
	for i, m := range over {
		if !done[i] && m.write != nil {
			w.Key(m.key)
			m.write(w)
		}
	}
	w.ObjectEnd()
}

// plain writes a value as it is.
func plain(w *destkit.JSONWriter, v *fastjson.Value) { w.Value(v) }

// value returns a member writer for v, or nil (undefined) when v is absent.
func value(v *fastjson.Value) func(*destkit.JSONWriter) {
	if v == nil {
		return nil
	}
	return func(w *destkit.JSONWriter) { w.Value(v) }
}

// isoDate is the ISO-8601 shape Segment's implementation recognises.
var isoDate = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:([ T])(\d{2}):?(\d{2})(?::?(\d{2})(?:[,.](\d{1,}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?)?$`)

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// withDates writes v with every date string inside it, at any depth, in
// Iterable's date form.
func withDates(w *destkit.JSONWriter, v *fastjson.Value) {
	switch v.Type() {
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		if !isoDate.MatchString(s) || dateOnly.MatchString(s) {
			w.Value(v)
			return
		}
		if t, ok := parseISO(s); ok {
			w.String(t.UTC().Format("2006-01-02 15:04:05") + " +00:00")
		} else {
			w.Null()
		}
	case fastjson.TypeObject:
		spread(w, v.GetObject(), nil, withDates)
	case fastjson.TypeArray:
		w.ArrayStart()
		for _, e := range v.GetArray() {
			withDates(w, e)
		}
		w.ArrayEnd()
	default:
		w.Value(v)
	}
}

// parseISO reads a string isoDate matched the way JavaScript's Date does:
// hours, minutes and seconds need colons, fractions a dot, zones are Z or
// ±hh[:]mm; 24:00 is the next midnight, and a day past the month's end
// rolls over (2023-02-29 is March 1st). A time without a zone is UTC.
func parseISO(s string) (time.Time, bool) {
	m := isoDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	num := func(i int) int { n, _ := strconv.Atoi(m[i]); return n }
	year, month, day := num(1), num(2), num(3)
	if m[4] == "" { // date only: midnight UTC
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	// The regex allows "hhmm" and "hh:mmss"; Date does not.
	rest := s[11:]
	if len(rest) < 5 || rest[2] != ':' || (m[7] != "" && (len(rest) < 8 || rest[5] != ':')) {
		return time.Time{}, false
	}
	if strings.Contains(rest, ",") {
		return time.Time{}, false
	}
	hour, minute, second := num(5), num(6), num(7)
	nanos := 0
	if f := m[8]; f != "" {
		f = (f + "000000000")[:9]
		nanos, _ = strconv.Atoi(f)
		nanos = nanos / 1e6 * 1e6 // Date keeps milliseconds
	}
	if minute > 59 || second > 59 || hour > 24 || (hour == 24 && (minute != 0 || second != 0 || nanos != 0)) {
		return time.Time{}, false
	}
	offset := 0
	if m[10] != "" {
		if m[12] == "" {
			return time.Time{}, false
		}
		zh, zm := num(11), num(12)
		if zh > 23 || zm > 59 {
			return time.Time{}, false
		}
		offset = zh*3600 + zm*60
		if m[10] == "-" {
			offset = -offset
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// unixSeconds is dayjs(x).unix(): numbers are milliseconds, strings dates
// (UTC without a zone), a missing value is now; anything unreadable is
// written as null (NaN in JavaScript).
func unixSeconds(v *fastjson.Value) func(*destkit.JSONWriter) {
	return func(w *destkit.JSONWriter) {
		switch {
		case v == nil:
			w.Int(now().Unix())
		case v.Type() == fastjson.TypeNumber:
			ms := v.GetFloat64()
			s := int64(ms / 1000)
			if ms < 0 && float64(s)*1000 != ms {
				s-- // floor
			}
			w.Int(s)
		case v.Type() == fastjson.TypeString:
			str := string(v.GetStringBytes())
			for _, l := range timeLayouts {
				if t, err := time.Parse(l, str); err == nil {
					w.Int(t.Unix())
					return
				}
			}
			w.Null()
		default:
			w.Null()
		}
	}
}

// userDataFields writes dataFields with dates converted and the phone
// number set (a null phone number stays null, an absent one removes a
// phoneNumber of the data).
func userDataFields(data, phone *fastjson.Value, extra ...member) func(*destkit.JSONWriter) {
	over := append([]member{{"phoneNumber", value(phone)}}, extra...)
	return func(w *destkit.JSONWriter) {
		spread(w, data.GetObject(), nil, withDates, over...)
	}
}

// requireUser fails unless the object has an email or a user id.
func requireUser(u *fastjson.Value, field string) error {
	if len(u.GetStringBytes("email")) == 0 && len(u.GetStringBytes("userId")) == 0 {
		return destkit.ValidationErrorf(field, "Must include email or userId.")
	}
	return nil
}

var reservedItemKeys = []string{"product_id", "id", "sku", "name", "price", "quantity", "categories", "category", "url", "image_url", "imageUrl"}

// items writes cart or purchase items: each item's members (its own
// dataFields dropped), its non-standard members again as dataFields, and a
// category as a one-element categories list.
func items(list []*fastjson.Value) func(*destkit.JSONWriter) {
	return func(w *destkit.JSONWriter) {
		w.ArrayStart()
		for _, it := range list {
			o := it.GetObject()
			var cats func(*destkit.JSONWriter)
			if c := it.Get("categories"); destkit.Truthy(c) {
				cats = func(w *destkit.JSONWriter) { w.ArrayStart(); w.Value(c); w.ArrayEnd() }
			}
			extra := func(w *destkit.JSONWriter) {
				spread(w, o, append([]string{"dataFields"}, reservedItemKeys...), withDates)
			}
			spread(w, o, []string{"dataFields", "categories"}, plain, member{"dataFields", extra}, member{"categories", cats})
		}
		w.ArrayEnd()
	}
}
