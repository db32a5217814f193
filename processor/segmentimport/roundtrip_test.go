package segmentimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/actuate/actuate/processor/workspace"
)

// savedResponses builds what a user saves from Segment's Public API for an instance of def
// whose subscriptions are def's presets (Segment's reference presets): Get Destination,
// with secrets masked as the API masks them, and List Subscriptions from Destination.
func savedResponses(t *testing.T, def *destkit.Definition, presets []destkit.Preset) (dest, subs []byte) {
	t.Helper()
	segID := "seg" + slugify(def.Slug)
	settings := map[string]any{}
	for _, f := range def.Settings {
		switch {
		case f.Secret:
			settings[f.Key] = "••••••••••dada"
		case !f.Required || f.Default != "":
		case len(f.Choices) > 0:
			settings[f.Key] = f.Choices[0].Value
		case f.Type == destkit.Boolean:
			settings[f.Key] = true
		case f.Type == destkit.Number || f.Type == destkit.Integer:
			settings[f.Key] = 1
		case f.Format == "uri" || f.Format == "url":
			settings[f.Key] = "https://example.com/hook"
		default:
			settings[f.Key] = "value-" + f.Key
		}
	}
	d := map[string]any{"data": map[string]any{"destination": map[string]any{
		"id": segID, "name": def.Name + " (prod)", "enabled": true, "sourceId": "rh5BDZp6QDHvXFCkibm1pR",
		"metadata": map[string]any{"id": "54521fd525e721e32a72ee91", "name": def.Name, "slug": def.SegmentSlug},
		"settings": settings,
	}}}
	var list []map[string]any
	for i, p := range presets {
		list = append(list, map[string]any{
			"id": fmt.Sprintf("sub%02d%s", i, segID), "name": p.Name, "actionId": "act" + p.Action, "actionSlug": p.Action,
			"destinationId": segID, "modelId": "", "enabled": true, "trigger": p.Trigger, "settings": json.RawMessage(p.Mapping),
		})
	}
	s := map[string]any{"data": map[string]any{"pagination": map[string]any{"current": "MA==", "totalEntries": len(list)}, "subscriptions": list}}
	dest, _ = json.Marshal(d)
	subs, _ = json.Marshal(s)
	return dest, subs
}

// testEvents are the events both mappings render and both triggers judge: the 14 of
// processor/fql's golden file and a few e-commerce and identity events with the fields
// presets read.
func testEvents(t *testing.T) []*fastjson.Value {
	t.Helper()
	var out []*fastjson.Value
	for _, e := range loadGolden(t).Events {
		out = append(out, fastjson.MustParseBytes(e.Event))
	}
	ctx := `"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0","locale":"en-US","page":{"url":"https://shop.example.com/p?a=1","path":"/p","referrer":"https://google.com","title":"Shop"},"device":{"id":"dev-1","type":"ios","model":"iPhone15,2","advertisingId":"ad-1"},"os":{"name":"iOS","version":"17.1"},"app":{"name":"Shop","version":"3.2","build":"77"},"library":{"name":"analytics.js","version":"5.0"},"campaign":{"name":"spring","source":"news"},"traits":{"email":"ctx@example.com","phone":"+15551234567","first_name":"Ada"},"location":{"city":"Paris","country":"France"}}`
	for _, e := range []string{
		`{"type":"track","event":"Order Completed","userId":"u1","anonymousId":"a1","messageId":"m1","timestamp":"2024-03-01T10:00:00.000Z","properties":{"order_id":"o-1","checkout_id":"c-1","total":99.5,"revenue":90,"value":99.5,"currency":"EUR","coupon":"SPRING","discount":5,"shipping":4.5,"tax":3,"email":"ada@example.com","products":[{"product_id":"p1","sku":"S1","name":"Shoe","price":45.25,"quantity":2,"category":"shoes","brand":"B","url":"https://x/p1","image_url":"https://x/p1.png"},{"product_id":"p2","name":"Sock","price":4.5,"quantity":1}]},` + ctx + `,"integrations":{"Actions Amplitude":{"session_id":1709287200000}}}`,
		`{"type":"track","event":"Product Viewed","userId":"u2","anonymousId":"a2","messageId":"m2","timestamp":"2024-03-01T10:01:00Z","properties":{"product_id":"p9","sku":"S9","name":"Hat","price":19,"currency":"USD","quantity":1,"category":"hats","search":"red hat"},` + ctx + `}`,
		`{"type":"identify","userId":"u3","anonymousId":"a3","messageId":"m3","timestamp":"2024-03-01T11:00:00Z","traits":{"email":"grace@example.com","name":"Grace Hopper","firstName":"Grace","lastName":"Hopper","first_name":"Grace","last_name":"Hopper","phone":"+15550001111","plan":"pro","createdAt":"2020-01-01T00:00:00Z","company":{"name":"Navy","id":"c1"},"address":{"city":"NYC","country":"US","postal_code":"10001","state":"NY","street":"1 Main"},"birthday":"1906-12-09","gender":"female","title":"Admiral"},` + ctx + `}`,
		`{"type":"page","name":"Pricing","category":"Docs","userId":"u4","anonymousId":"a4","messageId":"m4","timestamp":"2024-03-01T12:00:00Z","properties":{"title":"Pricing","url":"https://example.com/pricing","path":"/pricing","referrer":"https://ref.example.com"},` + ctx + `}`,
		`{"type":"screen","name":"Home","anonymousId":"a5","messageId":"m5","timestamp":"2024-03-01T12:00:00Z","properties":{"variation":"blue"},` + ctx + `}`,
		`{"type":"group","userId":"u6","groupId":"g1","messageId":"m6","timestamp":"2024-03-01T12:00:00Z","traits":{"name":"Initech","industry":"software","employees":120,"plan":"enterprise","website":"https://initech.example"},` + ctx + `}`,
		`{"type":"alias","userId":"u7","previousId":"a7","messageId":"m7","timestamp":"2024-03-01T12:00:00Z"}`,
		`{"type":"track","event":"Signed Up","anonymousId":"a8","messageId":"m8","timestamp":"2024-03-01T12:00:00Z","properties":{}}`,
	} {
		out = append(out, fastjson.MustParse(e))
	}
	return out
}

