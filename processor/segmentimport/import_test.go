package segmentimport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
)

const amplitudeDest = `{"data":{"destination":{"id":"dAmp1","name":"Amplitude (prod)","enabled":true,"sourceId":"rh5BDZp6QDHvXFCkibm1pR",
  "metadata":{"id":"m1","name":"Actions Amplitude","slug":"actions-amplitude"},
  "settings":{"apiKey":"••••••••••dada","secretKey":"••••••••••beef","endpoint":"europe","retarget":true}}}}`

const amplitudeSubs = `{"data":{"subscriptions":[
  {"id":"sub1","name":"Track Calls","actionSlug":"logEventV2","destinationId":"dAmp1","modelId":"","enabled":true,
   "trigger":"type = \"track\" and event != \"Order Completed\"","settings":{"event_type":{"@path":"$.event"},"user_id":{"@path":"$.userId"}}},
  {"id":"sub2","name":"Identify","actionSlug":"identifyUser","destinationId":"dAmp1","enabled":false,
   "trigger":"type = \"identify\"","settings":{"user_id":{"@path":"$.userId"},"user_properties":{"@path":"$.traits"}}},
  {"id":"sub3","name":"Session","actionSlug":"sessionId","destinationId":"dAmp1","enabled":true,"trigger":"type = \"page\"","settings":{}},
  {"id":"sub4","name":"Single quotes","actionSlug":"logEventV2","destinationId":"dAmp1","enabled":true,"trigger":"type = 'track'","settings":{"event_type":{"@path":"$.event"}}},
  {"id":"sub5","name":"Warehouse sync","actionSlug":"logEventV2","destinationId":"dAmp1","modelId":"mdl9","enabled":true,"trigger":"","settings":{}},
  {"id":"sub6","name":"Double equals","actionSlug":"logEventV2","destinationId":"dAmp1","enabled":true,"trigger":"type = \"track\" and event == \"X\"","settings":{}},
  {"id":"sub7","name":"Bad mapping","actionSlug":"logEventV2","destinationId":"dAmp1","enabled":true,"trigger":"type = \"track\"","settings":{"event_type":{"@nope":1}}}
]}}`

const amplitudeFilters = `{"data":{"filters":[
  {"id":"flt1","sourceId":"rh5BDZp6QDHvXFCkibm1pR","destinationId":"dAmp1","title":"Drop bots","if":"context.userAgent = \"bot\"","actions":[{"type":"drop"}],"enabled":true},
  {"id":"flt2","destinationId":"dAmp1","title":"No PII","if":"all","actions":[{"type":"blacklist_fields","fields":{"properties":{"fields":["email"]},"context":["ip"]}}],"enabled":false},
  {"id":"flt3","destinationId":"dAmp1","title":"Broken","if":"type = ","actions":[{"type":"drop"}]}
]}}`

