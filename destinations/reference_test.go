package destinations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
)

// TestReferenceFields checks every definition against Segment's field facts
// (the per-destination JSON under the shared reference folder): same field
// keys, types, flags, choices and default mappings, so a mapping written for
// Segment renders the same payload here. Fields and mapping keys named
// category or description may go beyond the reference (see lostInReference).
// It is skipped when the reference folder is absent; point
// ACTUATE_REFERENCE_DIR at it elsewhere.
func TestReferenceFields(t *testing.T) {
	// The shared folder sits beside the repository (as in CI) or at /work/shared.
	dir := os.Getenv("ACTUATE_REFERENCE_DIR")
	for _, candidate := range []string{filepath.Join("..", "..", "shared", "reference", "destinations"), "/work/shared/reference/destinations"} {
		if dir != "" {
			break
		}
		if _, err := os.Stat(candidate); err == nil {
			dir = candidate
		}
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		t.Skip("the shared reference folder is not beside the repository; set ACTUATE_REFERENCE_DIR to run this check")
	}
	for _, def := range All() {
		t.Run(def.Slug, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, def.Slug+".json"))
			if err != nil {
				t.Fatalf("no reference for %s: %v", def.Slug, err)
			}
			var ref refDefinition
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			if ref.Slug != def.SegmentSlug {
				t.Errorf("SegmentSlug = %q, reference %q", def.SegmentSlug, ref.Slug)
			}
			if ref.Authentication != nil {
				if string(def.Auth) != ref.Authentication.Scheme {
					t.Errorf("auth %q, reference %q", def.Auth, ref.Authentication.Scheme)
				}
				for key, rf := range ref.Authentication.Fields {
					f := findField(def.Settings, key)
					if f == nil {
						t.Errorf("setting %s missing", key)
						continue
					}
					compareField(t, "setting "+key, f, rf, true)
				}
			}
			for _, key := range ref.Actions.keys {
				if def.Action(key) == nil && browserOnly[def.Slug+"."+key] == "" {
					t.Errorf("reference action %s is missing", key)
				}
			}
			for _, a := range def.Actions {
				ra, ok := ref.Actions.fields[a.Key]
				if !ok {
					t.Errorf("action %s is not in the reference", a.Key)
					continue
				}
				if browserOnly[def.Slug+"."+a.Key] != "" {
					t.Errorf("action %s is listed as browser-only", a.Key)
				}
				if a.Batches() != ra.HasPerformBatch {
					t.Errorf("%s: batch support %v, reference %v", a.Key, a.Batches(), ra.HasPerformBatch)
				}
				if a.DefaultSubscription != ra.DefaultSubscription && rewrittenSubscriptions[def.Slug+"."+a.Key] != ra.DefaultSubscription {
					t.Errorf("%s: default subscription %q, reference %q", a.Key, a.DefaultSubscription, ra.DefaultSubscription)
				}
				compareFields(t, a.Key, a.Fields, ra.Fields)
			}
			comparePresets(t, def.Slug, def.Presets, ref.Presets)
		})
	}
}

// rewrittenSubscriptions are reference default subscriptions that Actuate's filter
// language refuses, keyed "slug.action", with the reference's text. Each action's file says
// what it subscribes to instead and why.
var rewrittenSubscriptions = map[string]string{
	// `==` is no operator of Segment's subscription language: its parser reads the second
	// "=" as the value, so these presets never matched on Segment. Actuate rejects the
	// expression and subscribes with `=`, which is what the preset means.
	"iterable.trackPurchase": `type = "track" and event == "Order Completed"`,
	"iterable.updateCart":    `type = "track" and event == "Cart Updated"`,
	// Segment's parser skips the comma, joining the two conditions with and; Actuate's
	// rejects the comma, and the action subscribes with `and`.
	"qualtrics.upsertContactTransaction": `type = "track", event = "Transaction Created"`,
}

