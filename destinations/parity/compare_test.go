package parity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strings"
)

// difference is one way Actuate's requests differ from Segment's for one run. Where names
// the place ("requests", "error", "req[0] url", "req[0] query foo", "req[0] content-type",
// "req[0] body $.a.b", "req[0] body form identification $[0].time"); the known-difference
// table matches on it by prefix.
type difference struct {
	Where  string
	Detail string
}

// compareRuns lists every difference between Segment's run and Actuate's.
func compareRuns(seg, act run) []difference {
	var out []difference
	switch {
	case seg.Error != "" && act.Error == "":
		out = append(out, difference{"error", "Segment failed (" + short(seg.Error) + "), Actuate did not"})
	case seg.Error == "" && act.Error != "":
		out = append(out, difference{"error", "Actuate failed (" + short(act.Error) + "), Segment did not"})
	}
	if len(seg.Requests) == 0 && len(seg.Returned) > 0 && len(act.Requests) == 1 {
		// Segment's action returned its payload for Segment's own pipeline to send; Actuate
		// sends it. The body must be what Segment returned.
		out = append(out, difference{"requests", "Segment returns the payload to its pipeline, Actuate sends " + act.Requests[0].Method + " " + act.Requests[0].URL})
		if aj, ok := parseJSON(act.Requests[0].Body); !ok {
			out = append(out, difference{"req[0] body", "Actuate's body is not JSON"})
		} else if sj, ok := parseJSON(string(seg.Returned)); ok {
			out = append(out, compareJSON("req[0] body $", sj, aj)...)
		}
		return out
	}
	if len(seg.Requests) != len(act.Requests) {
		return append(out, difference{"requests", fmt.Sprintf("Segment sent %d (%s), Actuate %d (%s)",
			len(seg.Requests), urls(seg.Requests), len(act.Requests), urls(act.Requests))})
	}
	for i := range seg.Requests {
		out = append(out, compareRequest(fmt.Sprintf("req[%d] ", i), seg.Requests[i], act.Requests[i])...)
	}
	return out
}

func urls(rs []sent) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Method+" "+r.URL)
	}
	return strings.Join(s, ", ")
}

func compareRequest(p string, seg, act sent) []difference {
	var out []difference
	if !strings.EqualFold(seg.Method, act.Method) {
		out = append(out, difference{p + "method", seg.Method + " vs " + act.Method})
	}
	su, err1 := url.Parse(seg.URL)
	au, err2 := url.Parse(act.URL)
	if err1 != nil || err2 != nil {
		return append(out, difference{p + "url", seg.URL + " vs " + act.URL})
	}
	if su.Scheme != au.Scheme || !strings.EqualFold(su.Host, au.Host) || su.EscapedPath() != au.EscapedPath() {
		out = append(out, difference{p + "url", fmt.Sprintf("%s://%s%s vs %s://%s%s", su.Scheme, su.Host, su.EscapedPath(), au.Scheme, au.Host, au.EscapedPath())})
	}
	out = append(out, compareValues(p+"query ", su.Query(), au.Query())...)
	sct, act2 := mediaType(seg.Headers["content-type"]), mediaType(act.Headers["content-type"])
	if sct != act2 && (seg.Body != "" || act.Body != "") {
		out = append(out, difference{p + "content-type", fmt.Sprintf("%q vs %q", sct, act2)})
	}
	return append(out, compareBody(p+"body ", sct, seg.Body, act.Body)...)
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(ct)
	}
	return mt
}

