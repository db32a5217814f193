package workspace

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/filter"
)

func compile(t *testing.T, text string) (*Workspace, error) {
	t.Helper()
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return Compile(cfg, destinations.Get)
}

func TestCompileValid(t *testing.T) {
	ws, err := compile(t, `
sources:
  - { id: web, write_key: wk, topics: [events, more] }
  - { id: app, topics: [events] }
destinations:
  - id: hooks
    type: webhook
    sources: [web, app]
    enabled: true
    filters: [{ title: no bots, if: "context.userAgent = 'bot'", actions: [{ type: drop }] }, { if: "type = 'x'", enabled: false, actions: [{ type: drop_event }] }]
    mappings:
      - { id: a, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://x.example.com", method: POST } }
      - { id: b, enabled: false, action: send, trigger: "type = 'page'", mapping: { url: "https://x.example.com", method: POST } }
    delivery: { requests_per_second: 20, max_age: 1h }
  - id: paused
    type: webhook
    sources: [web]
    enabled: false
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := ws.Topics(); fmt.Sprint(got) != "[events more]" {
		t.Fatalf("topics %v", got)
	}
	if len(ws.SourcesForTopic("events")) != 2 || ws.SourceForWriteKey("wk").ID != "web" {
		t.Fatal("source indexes are wrong")
	}
	web := ws.SourceForWriteKey("wk")
	if len(web.Instances) != 1 || web.Instances[0].ID != "hooks" {
		t.Fatalf("a disabled instance is connected: %v", web.Instances)
	}
	hooks := ws.Instance("hooks")
	if len(hooks.Filters) != 1 || hooks.Filters[0].Name != "no bots" || hooks.Filters[0].Actions[0].Kind != filter.Drop {
		t.Fatalf("filters: %+v", hooks.Filters)
	}
	if len(hooks.Mappings) != 1 || hooks.Mappings[0].ID != "a" {
		t.Fatalf("a disabled mapping is compiled in: %+v", hooks.Mappings)
	}
	if d := hooks.Delivery; d.RequestsPerSecond != 20 || d.MaxAge.Hours() != 1 || d.Concurrency != DefaultConcurrency {
		t.Fatalf("delivery %+v", d)
	}
}

func TestCompileReportsEveryProblemWithItsPath(t *testing.T) {
	var mappings strings.Builder
	for i := range 51 {
		fmt.Fprintf(&mappings, "      - { id: m%d, enabled: true, action: send, trigger: \"type = 'track'\", mapping: { url: \"https://x.example.com\", method: POST } }\n", i)
	}
	var filters strings.Builder
	for range 11 {
		filters.WriteString("      - { if: \"type = 'x'\", actions: [{ type: drop }] }\n")
	}
	_, err := compile(t, `
sources:
  - { id: web, topics: [events], tracking_plan: nope }
  - { id: web, topics: [] }
destinations:
  - { id: a, type: nosuch, sources: [web] }
  - id: b
    type: webhook
    sources: [ghost]
    filters:
      - { if: "type = ", actions: [{ type: drop }] }
      - { if: "type = 'x'", actions: [{ type: explode }, { type: sample, percent: 2 }] }
    mappings:
      - { id: m1, action: nosuch, trigger: "type = 'track'", mapping: { url: "x" } }
      - { id: m2, action: send, trigger: "contains(event)", mapping: { url: { "@path": "$.x", "@template": "y" } } }
      - { id: m2, action: send, trigger: "type = 'track'", mapping: { url: { "@nope": 1 } } }
    delivery: { max_age: forever, ordering: sometimes }
  - id: c
    type: webhook
    filters:
`+filters.String()+`    mappings:
`+mappings.String())
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("got %v, want Problems", err)
	}
	text := err.Error()
	for _, want := range []string{
		"sources[0].tracking_plan: no tracking plan has the id \"nope\"",
		"sources[1].id: \"web\" is used twice",
		"sources[1].topics: a source needs at least one topic",
		"destinations[0].type: unknown destination \"nosuch\"",
		"destinations[1].sources[0]: no source has the id \"ghost\"",
		"destinations[1].filters[0].if: ",
		"destinations[1].filters[1].actions[0].type: unknown filter action \"explode\"",
		"destinations[1].filters[1].actions[1].percent: 2 is outside 0 to 1",
		"destinations[1].mappings[0].action: destination \"webhook\" has no action \"nosuch\"",
		"destinations[1].mappings[1].trigger: ",
		"destinations[1].mappings[1].mapping/url: should only have one @-prefixed key but it has 2 keys",
		"destinations[1].mappings[2].id: \"m2\" is used twice",
		"destinations[1].mappings[2].mapping/url: ",
		"destinations[1].delivery.max_age: \"forever\" is not a positive duration",
		"destinations[1].delivery.ordering: \"sometimes\" is not an ordering: use \"per_user\" (the default) or \"none\"",
		"destinations[2].filters: 11 filters; an instance may have at most 10",
		"destinations[2].mappings: 51 mappings; an instance may have at most 50",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing problem %q in:\n%s", want, text)
		}
	}
}

func TestCompileChecksSettingsWithoutQuotingThem(t *testing.T) {
	def := &destkit.Definition{
		Slug: "keyed", Name: "Keyed", Auth: destkit.AuthCustom,
		Settings: []destkit.Field{
			{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true},
			{Key: "region", Label: "Region", Type: destkit.String, Choices: destkit.ChoiceValues("us", "eu")},
		},
	}
	lookup := func(slug string) (*destkit.Definition, bool) { return def, slug == "keyed" }
	for _, tc := range []struct{ settings, want string }{
		{`{}`, `The setting "apiKey" is required.`},
		{`{ apiKey: sk_live_123, region: mars }`, `The setting "region" must be one of`},
	} {
		cfg, err := config.Parse([]byte("sources: [{ id: web, topics: [events] }]\ndestinations: [{ id: k, type: keyed, sources: [web], settings: " + tc.settings + " }]\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(cfg, lookup)
		if err == nil || !strings.Contains(err.Error(), "destinations[0].settings: ") || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("settings %s: got %v, want a problem containing %q", tc.settings, err, tc.want)
		}
		if strings.Contains(err.Error(), "sk_live_123") {
			t.Fatalf("the problem quotes the secret: %v", err)
		}
	}
}

func TestAuthenticateWriteKey(t *testing.T) {
	cfg, err := config.Parse([]byte("sources:\n  - { id: web, write_key: wk_web, topics: [events] }\n  - { id: app, write_key: wk_app, topics: [events2] }\n  - { id: none, topics: [events3] }\n"))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"wk_web": "web", "wk_app": "app", "wk_we": "", "wk_web ": "", "": ""} {
		got := ws.AuthenticateWriteKey(key)
		if (got == nil) != (want == "") || (got != nil && got.ID != want) {
			t.Errorf("%q: %v, want %q", key, got, want)
		}
	}
}

// An instance's secrets include the secret literals of its mappings (LiveRamp's SFTP
// password is an action field), so its masker covers them wherever it masks.
func TestInstanceMasksMappingSecretLiterals(t *testing.T) {
	ws, err := compile(t, `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: lr
    type: liveramp-audiences
    sources: [web]
    enabled: true
    mappings:
      - id: m1
        enabled: true
        action: audienceEnteredSFTP
        trigger: type = "identify"
        mapping: { sftp_username: acme, sftp_password: sftp-pass-999, sftp_folder_path: /in, audience_key: { "@path": "$.context.personas.computation_key" }, filename: { "@path": "$.context.personas.computation_key" } }
`)
	if err != nil {
		t.Fatal(err)
	}
	inst := ws.Instance("lr")
	if got := inst.Masker().Mask(`{"sftp_password":"sftp-pass-999"}`); strings.Contains(got, "sftp-pass-999") {
		t.Errorf("the mapping's password is not masked: %s", got)
	}
	if !strings.Contains(fmt.Sprint(inst.Secrets()), "sftp-pass-999") {
		t.Errorf("secrets %q lack the mapping's password", inst.Secrets())
	}
}