func importAmplitude(t *testing.T, opts Options) *Result {
	t.Helper()
	ds, err := ParseDestinations([]byte(amplitudeDest))
	if err != nil {
		t.Fatal(err)
	}
	subs, err := ParseSubscriptions([]byte(amplitudeSubs))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := ParseFilters([]byte(amplitudeFilters))
	if err != nil {
		t.Fatal(err)
	}
	opts.Definitions, opts.Lookup = destinations.All(), destinations.Get
	res, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}, Filters: [][]Filter{fs}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportReport(t *testing.T) {
	res := importAmplitude(t, Options{})
	if len(res.Destinations) != 1 {
		t.Fatalf("destinations %d", len(res.Destinations))
	}
	d := res.Destinations[0]
	if d.ID != "amplitude-prod" || d.Type != "amplitude" || !d.Enabled || d.Sources[0] != "rh5BDZp6QDHvXFCkibm1pR" {
		t.Errorf("instance %s %s %v %v", d.ID, d.Type, d.Enabled, d.Sources)
	}
	// Secrets become references, never the masked text; unknown settings are dropped.
	want := map[string]any{"apiKey": "${env:AMPLITUDE_PROD_API_KEY}", "secretKey": "${env:AMPLITUDE_PROD_SECRET_KEY}", "endpoint": "europe"}
	for k, v := range want {
		if d.Settings[k] != v {
			t.Errorf("setting %s = %v, want %v", k, d.Settings[k], v)
		}
	}
	if _, ok := d.Settings["retarget"]; ok || len(d.Settings) != 3 {
		t.Errorf("settings %v", d.Settings)
	}
	if strings.Join(res.Report.Env, ",") != "AMPLITUDE_PROD_API_KEY,AMPLITUDE_PROD_SECRET_KEY" {
		t.Errorf("env %v", res.Report.Env)
	}
	// Mappings in order, with name, action, trigger, mapping and enabled state.
	var got []string
	for _, m := range d.Mappings {
		got = append(got, m.ID+"/"+m.Action+"/"+map[bool]string{true: "on", false: "off"}[m.Enabled])
	}
	if strings.Join(got, " ") != "sub1/logEventV2/on sub2/identifyUser/off" {
		t.Errorf("mappings %v", got)
	}
	if string(d.Mappings[0].Mapping) != `{"event_type":{"@path":"$.event"},"user_id":{"@path":"$.userId"}}` {
		t.Errorf("mapping %s", d.Mappings[0].Mapping)
	}
	rep := res.Report.Destinations[0]
	reasons := map[string]string{}
	for _, m := range rep.Mappings {
		reasons[m.SegmentID] = strings.Join(m.Reasons, "; ")
	}
	for id, want := range map[string]string{
		"sub1": "", "sub2": "",
		"sub3": "browser plugins",
		"sub4": "single-quoted string",
		"sub5": "Reverse ETL",
		"sub6": "does not parse here",
		"sub7": "@nope",
	} {
		if want == "" && reasons[id] != "" || !strings.Contains(reasons[id], want) {
			t.Errorf("%s: reasons %q, want %q", id, reasons[id], want)
		}
	}
	// Filters: kept, legacy names rewritten, broken ones named.
	if len(d.Filters) != 2 {
		t.Fatalf("filters %+v", d.Filters)
	}
	f := d.Filters[1]
	if f.ID != "flt2" || f.If != "true" || f.IsEnabled() || f.Actions[0].Type != "drop_properties" ||
		strings.Join(f.Actions[0].Fields["properties"], ",") != "email" || strings.Join(f.Actions[0].Fields["context"], ",") != "ip" {
		t.Errorf("filter %+v", f)
	}
	if len(rep.Filters[1].Changes) != 2 || rep.Filters[2].Imported() {
		t.Errorf("filter reports %+v", rep.Filters)
	}
	imported, total := res.Report.Counts()
	if imported != 5 || total != 11 || res.Report.Outcome() != Some {
		t.Errorf("counts %d/%d outcome %v", imported, total, res.Report.Outcome())
	}
	var text bytes.Buffer
	res.Report.WriteText(&text)
	for _, want := range []string{
		`destination "Amplitude (prod)" (dAmp1, actions-amplitude) → amplitude-prod (type amplitude): imported`,
		`changed: setting apiKey: ${env:AMPLITUDE_PROD_API_KEY}`,
		`changed: setting retarget dropped`,
		`subscription "Single quotes" (sub4): NOT imported`,
		`secrets: set AMPLITUDE_PROD_API_KEY, AMPLITUDE_PROD_SECRET_KEY`,
		`5 of 11 objects imported`,
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}

func TestImportOptionsAndOutcomes(t *testing.T) {
	res := importAmplitude(t, Options{ID: "amp", Source: "web", Topic: "segment-events"})
	if d := res.Destinations[0]; d.ID != "amp" || d.Sources[0] != "web" || d.Settings["apiKey"] != "${env:AMP_API_KEY}" {
		t.Errorf("instance %s %v %v", d.ID, d.Sources, d.Settings)
	}
	if len(res.Sources) != 1 || res.Sources[0].ID != "web" || res.Sources[0].Topics[0] != "segment-events" {
		t.Errorf("sources %+v", res.Sources)
	}

	// An unknown destination: nothing under it is imported.
	unknown := `{"destination":{"id":"d2","name":"Legacy","sourceId":"s","metadata":{"slug":"google-analytics"},"settings":{}}}`
	ds, _ := ParseDestinations([]byte(unknown))
	subs, _ := ParseSubscriptions([]byte(`[{"id":"x","name":"x","actionSlug":"a","trigger":"type = \"track\"","settings":{}}]`))
	res, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}}, Options{Definitions: destinations.All(), Lookup: destinations.Get})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Outcome() != None || len(res.Destinations) != 0 || !strings.Contains(res.Report.Destinations[0].Reasons[0], `"google-analytics"`) {
		t.Errorf("unknown destination: %+v", res.Report)
	}

	// Everything imported.
	ok := `{"destination":{"id":"d3","name":"Hook","enabled":false,"sourceId":"s1","metadata":{"slug":"actions-webhook"},"settings":{}}}`
	ds, _ = ParseDestinations([]byte(ok))
	subs, _ = ParseSubscriptions([]byte(`{"subscriptions":[{"id":"s-1","name":"All","actionSlug":"send","trigger":"type = \"track\"","enabled":true,"settings":{"url":"https://example.com","method":"POST","data":{"@path":"$.properties"}}}]}`))
	res, err = Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}}, Options{Definitions: destinations.All(), Lookup: destinations.Get})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Outcome() != All {
		t.Errorf("outcome %v: %+v", res.Report.Outcome(), res.Report)
	}
	if _, err := Import(Input{Destinations: append(ds, ds...)}, Options{ID: "x"}); err == nil {
		t.Error("--id with two destinations accepted")
	}
}

