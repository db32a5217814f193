package router

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/workspace"
)

// differentialWorkspace keeps profiles and uses every filter kind (drop, sample at random and by a field,
// allow and drop properties, a condition that cannot be decided, a filter scoped to one
// source), a tracking plan that blocks, omits and renames, and mappings that route, fail
// to render or validate, or are disabled.
const differentialWorkspace = `
sources:
  - id: web
    topics: [events]
    tracking_plan: plan
  - id: app
    topics: [app-events]
profiles: { enabled: true }
tracking_plans:
  - id: plan
    events:
      Order Completed: { properties: { type: object, required: [order_id], properties: { total: { type: number } } } }
      Signed Up: { properties: { type: object, properties: { plan: { type: string } } } }
    identify: { traits: { type: object, properties: { email: { type: string, format: email } } } }
    on_violation: { invalid_properties: omit, invalid_traits: block }
    transformations:
      - if: 'event = "Signed Up"'
        rename_event: Account Created
        rename_properties: { plan: tier }
destinations:
  - id: hooks
    type: webhook
    sources: [web, app]
    enabled: true
    filters:
      - title: drop test users
        if: "match(userId, 'test-*')"
        actions: [{ type: drop_event }]
      - title: undecidable
        if: "contains(properties.n, 'x')"
        actions: [{ type: drop_event }]
      - title: strip email
        if: "type = 'track'"
        actions: [{ type: drop_properties, fields: { properties: [email], context: [ip] } }]
      - title: only some traits
        if: "type = 'identify'"
        actions: [{ type: allow_properties, fields: { traits: [email, plan] } }]
      - title: half the app users
        source_id: app
        if: "type != null"
        actions: [{ type: sample_event, percent: 0.5, path: userId }]
      - title: keep all
        if: "event = 'Keep'"
        actions: [{ type: sample_event, percent: 1 }]
      - title: lose all
        if: "event = 'Lose'"
        actions: [{ type: sample, percent: 0 }]
      - title: disabled drop
        enabled: false
        if: "type != null"
        actions: [{ type: drop }]
    mappings:
      - id: orders
        enabled: true
        action: send
        trigger: 'event = "Order Completed"'
        mapping: { url: "https://hooks.example.com/orders", method: POST, data: { order: { "@path": "$.properties.order_id" }, props: { "@path": "$.properties" }, ctx: { "@path": "$.context" } } }
      - id: tracks
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://hooks.example.com/all", method: POST, data: { name: { "@path": "$.event" }, props: { "@path": "$.properties" } } }
      - id: people
        enabled: true
        action: send
        trigger: 'type = "identify" or type = "group"'
        mapping: { url: "https://hooks.example.com/people", method: PUT, data: { "@path": "$.traits" } }
      - id: profiled
        enabled: true
        action: send
        trigger: 'profile.traits.plan = "pro" or profile.user_id = "u13"'
        mapping: { url: "https://hooks.example.com/profiles", method: POST, data: { profile: { "@path": "$.profile" }, email: { "@path": "$.profile.traits.email" } } }
      - id: draft
        enabled: false
        action: send
        trigger: 'type != null'
        mapping: { url: "https://hooks.example.com/never", method: POST }
      - id: bad-url
        enabled: true
        action: send
        trigger: 'properties.broken = true'
        mapping: { url: { "@path": "$.properties.target" }, method: POST }
  - id: amp
    type: amplitude
    sources: [web]
    enabled: true
    consent_categories: [Analytics]
    settings: { apiKey: amp-key-1234567, secretKey: amp-secret-7654321 }
    filters:
      - title: web only no bots
        source_id: web
        if: "context.userAgent = 'bot'"
        actions: [{ type: drop_event }]
    mappings:
      - id: events
        enabled: true
        action: logEvent
        trigger: 'type = "track" or type = "page"'
        mapping: { event_type: { "@path": "$.event" }, user_id: { "@path": "$.userId" }, device_id: { "@path": "$.anonymousId" }, event_properties: { "@path": "$.properties" } }
      - id: users
        enabled: true
        action: identifyUser
        trigger: 'type = "identify"'
        mapping: { user_id: { "@path": "$.userId" }, user_properties: { "@path": "$.traits" } }
`

