package destkit

import (
	"strings"
	"time"

	"github.com/valyala/fastjson"
)

// Several vendors' requests carry a payload time converted the way
// Segment's JavaScript converts it: new Date(value), then toISOString() or
// getTime(). ParseJSDate and JSISOString reproduce that for the forms event
// payloads carry, so converted times match Segment's to the millisecond.

// ParseJSDate reads v as JavaScript's new Date(v) does: a number is
// milliseconds since the epoch; a string is parsed as by Date.parse, which
// here accepts the ISO 8601 forms (YYYY, YYYY-MM, YYYY-MM-DD with an
// optional time of HH:mm[:ss[.fraction]], separated by T or a space, and an
// optional Z or ±HH[:]mm offset) and RFC 1123 dates. Like V8, a date alone
// is UTC, a date and time without an offset is local time (taken as UTC, the
// zone Segment's servers and ours run in), out-of-range days roll over
// (2024-02-30 is 1 March) and fractions are cut to milliseconds. ok is false
// where JavaScript gives an Invalid Date (a string of digits such as unix
// seconds among them).
func ParseJSDate(v *fastjson.Value) (t time.Time, ok bool) {
	if v == nil {
		return time.Time{}, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		ms := v.GetFloat64()
		if ms != ms || ms > 8.64e15 || ms < -8.64e15 {
			return time.Time{}, false
		}
		return time.UnixMilli(int64(ms)).UTC(), true
	case fastjson.TypeString:
		return ParseJSDateString(string(v.GetStringBytes()))
	}
	return time.Time{}, false
}

// ParseJSDateString is ParseJSDate for a string.
func ParseJSDateString(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, ok := parseISODate(s); ok {
		return t, true
	}
	if t, err := time.Parse(time.RFC1123, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// JSISOString formats t as Date.prototype.toISOString: UTC, milliseconds, Z.
func JSISOString(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}

func parseISODate(s string) (time.Time, bool) {
	num := func(s string, n int) (int, string, bool) {
		if len(s) < n {
			return 0, s, false
		}
		v := 0
		for i := 0; i < n; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, s, false
			}
			v = v*10 + int(s[i]-'0')
		}
		return v, s[n:], true
	}
	year, rest, ok := num(s, 4)
	if !ok {
		return time.Time{}, false
	}
	month, day := 1, 1
	if strings.HasPrefix(rest, "-") {
		if month, rest, ok = num(rest[1:], 2); !ok || month < 1 || month > 12 {
			return time.Time{}, false
		}
		if strings.HasPrefix(rest, "-") {
			if day, rest, ok = num(rest[1:], 2); !ok || day < 1 || day > 31 {
				return time.Time{}, false
			}
		}
	}
	if rest == "" {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
		return time.Time{}, false
	}
	var hour, min, sec, ms int
	if hour, rest, ok = num(rest[1:], 2); !ok || hour > 24 || !strings.HasPrefix(rest, ":") {
		return time.Time{}, false
	}
	if min, rest, ok = num(rest[1:], 2); !ok || min > 59 {
		return time.Time{}, false
	}
	if strings.HasPrefix(rest, ":") {
		if sec, rest, ok = num(rest[1:], 2); !ok || sec > 59 {
			return time.Time{}, false
		}
		if strings.HasPrefix(rest, ".") {
			rest = rest[1:]
			n := 0
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				if n < 3 {
					ms = ms*10 + int(rest[n]-'0')
				}
				n++
			}
			if n == 0 {
				return time.Time{}, false
			}
			for i := n; i < 3; i++ {
				ms *= 10
			}
			rest = rest[n:]
		}
	}
	if hour == 24 && (min != 0 || sec != 0 || ms != 0) {
		return time.Time{}, false
	}
	offset := 0
	switch {
	case rest == "" || rest == "Z" || rest == "z":
	case rest[0] == '+' || rest[0] == '-':
		sign := 1
		if rest[0] == '-' {
			sign = -1
		}
		oh, r, ok := num(rest[1:], 2)
		if !ok {
			return time.Time{}, false
		}
		if strings.HasPrefix(r, ":") {
			r = r[1:]
		}
		om, r, ok := num(r, 2)
		if !ok || r != "" || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = sign * (oh*3600 + om*60)
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, ms*int(time.Millisecond), time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}
