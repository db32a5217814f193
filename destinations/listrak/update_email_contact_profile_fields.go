package listrak

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// batchSize bounds the contacts of one batch.
const batchSize = 1000

// UpdateEmailContactProfileFields sets profile fields of email contacts on
// a list.
var UpdateEmailContactProfileFields = &destkit.Action{
	Key:         "updateEmailContactProfileFields",
	Title:       "Update Email Contact Profile Fields",
	Description: "Turn profile fields of email contacts on a Listrak list on or off; Listrak runs one list import per list.",
	Fields: []destkit.Field{
		{Key: "listId", Label: "List ID", Type: destkit.Integer, Required: true,
			Description: "ID of the Listrak list (Help & Support, API ID Information)."},
		{Key: "emailAddress", Label: "Email Address", Type: destkit.String, Required: true, Format: "email",
			Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.traits.email"}}}`,
			Description: "Email address of the contact."},
		{Key: "profileFieldValues", Label: "Profile Field Values", Type: destkit.Object, Required: true,
			Description: "Listrak profile field IDs (Help & Support, API ID Information) and their values: \"on\", \"off\", or \"useAudienceKey\" to follow the event's audience membership."},
		{Key: "traits_or_props", Label: "Traits or properties object", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (track) or traits (identify), where the audience membership is read; leave as is."},
		{Key: "segment_audience_key", Label: "Audience Key", Type: destkit.String,
			Default:     `{"@path":"$.context.personas.computation_key"}`,
			Description: "Key of the Segment audience whose membership \"useAudienceKey\" follows."},
		{Key: "enable_batching", Label: "Batch Data to Listrak", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Send several contacts per request (recommended)."},
	},
	Batch: &destkit.Batch{MaxSize: batchSize},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
		reqs := byList(b)
		if err := b.Rejected(0); err != nil {
			return nil, err
		}
		return reqs, nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return byList(in), nil },
}

// byList builds one request per list, lists in ascending order (the order
// of a JavaScript object's integer keys), rejecting contacts without a list
// or an address.
func byList(in *destkit.BatchInput) []destkit.Request {
	var lists []int64
	contacts := map[int64][]int{}
	for i, p := range in.Payloads {
		list := p.Get("listId")
		if list == nil || list.Type() != fastjson.TypeNumber {
			in.Reject(i, destkit.ValidationErrorf("listId", "The field \"listId\" is required."))
			continue
		}
		if len(p.GetStringBytes("emailAddress")) == 0 || p.GetObject("profileFieldValues") == nil {
			in.Reject(i, destkit.ValidationErrorf("emailAddress", "A contact needs an email address and profile field values."))
			continue
		}
		id := list.GetInt64()
		if _, seen := contacts[id]; !seen {
			lists = append(lists, id)
		}
		contacts[id] = append(contacts[id], i)
	}
	slices.Sort(lists)
	reqs := make([]destkit.Request, 0, len(lists))
	for _, id := range lists {
		var w destkit.JSONWriter
		w.ArrayStart()
		for _, i := range contacts[id] {
			contact(&w, in.Payloads[i])
		}
		w.ArrayEnd()
		r := destkit.NewJSONRequest("POST", apiBase+"/List/"+strconv.FormatInt(id, 10)+"/Contact/SegmentationField", w.Bytes())
		r.Events = contacts[id]
		reqs = append(reqs, r)
	}
	return reqs
}

// contact writes one contact and its profile field values.
func contact(w *destkit.JSONWriter, p *fastjson.Value) {
	entered := audienceMembership(p)
	w.ObjectStart()
	w.Field("emailAddress", p.Get("emailAddress"))
	w.Key("segmentationFieldValues")
	w.ArrayStart()
	// The object's keys as JavaScript lists them: integer-like keys first,
	// ascending.
	var fields destkit.JSObject
	fields.Assign(p.Get("profileFieldValues"), nil)
	ordered, _ := fastjson.ParseBytes(fields.AppendJSON(nil))
	ordered.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		id, ok := parseInt(string(k))
		if !ok || id == 0 {
			return
		}
		w.ObjectStart()
		w.Key("segmentationFieldId")
		w.Float(id)
		w.Key("value")
		w.String(fieldValue(destkit.JSString(v), entered))
		w.ObjectEnd()
	})
	w.ArrayEnd()
	w.ObjectEnd()
}

// audienceMembership is the boolean the event carries under its audience
// key, or nil.
func audienceMembership(p *fastjson.Value) *bool {
	key := string(p.GetStringBytes("segment_audience_key"))
	tp := p.GetObject("traits_or_props")
	if key == "" || tp == nil {
		return nil
	}
	switch v := tp.Get(key); {
	case v == nil:
		return nil
	case v.Type() == fastjson.TypeTrue:
		t := true
		return &t
	case v.Type() == fastjson.TypeFalse:
		f := false
		return &f
	}
	return nil
}

// fieldValue is the value sent for a field: "on" and "off" as they are,
// "useAudienceKey" from the audience membership when there is one, and
// anything else unchanged.
func fieldValue(v string, entered *bool) string {
	if v == "useAudienceKey" && entered != nil {
		if *entered {
			return "on"
		}
		return "off"
	}
	return v
}

// parseInt is JavaScript's parseInt(s) without a radix: leading white
// space, a sign, then decimal digits (or hexadecimal after 0x); ok is false
// where it gives NaN.
func parseInt(s string) (float64, bool) {
	s = strings.TrimLeftFunc(s, jsvalue.IsSpace)
	sign := 1.0
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	base := 10.0
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		base, s = 16, s[2:]
	}
	n, digits := 0.0, 0
	for ; digits < len(s); digits++ {
		d := digitValue(s[digits])
		if d < 0 || float64(d) >= base {
			break
		}
		n = n*base + float64(d)
	}
	if digits == 0 || math.IsInf(n, 0) {
		return 0, false
	}
	return sign * n, true
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}