// differentialEvents is the corpus: ordinary events of every type, events each stage
// acts on, and hostile ones.
var differentialEvents = []string{
	`{"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o1","total":12.5,"email":"a@b.c"},"context":{"ip":"1.2.3.4","page":{"url":"https://x"}}}`,
	`{"type":"track","event":"Order Completed","userId":"u1","properties":{"total":3}}`,
	`{"type":"track","event":"Order Completed","userId":"u2","properties":{"order_id":"o2","total":"lots"}}`,
	`{"type":"track","event":"Signed Up","userId":"u3","properties":{"plan":"pro","email":"x@y.z"}}`,
	`{"type":"track","event":"Keep","userId":"u4"}`,
	`{"type":"track","event":"Lose","userId":"u4"}`,
	`{"type":"track","event":"Clicked","userId":"test-7","properties":{"broken":true}}`,
	`{"type":"track","event":"Clicked","userId":"u5","properties":{"broken":true,"target":"not a url"}}`,
	`{"type":"track","event":"Clicked","userId":"u5","properties":{"broken":true,"target":"https://ok.example.com/x"}}`,
	`{"type":"track","event":"Clicked","userId":"u6","properties":{"n":5}}`,
	`{"type":"track","event":"Clicked","userId":"u6","properties":{"n":"xyz"}}`,
	`{"type":"track","event":"Clicked","userId":"u7","context":{"userAgent":"bot"}}`,
	`{"type":"identify","userId":"u8","traits":{"email":"u8@example.com","plan":"pro","age":40}}`,
	`{"type":"identify","userId":"u8","traits":{"email":"not an email"}}`,
	`{"type":"identify","anonymousId":"a9","context":{"traits":{"email":"c@d.e","secret":"s"}}}`,
	`{"type":"group","userId":"u10","groupId":"g1","traits":{"name":"Acme"}}`,
	`{"type":"page","anonymousId":"a11","name":"Home","properties":{"url":"https://x"}}`,
	`{"type":"screen","userId":"u12","name":"Main"}`,
	`{"type":"alias","userId":"u13","previousId":"a13"}`,
	`{"type":"track","event":"Clicked","userId":"u8"}`,
	`{"type":"identify","userId":"u13","anonymousId":"a9","traits":{"name":"Thirteen"}}`,
	`{"type":"track","event":"Clicked","userId":"u13","context":{"traits":{"plan":"pro"}}}`,
	`{"type":"track","event":"Order Completed","userId":"u14","properties":{"order_id":"o14","total":1e308,"nested":{"deep":[1,[2,[3,{"x":null}]]]}}}`,
	`{"type":"track","event":"Ünïcødé ✓","userId":"u15","properties":{"emoji":"😀","esc":"a\"b\\c\u0000"}}`,
	`{"type":"track","event":"","userId":"u16"}`,
	`{"type":"track","userId":"u17"}`,
	`{"type":"spam","userId":"u18"}`,
	`{"type":"track","event":"x","userId":{"id":1}}`,
	`{"type":"track","event":"x","userId":123,"properties":null}`,
	`{"type":"track","event":"x","properties":[1,2,3],"context":"nope"}`,
	`{"type":"track","event":"dup","event":"dup2","userId":"u19"}`,
	`{"type":"track","event":"x","userId":"u20","properties":{"big":123456789012345678901234567890}}`,
	`{"type":"track"`,
	`[]`,
	`null`,
	"{\"type\":\"track\",\"event\":\"x\",\"userId\":\"\xff\xfe\"}",
	`{"type":"track","event":"deep","userId":"u21","properties":` + strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70) + `}`,
	`{"type":"track","event":"Clicked","userId":"u22","integrations":{"All":false,"Actions Amplitude":true}}`,
	`{"type":"track","event":"Clicked","userId":"u23","integrations":{"Amplitude":false,"hooks":{"note":"options"}}}`,
	`{"type":"track","event":"Clicked","userId":"u24","integrations":{"Webhooks":false}}`,
	`{"type":"track","event":"Clicked","userId":"u25","context":{"consent":{"categoryPreferences":{"Analytics":false}}}}`,
	`{"type":"track","event":"Clicked","userId":"u26","context":{"consent":{"categoryPreferences":{"Analytics":true}}}}`,
	`{"type":"track","event":"Clicked","userId":"u27","context":{"consent":{}},"integrations":{"All":false}}`,
}

