package parity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
)

// lostNames are the field names the shared reference's extraction lost: it took every
// member named "category" or "description" for the field attribute of the same name.
// TestReferenceFields (destinations/reference_test.go) lets a definition have fields,
// properties and mapping keys of these names that the reference lacks; this test holds
// each of them to Segment's own definition instead, so none can be missing or wrong.
var lostNames = map[string]bool{"category": true, "description": true}

// npmField is one field of Segment's definition, as fieldfacts.js prints it.
type npmField struct {
	Key        string          `json:"key"`
	Type       string          `json:"type"`
	Required   json.RawMessage `json:"required"`
	Multiple   bool            `json:"multiple"`
	AllowNull  bool            `json:"allowNull"`
	Default    json.RawMessage `json:"default"`
	Choices    []any           `json:"choices"`
	Properties []npmField      `json:"properties"`
}

type npmPreset struct {
	Name          string          `json:"name"`
	PartnerAction string          `json:"partnerAction"`
	Type          string          `json:"type"`
	Mapping       json.RawMessage `json:"mapping"`
}

type npmDefinition struct {
	Error          string                `json:"error"`
	Settings       []npmField            `json:"settings"`
	AudienceFields []npmField            `json:"audienceFields"`
	Actions        map[string][]npmField `json:"actions"`
	Presets        []npmPreset           `json:"presets"`
}

// TestLostReferenceFields compares, for every registered destination, every field,
// object property, default mapping and preset mapping that involves a name in lostNames
// with Segment's npm definition: a field of such a name must be on both sides, at the
// same place among its siblings, with the same type, requirement, multiple, allowNull,
// choices and default; a default or preset mapping holding such a key must be Segment's,
// key for key. It reads the installed package only (fieldfacts.js) and runs when
// ACTUATE_SEGMENT_REF=1, as the parity test does.
func TestLostReferenceFields(t *testing.T) {
	if os.Getenv("ACTUATE_SEGMENT_REF") != "1" {
		t.Skip("set ACTUATE_SEGMENT_REF=1 (scripts/test.sh does) to read Segment's definitions under Node; it needs destinations/parity/node_modules (npm ci)")
	}
	if _, err := os.Stat("node_modules/@segment/action-destinations"); err != nil {
		t.Skipf("Segment's destinations are not installed: run `npm ci` in destinations/parity (%v)", err)
	}
	defs := destinations.All()
	args := []string{"fieldfacts.js"}
	for _, def := range defs {
		args = append(args, def.Slug)
	}
	cmd := exec.Command("node", args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node fieldfacts.js: %v", err)
	}
	var npm map[string]npmDefinition
	if err := json.Unmarshal(out, &npm); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, def := range defs {
		t.Run(def.Slug, func(t *testing.T) {
			n, ok := npm[def.Slug]
			if !ok || n.Error != "" {
				t.Fatalf("Segment's definition of %s: %s", def.Slug, n.Error)
			}
			checked += compareLost(t, "settings", def.Settings, n.Settings, true)
			if def.Audience != nil || len(n.AudienceFields) > 0 {
				var audience []destkit.Field
				if def.Audience != nil {
					audience = def.Audience.Fields
				}
				checked += compareLost(t, "audience fields", audience, n.AudienceFields, true)
			}
			for _, a := range def.Actions {
				nf, ok := n.Actions[a.Key]
				if !ok {
					// An action newer than the installed package (linkedin-audiences'
					// company action): nothing here can vouch for a lost name in it.
					if involvesLost(a.Fields) {
						t.Errorf("action %s is not in Segment's %s and has a field or default named %v", a.Key, segmentVersion, []string{"category", "description"})
					} else {
						t.Logf("action %s is not in Segment's %s; it has no field or default of a lost name", a.Key, segmentVersion)
					}
					continue
				}
				checked += compareLost(t, a.Key, a.Fields, nf, false)
			}
			checked += compareLostPresets(t, def, n.Presets)
		})
	}
	t.Logf("%d fields, defaults and preset mappings involving %v compared with Segment's", checked, []string{"category", "description"})
}