// browserOnly lists the reference actions Actuate leaves out, keyed
// "slug.action", each with why: they are Segment's browser plugins, code
// that runs in analytics.js on the visitor's page under the same
// destination id and sends nothing from a server. Nothing else may be
// missing.
var browserOnly = map[string]string{
	"algolia-insights.algoliaPlugin":                       "stores the Algolia queryID from the page URL in the browser",
	"amplitude.sessionId":                                  "keeps a session id in the browser and adds it to events",
	"braze.debouncePlugin":                                 "drops identify calls in the browser when traits have not changed",
	"google-enhanced-conversions.sessionAttributesEncoded": "captures gclid, gbraid and gad_* from the page in the browser",
	"snap-conversions-api.snapPlugin":                      "reads the _scid cookie and the click id in the browser",
}

// comparePresets checks the automatic presets (subscriptions created when an
// instance is connected): every one of the reference is here, with the same
// action, trigger and mapping, in the same order. Presets of browser-only
// actions are left out with their action; event-specific presets (Engage
// journeys) have no trigger and are not part of a definition here.
func comparePresets(t *testing.T, slug string, got []destkit.Preset, ref []refPreset) {
	t.Helper()
	var want []refPreset
	for _, p := range ref {
		if p.Type == "automatic" && browserOnly[slug+"."+p.PartnerAction] == "" && presetGaps[slug+"/"+p.Name] == "" {
			want = append(want, p)
		}
	}
	var names, refNames []string
	for _, p := range got {
		if presetGaps[slug+"/"+p.Name] != "" {
			t.Errorf("preset %q ships now: remove it from presetGaps", p.Name)
		}
		names = append(names, p.Name)
	}
	for _, p := range want {
		refNames = append(refNames, p.Name)
	}
	if fmt.Sprint(names) != fmt.Sprint(refNames) {
		t.Errorf("presets %q, reference %q", names, refNames)
		return
	}
	for i, p := range want {
		g := got[i]
		if g.Action != p.PartnerAction || g.Trigger != p.Subscribe {
			t.Errorf("preset %q: %s when %q, reference %s when %q", p.Name, g.Action, g.Trigger, p.PartnerAction, p.Subscribe)
		}
		if !sameJSON(withoutLost(string(g.Mapping), p.Mapping), p.Mapping) {
			t.Errorf("preset %q: mapping %s, reference %s", p.Name, g.Mapping, p.Mapping)
		}
	}
}

// presetGaps are reference presets not shipped yet, keyed "slug/name". The
// list only shrinks: each entry is a known gap in a destination's parity
// work, tolerated so the check can guard every other preset meanwhile.
var presetGaps = map[string]string{
	"braze/Order Placed (beta)":     "ecommerce presets not yet added to destinations/braze",
	"braze/Checkout Started (beta)": "ecommerce presets not yet added to destinations/braze",
	"braze/Order Refunded (beta)":   "ecommerce presets not yet added to destinations/braze",
	"braze/Order Cancelled (beta)":  "ecommerce presets not yet added to destinations/braze",
	"braze/Product Viewed (beta)":   "ecommerce presets not yet added to destinations/braze",
	"braze/Product Added (beta)":    "ecommerce presets not yet added to destinations/braze",
	"braze/Product Removed (beta)":  "ecommerce presets not yet added to destinations/braze",
}

type refPreset struct {
	Name          string          `json:"name"`
	Type          string          `json:"type"`
	PartnerAction string          `json:"partnerAction"`
	Subscribe     string          `json:"subscribe"`
	Mapping       json.RawMessage `json:"mapping"`
}

type refDefinition struct {
	Slug           string `json:"slug"`
	Authentication *struct {
		Scheme string              `json:"scheme"`
		Fields map[string]refField `json:"fields"`
	} `json:"authentication"`
	Actions orderedMap[refAction] `json:"actions"`
	Presets []refPreset           `json:"presets"`
}

type refAction struct {
	HasPerformBatch     bool          `json:"hasPerformBatch"`
	DefaultSubscription string        `json:"defaultSubscription"`
	Fields              orderedFields `json:"fields"`
}