// pipelineView is what the pipeline did for one instance: its outcome, the requests it
// emitted and the dead letters it wrote, in order.
type pipelineView struct {
	Outcome, Stage, Filter string
	Requests               []string // mapping: payload
	DeadLetters            []string // mapping: stage: reason: error
}

// TestTesterReportsWhatThePipelineEmits holds the Event Tester to the pipeline: for every
// event of the corpus and every instance of its source, the tester's outcome, payloads and
// failures are exactly the pipeline's outcome, action requests and dead letters.
//
// The events of a source go through one pipeline, in order, so that profiles carry from
// one to the next; the tester sees the profiles the pipeline committed before each.
func TestTesterReportsWhatThePipelineEmits(t *testing.T) {
	ws := testws.Compile(t, differentialWorkspace)
	compared, carried := 0, 0
	for _, src := range ws.Sources {
		profiles := profile.NewState(nil)
		for i, raw := range differentialEvents {
			var results []*tester.Result
			var errs []error
			for _, inst := range src.Instances {
				res, err := tester.Run(context.Background(), ws, inst.ID, []byte(raw), tester.Options{Source: src.ID, Profiles: profiles})
				results, errs = append(results, res), append(errs, err)
			}
			got := routeForDifferential(t, ws, src, raw, profiles)
			for j, inst := range src.Instances {
				name := fmt.Sprintf("%s/event %d/%s", src.ID, i, inst.ID)
				res, err := results[j], errs[j]
				pv, routed := got.byInstance[inst.ID]
				if err != nil {
					// The pipeline must have refused the event before any instance, at decode.
					if routed || got.ingestStage != "decode" {
						t.Errorf("%s: tester error %v, but the pipeline routed it (%+v, ingest stage %q)", name, err, pv, got.ingestStage)
					}
					compared++
					continue
				}
				if !routed {
					t.Errorf("%s: the tester reported %+v but the pipeline gave up at %q", name, res, got.ingestStage)
					continue
				}
				for _, req := range pv.Requests {
					if raw == `{"type":"track","event":"Clicked","userId":"u8"}` && strings.Contains(req, `"email":"u8@example.com"`) {
						carried++ // the identify's email, from the profile
					}
				}
				tv := testerView(res)
				if !equalViews(pv, tv) {
					t.Errorf("%s: %s\n pipeline %+v\n tester   %+v", name, raw, *pv, tv)
				}
				compared++
			}
		}
	}
	if want := len(differentialEvents) * 3; compared != want { // web: hooks and amp; app: hooks
		t.Fatalf("compared %d (event, instance) pairs, want %d", compared, want)
	}
	if carried != 1 { // web's hooks; app's identify changed the email
		t.Fatalf("%d requests carry u8's email from the profile, want 1", carried)
	}
}

type differentialRun struct {
	ingestStage string
	byInstance  map[string]*pipelineView
}