// compareLost checks got against Segment's fields at one level (a definition's settings or
// action fields, or an object's properties), then every level below; it returns how many
// fields and defaults it compared.
func compareLost(t *testing.T, path string, got []destkit.Field, want []npmField, setting bool) int {
	t.Helper()
	checked := 0
	byKey := map[string]*npmField{}
	var wantKeys, gotKeys []string
	involved := false
	for i := range want {
		byKey[want[i].Key] = &want[i]
		wantKeys = append(wantKeys, want[i].Key)
		involved = involved || lostNames[want[i].Key]
	}
	for _, f := range got {
		gotKeys = append(gotKeys, f.Key)
		involved = involved || lostNames[f.Key]
	}
	// A lost name's place counts: the field order is the order a default mapping renders in.
	if involved && !setting && fmt.Sprint(gotKeys) != fmt.Sprint(wantKeys) {
		t.Errorf("%s: fields %v, Segment's %v", path, gotKeys, wantKeys)
	}
	has := map[string]bool{}
	for i := range got {
		f := &got[i]
		has[f.Key] = true
		p := path + "." + f.Key
		w := byKey[f.Key]
		if w == nil {
			if lostNames[f.Key] {
				t.Errorf("%s: not in Segment's definition", p)
			}
			continue
		}
		if lostNames[f.Key] {
			checked++
			compareFacts(t, p, f, w, setting)
		} else if hasLostKey(f.Default) || hasLostKey(destkit.JSON(w.Default)) {
			checked++
			if !sameOrderedJSON(string(f.Default), w.Default) {
				t.Errorf("%s: default %s, Segment's %s", p, f.Default, w.Default)
			}
		}
		if len(f.Properties) > 0 || len(w.Properties) > 0 {
			checked += compareLost(t, p, f.Properties, w.Properties, false)
		}
	}
	for _, w := range want {
		if lostNames[w.Key] && !has[w.Key] {
			t.Errorf("%s.%s: Segment's definition has it, Actuate's does not", path, w.Key)
		}
	}
	return checked
}

// compareFacts holds a field of a lost name to Segment's.
func compareFacts(t *testing.T, path string, f *destkit.Field, w *npmField, setting bool) {
	t.Helper()
	if string(f.Type) != w.Type {
		t.Errorf("%s: type %s, Segment's %s", path, f.Type, w.Type)
	}
	var req any
	json.Unmarshal(w.Required, &req)
	switch r := req.(type) {
	case bool:
		if f.Required != r || f.RequiredIf != nil {
			t.Errorf("%s: required %v, Segment's %v", path, f.Required, r)
		}
	default:
		if f.RequiredIf == nil {
			t.Errorf("%s: Segment's requirement is conditional (%s)", path, w.Required)
		}
	}
	if f.Multiple != w.Multiple || (!setting && f.AllowNull != w.AllowNull) {
		t.Errorf("%s: multiple/allowNull %v/%v, Segment's %v/%v", path, f.Multiple, f.AllowNull, w.Multiple, w.AllowNull)
	}
	if !sameOrderedJSON(string(f.Default), w.Default) {
		t.Errorf("%s: default %s, Segment's %s", path, f.Default, w.Default)
	}
	var choices []any
	for _, c := range f.Choices {
		choices = append(choices, c.Value)
	}
	if fmt.Sprint(choices) != fmt.Sprint(w.Choices) {
		t.Errorf("%s: choices %v, Segment's %v", path, choices, w.Choices)
	}
}

// compareLostPresets checks that every automatic preset whose mapping holds a key of a
// lost name, on either side, is Segment's mapping key for key.
func compareLostPresets(t *testing.T, def *destkit.Definition, want []npmPreset) int {
	t.Helper()
	checked := 0
	got := map[string]destkit.Preset{}
	for _, p := range def.Presets {
		got[p.Name] = p
	}
	seen := map[string]bool{}
	for _, w := range want {
		if w.Type != "automatic" || def.Action(w.PartnerAction) == nil {
			continue
		}
		seen[w.Name] = true
		g, ok := got[w.Name]
		if !hasLostKey(destkit.JSON(w.Mapping)) && (!ok || !hasLostKey(g.Mapping)) {
			continue
		}
		checked++
		if !ok {
			t.Errorf("preset %q: Segment's maps %s, Actuate has no such preset", w.Name, w.Mapping)
		} else if !sameOrderedJSON(string(g.Mapping), w.Mapping) {
			t.Errorf("preset %q: mapping %s, Segment's %s", w.Name, g.Mapping, w.Mapping)
		}
	}
	for _, p := range def.Presets {
		if !seen[p.Name] && hasLostKey(p.Mapping) {
			t.Errorf("preset %q maps %s and is not one of Segment's", p.Name, p.Mapping)
		}
	}
	return checked
}

// segmentVersion names the installed package in messages.
const segmentVersion = "@segment/action-destinations (node_modules)"

// involvesLost says whether a field of a lost name, or a default holding a key of one, is
// among fs or their properties.
func involvesLost(fs []destkit.Field) bool {
	for _, f := range fs {
		if lostNames[f.Key] || hasLostKey(f.Default) || involvesLost(f.Properties) {
			return true
		}
	}
	return false
}