type refField struct {
	Label     string          `json:"label"`
	Type      string          `json:"type"`
	Required  json.RawMessage `json:"required"`
	Multiple  bool            `json:"multiple"`
	AllowNull bool            `json:"allowNull"`
	Default   json.RawMessage `json:"default"`
	Choices   []struct {
		Value any `json:"value"`
	} `json:"choices"`
	Minimum    *float64      `json:"minimum"`
	Maximum    *float64      `json:"maximum"`
	Properties orderedFields `json:"properties"`
}

// orderedFields keeps the reference's field order.
type orderedFields = orderedMap[refField]

// orderedMap is a JSON object read into a map that remembers its key order.
type orderedMap[V any] struct {
	keys   []string
	fields map[string]V
}

func (o *orderedMap[V]) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &o.fields); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.Token()
	depth := 0
	for dec.More() || depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			continue
		}
		if depth == 0 {
			o.keys = append(o.keys, tok.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	return nil
}

func findField(fs []destkit.Field, key string) *destkit.Field {
	for i := range fs {
		if fs[i].Key == key {
			return &fs[i]
		}
	}
	return nil
}

func compareFields(t *testing.T, path string, got []destkit.Field, ref orderedFields) {
	t.Helper()
	var keys []string
	for _, f := range got {
		if _, inRef := ref.fields[f.Key]; !inRef && lostInReference[f.Key] {
			continue
		}
		keys = append(keys, f.Key)
	}
	if fmt.Sprint(keys) != fmt.Sprint(ref.keys) {
		t.Errorf("%s: fields %v, reference %v", path, keys, ref.keys)
	}
	for i := range got {
		rf, ok := ref.fields[got[i].Key]
		if ok {
			compareField(t, path+"."+got[i].Key, &got[i], rf, false)
		}
	}
}

func compareField(t *testing.T, path string, f *destkit.Field, rf refField, setting bool) {
	t.Helper()
	if string(f.Type) != rf.Type {
		t.Errorf("%s: type %s, reference %s", path, f.Type, rf.Type)
	}
	if f.Label != rf.Label {
		t.Errorf("%s: label %q, reference %q", path, f.Label, rf.Label)
	}
	var req any
	json.Unmarshal(rf.Required, &req)
	switch r := req.(type) {
	case bool:
		if f.Required != r || f.RequiredIf != nil {
			t.Errorf("%s: required %v, reference %v", path, f.Required, r)
		}
	case map[string]any:
		if f.RequiredIf == nil {
			t.Errorf("%s: reference has a conditional requirement", path)
		}
	}
	if f.Multiple != rf.Multiple || (!setting && f.AllowNull != rf.AllowNull) {
		t.Errorf("%s: multiple/allowNull %v/%v, reference %v/%v", path, f.Multiple, f.AllowNull, rf.Multiple, rf.AllowNull)
	}
	if !sameJSON(withoutLost(string(f.Default), rf.Default), rf.Default) {
		t.Errorf("%s: default %s, reference %s", path, f.Default, rf.Default)
	}
	var choices []any
	for _, c := range f.Choices {
		choices = append(choices, c.Value)
	}
	var refChoices []any
	for _, c := range rf.Choices {
		refChoices = append(refChoices, c.Value)
	}
	if fmt.Sprint(choices) != fmt.Sprint(refChoices) {
		t.Errorf("%s: choices %v, reference %v", path, choices, refChoices)
	}
	if rf.Minimum != nil && f.Min != *rf.Minimum || rf.Maximum != nil && f.Max != *rf.Maximum {
		t.Errorf("%s: bounds %v..%v, reference %v..%v", path, f.Min, f.Max, rf.Minimum, rf.Maximum)
	}
	if len(rf.Properties.keys) > 0 || len(f.Properties) > 0 {
		compareFields(t, path, f.Properties, rf.Properties)
	}
}

// lostInReference are the names the reference's extraction lost: it took every
// member named "category" or "description" for the field attribute of the same
// name, so the reference has no action field, object property or mapping key of
// these names, though Segment's definitions do. A definition may have such a
// field, property or key the reference lacks (Segment's, or a mapping naming it
// would be dropped); nothing else may differ. The reference cannot vouch for
// them, so TestLostReferenceFields (destinations/parity) holds each one to
// Segment's npm definition: same place, type, flags and default, none missing.
var lostInReference = map[string]bool{"category": true, "description": true}

// withoutLost is got (JSON) without the members named in lostInReference that
// ref lacks at the same place, in got's order; got is returned as it is when
// either is not JSON.
func withoutLost(got string, ref json.RawMessage) string {
	if got == "" || len(ref) == 0 {
		return got
	}
	var g, r any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal(ref, &r) != nil {
		return got
	}
	var out bytes.Buffer
	dec := json.NewDecoder(strings.NewReader(got))
	dec.UseNumber()
	if stripped, err := stripLost(&out, dec, r); err != nil || !stripped {
		return got
	}
	return out.String()
}

// stripLost copies the next JSON value of dec to out, leaving out the object
// members named in lostInReference that the matching value of ref lacks, and
// says whether it left any out.
func stripLost(out *bytes.Buffer, dec *json.Decoder, ref any) (stripped bool, err error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	switch tok {
	case json.Delim('{'):
		refObj, _ := ref.(map[string]any)
		out.WriteByte('{')
		first := true
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return false, err
			}
			key := keyTok.(string)
			refVal, inRef := refObj[key]
			if lostInReference[key] && !inRef {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return false, err
				}
				stripped = true
				continue
			}
			if !first {
				out.WriteByte(',')
			}
			first = false
			writeJSON(out, key)
			out.WriteByte(':')
			s, err := stripLost(out, dec, refVal)
			if err != nil {
				return false, err
			}
			stripped = stripped || s
		}
		out.WriteByte('}')
	case json.Delim('['):
		refArr, _ := ref.([]any)
		out.WriteByte('[')
		for i := 0; dec.More(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			var refVal any
			if i < len(refArr) {
				refVal = refArr[i]
			}
			s, err := stripLost(out, dec, refVal)
			if err != nil {
				return false, err
			}
			stripped = stripped || s
		}
		out.WriteByte(']')
	default:
		writeJSON(out, tok)
		return false, nil
	}
	_, err = dec.Token() // the closing delimiter
	return stripped, err
}