// TestImportRendersAsSegment is the import's proof: for every destination of the catalog
// with presets, the Public API responses built from its presets (the Definition's, which
// the registry's reference check holds to Segment's) are imported, written as a workspace
// file, read back (config.Parse) and compiled; each imported mapping then renders, through
// processor/mapping, exactly what the original mapping renders, and its trigger matches
// exactly the events the original matches, on every test event.
func TestImportRendersAsSegment(t *testing.T) {
	var c comparison
	for _, def := range destinations.All() {
		if len(def.Presets) > 0 {
			t.Run(def.Slug, func(t *testing.T) { c.run(t, def, def.Presets) })
		}
	}
	c.log(t)
}

// TestImportSegmentReferencePresets does the same with Segment's own presets, read from
// the shared reference folder (skipped without it): what a Segment workspace really holds,
// including presets of browser plugins (not imported) and presets Actuate ships rewritten
// (imported with the definition's trigger).
func TestImportSegmentReferencePresets(t *testing.T) {
	dir := os.Getenv("ACTUATE_REFERENCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "reference", "destinations")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no reference folder; set ACTUATE_REFERENCE_DIR")
	}
	var c comparison
	for _, def := range destinations.All() {
		raw, err := os.ReadFile(filepath.Join(dir, def.Slug+".json"))
		if err != nil {
			continue
		}
		var ref struct {
			Presets []struct {
				Name          string          `json:"name"`
				Type          string          `json:"type"`
				PartnerAction string          `json:"partnerAction"`
				Subscribe     string          `json:"subscribe"`
				Mapping       json.RawMessage `json:"mapping"`
			} `json:"presets"`
		}
		if err := json.Unmarshal(raw, &ref); err != nil {
			t.Fatal(err)
		}
		var presets []destkit.Preset
		for _, p := range ref.Presets {
			if p.Type == "automatic" {
				presets = append(presets, destkit.Preset{Name: p.Name, Action: p.PartnerAction, Trigger: p.Subscribe, Mapping: destkit.JSON(p.Mapping)})
			}
		}
		if len(presets) > 0 {
			t.Run(def.Slug, func(t *testing.T) { c.run(t, def, presets) })
		}
	}
	c.log(t)
}

type comparison struct {
	events                                                 []*fastjson.Value
	dests, mappings, renders, nonEmpty, skipped, rewritten int
}