func compareBody(p, ct, seg, act string) []difference {
	if seg == act {
		return nil
	}
	switch {
	case strings.Contains(ct, "x-www-form-urlencoded"):
		sv, err1 := url.ParseQuery(seg)
		av, err2 := url.ParseQuery(act)
		if err1 == nil && err2 == nil {
			return compareValues(p+"form ", sv, av)
		}
	case strings.Contains(ct, "json") || ct == "":
		sj, ok1 := parseJSON(seg)
		aj, ok2 := parseJSON(act)
		if ok1 && ok2 {
			return compareJSON(p+"$", sj, aj)
		}
	}
	// NDJSON and other texts: line by line, each line as JSON when it is.
	sl, al := strings.Split(strings.TrimSpace(seg), "\n"), strings.Split(strings.TrimSpace(act), "\n")
	if len(sl) == len(al) && len(sl) > 1 {
		var out []difference
		for i := range sl {
			out = append(out, compareBody(fmt.Sprintf("%sline %d ", p, i), "", sl[i], al[i])...)
		}
		return out
	}
	return []difference{{strings.TrimSpace(p), fmt.Sprintf("%s vs %s", short(seg), short(act))}}
}

// compareValues compares query strings or form bodies key by key; a value that is JSON on
// both sides is compared as JSON.
func compareValues(p string, seg, act url.Values) []difference {
	var out []difference
	for _, k := range unionKeys(seg, act) {
		s, a := seg[k], act[k]
		switch {
		case a == nil:
			out = append(out, difference{p + k, "Segment sent " + short(strings.Join(s, ",")) + ", Actuate nothing"})
		case s == nil:
			out = append(out, difference{p + k, "Actuate sent " + short(strings.Join(a, ",")) + ", Segment nothing"})
		case len(s) == 1 && len(a) == 1:
			if s[0] == a[0] {
				continue
			}
			sj, ok1 := parseJSON(s[0])
			aj, ok2 := parseJSON(a[0])
			if ok1 && ok2 && isContainer(sj) && isContainer(aj) {
				out = append(out, compareJSON(p+k+" $", sj, aj)...)
				continue
			}
			out = append(out, difference{p + k, short(s[0]) + " vs " + short(a[0])})
		default:
			if strings.Join(s, "\x00") != strings.Join(a, "\x00") {
				out = append(out, difference{p + k, short(strings.Join(s, ",")) + " vs " + short(strings.Join(a, ","))})
			}
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func parseJSON(s string) (any, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return nil, false
	}
	return v, true
}

// compareJSON compares two JSON values by value: key order does not matter, numbers are
// compared as numbers (1 equals 1.0).
func compareJSON(path string, seg, act any) []difference {
	switch s := seg.(type) {
	case map[string]any:
		a, ok := act.(map[string]any)
		if !ok {
			break
		}
		var out []difference
		for _, k := range unionKeys(s, a) {
			sv, sok := s[k]
			av, aok := a[k]
			kp := path + "." + k
			switch {
			case !aok:
				out = append(out, difference{kp, "Segment sent " + jsonText(sv) + ", Actuate nothing"})
			case !sok:
				out = append(out, difference{kp, "Actuate sent " + jsonText(av) + ", Segment nothing"})
			default:
				out = append(out, compareJSON(kp, sv, av)...)
			}
		}
		return out
	case []any:
		a, ok := act.([]any)
		if !ok {
			break
		}
		var out []difference
		for i := 0; i < len(s) || i < len(a); i++ {
			ip := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case i >= len(a):
				out = append(out, difference{ip, "Segment sent " + jsonText(s[i]) + ", Actuate nothing"})
			case i >= len(s):
				out = append(out, difference{ip, "Actuate sent " + jsonText(a[i]) + ", Segment nothing"})
			default:
				out = append(out, compareJSON(ip, s[i], a[i])...)
			}
		}
		return out
	case json.Number:
		if a, ok := act.(json.Number); ok {
			sf, err1 := s.Float64()
			af, err2 := a.Float64()
			if err1 == nil && err2 == nil && sf == af {
				return nil
			}
		}
	default:
		if fmt.Sprintf("%T", seg) == fmt.Sprintf("%T", act) && jsonText(seg) == jsonText(act) {
			return nil
		}
	}
	return []difference{{path, jsonText(seg) + " vs " + jsonText(act)}}
}

func jsonText(v any) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(v)
	return short(strings.TrimSpace(b.String()))
}

func short(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
