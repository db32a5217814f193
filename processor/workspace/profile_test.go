package workspace

import (
	"errors"
	"strings"
	"testing"
)

const profileDestinations = `
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ if: "profile.traits.plan = 'pro' and properties.profile.x = 1 and event = 'Viewed profile.page'", actions: [{ type: drop }] }]
    mappings:
      - { id: a, enabled: true, action: send, trigger: "profile.user_id != null", mapping: { url: "https://x.example.com/profile.html", method: POST, data: { e: { "@path": "$.profile.traits.email" }, p: { "@path": "$.profile" } } } }
      - { id: b, enabled: true, action: send, trigger: "profile.plan = 'x'", mapping: { url: "https://x.example.com", method: POST, data: { e: { "@path": "$.profile.email" }, n: { "@path": "$.properties.profiles" } } } }
`

func TestProfilePathsAreCheckedAgainstTheProfile(t *testing.T) {
	_, err := compile(t, "sources: [{ id: web, topics: [events] }]\nprofiles: { enabled: true }\n"+profileDestinations)
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want problems, got %v", err)
	}
	got := map[string]string{}
	for _, p := range problems {
		got[p.Path] = p.Reason
	}
	want := map[string]string{
		"destinations[0].mappings[1].trigger": "$.profile.plan is not a profile path: a profile has traits (profile.traits.<name>), user_id and anonymous_ids",
		"destinations[0].mappings[1].mapping": "$.profile.email is not a profile path: a profile has traits (profile.traits.<name>), user_id and anonymous_ids",
	}
	for path, reason := range want {
		if got[path] != reason {
			t.Errorf("%s: got %q, want %q", path, got[path], reason)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("problems:\n%v", problems)
	}
}

func TestProfilePathsNeedProfilesOn(t *testing.T) {
	_, err := compile(t, "sources: [{ id: web, topics: [events] }]\n"+strings.Split(profileDestinations, "      - { id: b")[0])
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want problems, got %v", err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Path+": "+p.Reason)
	}
	want := []string{
		"destinations[0].filters[0].if: $.profile.traits reads the user's profile, and profiles are off (profiles: {enabled: true})",
		"destinations[0].mappings[0].trigger: $.profile.user_id reads the user's profile, and profiles are off (profiles: {enabled: true})",
		"destinations[0].mappings[0].mapping: $.profile.traits reads the user's profile, and profiles are off (profiles: {enabled: true})",
		"destinations[0].mappings[0].mapping: $.profile reads the user's profile, and profiles are off (profiles: {enabled: true})",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ws, err := compile(t, "sources: [{ id: web, topics: [events] }]\nprofiles: { enabled: true }\n"+strings.Split(profileDestinations, "      - { id: b")[0])
	if err != nil {
		t.Fatal(err)
	}
	if !ws.Profiles || !ws.Sources[0].Profiles {
		t.Fatal("profiles are not on")
	}
}