// routeForDifferential routes raw through a new pipeline that keeps profiles in
// profiles (nil: a new state), and commits its updates.
func routeForDifferential(t *testing.T, ws *workspace.Workspace, src *workspace.Source, raw string, profiles *profile.State) differentialRun {
	t.Helper()
	tally := NewTally()
	p := NewPipeline("actuate.dlq", event.Limits{}, tally)
	if profiles == nil {
		profiles = profile.NewState(nil)
	}
	p.SetProfiles(profiles, nil, "", "")
	defer func() {
		if err := profiles.Commit(nil); err != nil {
			t.Fatal(err)
		}
	}()
	run := differentialRun{byInstance: map[string]*pipelineView{}}
	view := func(id string) *pipelineView {
		if run.byInstance[id] == nil {
			run.byInstance[id] = &pipelineView{}
		}
		return run.byInstance[id]
	}
	r := routeOne(t, p, ws, Input{Topic: src.Topics[0], Value: []byte(raw)})
	for _, ar := range r.requests {
		v := view(ar.Instance)
		v.Requests = append(v.Requests, ar.Mapping+": "+string(ar.Payload))
	}
	for _, dl := range r.deadLetters {
		if dl.Instance == "" {
			run.ingestStage = string(dl.Stage)
			continue
		}
		v := view(dl.Instance)
		v.DeadLetters = append(v.DeadLetters, dl.Mapping+": "+string(dl.Stage)+": "+dl.Reason+": "+dl.Error)
	}
	for k, n := range tally.outcomes {
		v := view(k[0])
		if n != 1 || v.Outcome != "" {
			t.Fatalf("instance %s: more than one outcome for one event (%v)", k[0], tally.outcomes)
		}
		v.Outcome, v.Stage, v.Filter = k[1], k[2], k[3]
	}
	return run
}

// testerView is the same view of the tester's report: only enabled mappings send.
func testerView(res *tester.Result) pipelineView {
	v := pipelineView{Outcome: res.Outcome, Stage: res.Stage, Filter: res.Filtered}
	for _, m := range res.Mappings {
		if !m.Enabled || !m.Matched {
			continue
		}
		if m.Stage == "" {
			v.Requests = append(v.Requests, m.Mapping+": "+string(m.Payload))
		} else {
			v.DeadLetters = append(v.DeadLetters, m.Mapping+": "+m.Stage+": "+m.Reason+": "+m.ValidationError)
		}
	}
	return v
}

func equalViews(a *pipelineView, b pipelineView) bool {
	return a.Outcome == b.Outcome && a.Stage == b.Stage && a.Filter == b.Filter &&
		slices.Equal(a.Requests, b.Requests) && slices.Equal(a.DeadLetters, b.DeadLetters)
}

// The corpus must exercise every outcome, or the comparison proves less than it says.
func TestDifferentialCorpusCoversEveryOutcome(t *testing.T) {
	ws := testws.Compile(t, differentialWorkspace)
	seen := map[string]bool{}
	for _, src := range ws.Sources {
		for _, raw := range differentialEvents {
			run := routeForDifferential(t, ws, src, raw, nil)
			if run.ingestStage != "" {
				seen["ingest "+run.ingestStage] = true
			}
			for _, v := range run.byInstance {
				seen[v.Outcome+" "+v.Stage+" "+v.Filter] = true
				for _, dl := range v.DeadLetters {
					seen["dead letter "+strings.SplitN(dl, ": ", 3)[1]] = true
				}
			}
		}
	}
	for _, want := range []string{
		"ingest decode", "routed  ", "no_matching_mapping trigger ", "filtered protocols ",
		"filtered filter drop test users", "filtered filter undecidable", "filtered filter half the app users",
		"filtered filter lose all", "filtered filter web only no bots", "dead_lettered mapping ",
		"filtered consent ", "filtered integrations ",
		"dead letter validate",
	} {
		if !seen[want] {
			keys := make([]string, 0, len(seen))
			for k := range seen {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			t.Errorf("no event of the corpus gives %q; seen %q", want, keys)
		}
	}
}