// hasLostKey says whether the JSON holds an object member of a lost name, at any depth.
func hasLostKey(j destkit.JSON) bool {
	if len(j) == 0 {
		return false
	}
	var v any
	if json.Unmarshal([]byte(j), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if lostNames[k] || walk(x) {
					return true
				}
			}
		case []any:
			for _, x := range v {
				if walk(x) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// sameOrderedJSON compares two JSON texts value for value with object keys in order (the
// order a mapping renders in); an empty text is no value.
func sameOrderedJSON(got string, want json.RawMessage) bool {
	if got == "" || len(want) == 0 || string(want) == "null" {
		return got == "" && (len(want) == 0 || string(want) == "null")
	}
	a, errA := canonicalJSON([]byte(got))
	b, errB := canonicalJSON(want)
	return errA == nil && errB == nil && a == b
}

// canonicalJSON re-encodes JSON keeping the key order, numbers as written and strings
// escaped one way, so texts that differ only in spacing or escapes compare equal.
func canonicalJSON(b []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	if err := writeCanonical(&out, dec); err != nil {
		return "", err
	}
	if dec.More() {
		return "", fmt.Errorf("more than one JSON value")
	}
	return out.String(), nil
}

func writeCanonical(out *bytes.Buffer, dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'), json.Delim('['):
		object := tok == json.Delim('{')
		out.WriteString(tok.(json.Delim).String())
		for i := 0; dec.More(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			if object {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				writeScalar(out, key)
				out.WriteByte(':')
			}
			if err := writeCanonical(out, dec); err != nil {
				return err
			}
		}
		end, err := dec.Token()
		if err != nil {
			return err
		}
		out.WriteString(end.(json.Delim).String())
		return nil
	}
	writeScalar(out, tok)
	return nil
}

func writeScalar(out *bytes.Buffer, v any) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	out.Truncate(out.Len() - 1) // Encode's newline
}

// The parity cases' default mappings carry the category and description fields that have
// defaults; these cases map the ones without (and values the sample events lack), so the
// parity test sees each reach, or not reach, Segment's request and Actuate's alike.
func init() {
	order, group, identify := sample("track", "Order Completed"), sample("group", ""), sample("identify", "")
	for key, c := range map[string]extraCase{
		"blackbaud-raisers-edge-nxt/createConstituentAction": {Events: []string{sample("track", "Signed Up")},
			Mapping: `{"description":"Thanked them for the spring gift"}`},
		"chartmogul/sendCustomer":  {Events: []string{group}, Mapping: `{"description":"Anvils and rockets"}`},
		"cordial/addProductToCart": {Events: []string{sample("track", "Product Added")}, Mapping: `{"description":"A light trail shoe"}`},
		"friendbuy/trackPurchase":  {Events: []string{order}, Mapping: `{"products":[{"sku":"TS-1","price":10,"description":"A light trail shoe","category":"Shoes"}]}`},
		"hubspot/upsertCompany": {Events: []string{group}, Mapping: `{"description":"  Anvils and rockets  "}`,
			Replies: scriptedReplies["hubspot"]},
		"pipedrive/createUpdateActivity": {Events: []string{order}, Mapping: `{"description":"Renewal terms"}`},
		"salesforce/cases":               {Events: []string{order}, Mapping: `{"description":"Printer jam"}`},
		"salesforce/opportunity":         {Events: []string{order}, Mapping: `{"description":"Renewal"}`},
		"salesforce/account":             {Events: []string{group}, Mapping: `{"description":"Anvils and rockets"}`},
		"snap-conversions-api/reportConversionEvent": {Events: []string{order},
			Mapping: `{"event_name":"PURCHASE","action_source":"website","description":"free text"}`},
		"tiktok-conversions/reportWebEvent": {Events: []string{order},
			Mapping: `{"event":"CompletePayment","description":"Spring sale"}`},
		"voucherify/upsertCustomer": {Events: []string{identify}, Mapping: `{"description":null}`},
		"talon-one/updateCustomerSessionV2": {Events: []string{trackEvent("Coupon Used", "user-1042", `{"session_id":"sess-77"}`)},
			Mapping: `{"cartItems":[{"sku":"TS-1","quantity":1,"category":"Shoes"}]}`},
		"talon-one/updateCustomerSession": {Events: []string{trackEvent("Coupon Used", "user-1042", `{"session_id":"sess-77"}`)},
			Mapping: `{"customerSession":{"profileId":{"@path":"$.userId"},"cartItems":[{"sku":"TS-1","quantity":1,"category":"Shoes"}]}}`},
	} {
		c.Label = "category and description mapped"
		extraCases[key] = append(extraCases[key], c)
	}
}