func (c *comparison) log(t *testing.T) {
	t.Logf("%d destinations, %d mappings compared on %d events (%d renders and trigger matches equal, %d renders non-empty); %d presets not imported (browser plugin, trigger read differently or not parsed), %d triggers rewritten",
		c.dests, c.mappings, len(c.events), c.renders, c.nonEmpty, c.skipped, c.rewritten)
	if c.dests < 5 || c.nonEmpty < c.renders/2 {
		t.Errorf("only %d destinations compared, %d of %d renders non-empty", c.dests, c.nonEmpty, c.renders)
	}
}

func (c *comparison) run(t *testing.T, def *destkit.Definition, presets []destkit.Preset) {
	if c.events == nil {
		c.events = testEvents(t)
	}
	destJSON, subsJSON := savedResponses(t, def, presets)
	ds, err := ParseDestinations(destJSON)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := ParseSubscriptions(subsJSON)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}}, Options{Definitions: destinations.All(), Lookup: destinations.Get})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report.Destinations[0]
	if !rep.Imported() {
		t.Fatalf("destination not imported: %q", rep.Reasons)
	}
	// Only presets of actions Actuate does not have (browser plugins) and triggers that do
	// not parse here or read differently may be left out.
	for i, m := range rep.Mappings {
		if m.Imported() {
			continue
		}
		p := presets[i]
		_, perr := fql.Parse(p.Trigger)
		if def.Action(p.Action) != nil && perr == nil && len(Divergences(p.Trigger)) == 0 {
			t.Errorf("preset %q not imported: %q", p.Name, m.Reasons)
		}
		c.skipped++
	}
	var file bytes.Buffer
	if err := WriteYAML(&file, "test", res.Sources, res.Destinations); err != nil {
		t.Fatal(err)
	}
	for _, name := range res.Report.Env {
		t.Setenv(name, "secret-"+name)
	}
	cfg, err := config.Parse(file.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, file.Bytes())
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatalf("%v\n%s", err, file.Bytes())
	}
	inst := ws.Instance(rep.ID)
	if inst == nil || len(inst.AllMappings) != len(res.Destinations[0].Mappings) {
		t.Fatalf("instance %s: compiled %v", rep.ID, inst)
	}
	for _, secret := range def.Settings {
		if secret.Secret && cfg.Destinations[0].Settings[secret.Key] == "••••••••••dada" {
			t.Errorf("masked %s written as a value", secret.Key)
		}
	}
	c.dests++
	for i, m := range rep.Mappings {
		if !m.Imported() {
			continue
		}
		p := presets[i]
		got := inst.AllMappings[indexOf(inst.AllMappings, m.ID)]
		if got.Name != p.Name || got.Action.Key != p.Action || !got.Enabled {
			t.Errorf("%s: name %q action %q enabled %v", m.ID, got.Name, got.Action.Key, got.Enabled)
		}
		orig, err := mapping.Compile([]byte(p.Mapping))
		if err != nil {
			t.Fatalf("preset %q: %v", p.Name, err)
		}
		// A rewritten trigger never matched on Segment and has no original to compare
		// with here; the report must say so.
		trigger, rewritten := fql.Parse(p.Trigger)
		if rewritten != nil {
			if len(m.Changes) == 0 {
				t.Errorf("preset %q: trigger changed without a report", p.Name)
			}
			trigger = got.Trigger
			c.rewritten++
		}
		c.mappings++
		for j, ev := range c.events {
			want, werr := orig.AppendJSON(nil, ev)
			have, herr := got.Mapping.AppendJSON(nil, ev)
			if !bytes.Equal(want, have) || fmt.Sprint(werr) != fmt.Sprint(herr) {
				t.Errorf("preset %q, event %d: original renders %s (%v), imported %s (%v)", p.Name, j, want, werr, have, herr)
			}
			if trigger.Match(ev) != got.Trigger.Match(ev) {
				t.Errorf("preset %q, event %d: original trigger %v, imported %v", p.Name, j, trigger.Match(ev), got.Trigger.Match(ev))
			}
			c.renders++
			if werr == nil && len(want) > 2 {
				c.nonEmpty++
			}
		}
	}
}

func indexOf(ms []*workspace.Mapping, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}