// writeJSON writes v as JSON, without escaping HTML characters (as the
// reference's text has them).
func writeJSON(out *bytes.Buffer, v any) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	out.Truncate(out.Len() - 1) // Encode's newline
}

// TestWithoutLost checks what the allowance for lost names leaves of a default.
func TestWithoutLost(t *testing.T) {
	for _, tc := range []struct{ got, ref, want string }{
		// Only the lost names the reference lacks go, wherever they are.
		{`{"@arrayPath":["$.p",{"sku":{"@path":"sku"},"category":{"@path":"category"},"name":{"@path":"name"}}]}`,
			`{"@arrayPath":["$.p",{"sku":{"@path":"sku"},"name":{"@path":"name"}}]}`,
			`{"@arrayPath":["$.p",{"sku":{"@path":"sku"},"name":{"@path":"name"}}]}`},
		{`{"a":1,"description":{"@path":"$.d"},"b":"<&>"}`, `{"a":1,"b":"<&>"}`, `{"a":1,"b":"<&>"}`},
		// A lost name the reference has stays; so does any other name.
		{`{"category":"x","title":"y"}`, `{"category":"x"}`, `{"category":"x","title":"y"}`},
		// Nothing left out: the text is returned as it is.
		{`{"b": 1.50, "a": "\u00e9"}`, `{"b":1.5}`, `{"b": 1.50, "a": "\u00e9"}`},
	} {
		if got := withoutLost(tc.got, json.RawMessage(tc.ref)); got != tc.want {
			t.Errorf("withoutLost(%s, %s) = %s, want %s", tc.got, tc.ref, got, tc.want)
		}
	}
}

// sameJSON compares a default byte for byte after compacting both, so key
// order counts (it decides the order of rendered output).
func sameJSON(got string, ref json.RawMessage) bool {
	if got == "" || len(ref) == 0 {
		return got == "" && len(ref) == 0
	}
	var a, b bytes.Buffer
	if json.Compact(&a, []byte(got)) != nil || json.Compact(&b, ref) != nil {
		return false
	}
	return a.String() == b.String()
}