// A subscription made from one of Segment's presets that Actuate ships rewritten
// (iterable's "==") is imported with the shipped trigger and the change reported; any
// other "==" is not imported.
func TestImportRewrittenPreset(t *testing.T) {
	ds, _ := ParseDestinations([]byte(`{"destination":{"id":"it","name":"Iterable","sourceId":"s1","metadata":{"slug":"actions-iterable"},"settings":{"apiKey":"••••1234"}}}`))
	subs, _ := ParseSubscriptions([]byte(`[
	  {"id":"p1","name":"Order Completed Calls","actionSlug":"trackPurchase","enabled":true,"trigger":"type = \"track\" and event == \"Order Completed\"","settings":{"user":{"email":{"@path":"$.properties.email"}}}},
	  {"id":"p2","name":"Other","actionSlug":"trackPurchase","enabled":true,"trigger":"type = \"track\" and event == \"Refunded\"","settings":{}}]`))
	res, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}}, Options{Definitions: destinations.All(), Lookup: destinations.Get})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := destinations.Get("iterable"); !ok {
		t.Skip("iterable is not registered")
	}
	rep := res.Report.Destinations[0]
	if !rep.Imported() || len(res.Destinations[0].Mappings) != 1 || res.Destinations[0].Mappings[0].Trigger != `type = "track" and event = "Order Completed"` {
		t.Fatalf("%+v", rep)
	}
	if len(rep.Mappings[0].Changes) != 1 || !strings.Contains(rep.Mappings[0].Changes[0], "never matched") || rep.Mappings[1].Imported() {
		t.Errorf("%+v", rep.Mappings)
	}
}

// Several destinations in one run: subscriptions and filters go to the destination they
// name, and ids stay unique.
func TestImportSeveral(t *testing.T) {
	two := `{"data":{"destinations":[
	  {"id":"a","name":"Hook","sourceId":"s1","metadata":{"slug":"actions-webhook"},"settings":{}},
	  {"id":"b","name":"Hook","sourceId":"s1","metadata":{"slug":"actions-webhook"},"settings":{}}]}}`
	ds, err := ParseDestinations([]byte(two))
	if err != nil || len(ds) != 2 {
		t.Fatal(err, ds)
	}
	subs, _ := ParseSubscriptions([]byte(`[{"id":"s","name":"n","actionSlug":"send","destinationId":"b","trigger":"type = \"track\"","settings":{"url":"https://example.com","method":"POST"}}]`))
	res, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{subs}}, Options{Definitions: destinations.All(), Lookup: destinations.Get})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Destinations) != 2 || res.Destinations[0].ID != "hook" || res.Destinations[1].ID != "hook-2" ||
		len(res.Destinations[0].Mappings) != 0 || len(res.Destinations[1].Mappings) != 1 || len(res.Sources) != 1 {
		t.Errorf("%+v", res.Destinations)
	}
	orphan, _ := ParseSubscriptions([]byte(`[{"id":"s","destinationId":"zzz"}]`))
	if _, err := Import(Input{Destinations: ds, Subscriptions: [][]Subscription{orphan}}, Options{}); err == nil {
		t.Error("a subscription of no destination was accepted")
	}
}

// The written file reads back to the same objects, secrets resolved from the environment.
func TestWriteYAMLRoundTrip(t *testing.T) {
	res := importAmplitude(t, Options{})
	var b bytes.Buffer
	if err := WriteYAML(&b, "imported", res.Sources, res.Destinations); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AMPLITUDE_PROD_API_KEY", "k1")
	t.Setenv("AMPLITUDE_PROD_SECRET_KEY", "k2")
	cfg, err := config.Parse(b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	d := cfg.Destinations[0]
	if d.Settings["apiKey"] != "k1" || d.Settings["secretKey"] != "k2" || len(d.Mappings) != 2 || len(d.Filters) != 2 {
		t.Errorf("read back %+v", d)
	}
	if string(d.Mappings[0].Mapping) != string(res.Destinations[0].Mappings[0].Mapping) {
		t.Errorf("mapping %s, written from %s", d.Mappings[0].Mapping, res.Destinations[0].Mappings[0].Mapping)
	}
	if !strings.HasPrefix(b.String(), "# imported\n") || strings.Contains(b.String(), "•") {
		t.Errorf("file:\n%s", b.String())
	}
}
