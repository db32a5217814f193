package control

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/profile"
)

// memProfiles is Profiles over a profile.State, erasing at once.
type memProfiles struct{ state *profile.State }

func (m memProfiles) Get(_ context.Context, key string) (*profile.Profile, error) {
	return m.state.Lookup([]byte(key)), nil
}

func (m memProfiles) Erase(_ context.Context, key string) error {
	m.state.Partition(0).Put([]byte(key), nil)
	return m.state.Commit(nil)
}

func TestProfilesShowAndErase(t *testing.T) {
	state := profile.NewState(nil)
	state.Partition(0).Put([]byte("ada"), profile.New("ada", []string{"anon-1"}, []profile.Trait{{Name: "email", Value: []byte(`"ada@example.com"`)}}))
	if err := state.Commit(nil); err != nil {
		t.Fatal(err)
	}
	c, mem := newAPI(t, Options{Profiles: memProfiles{state}})
	setup(c, "https://hooks.example.com/in")
	c.must(http.StatusNotFound, "GET", "/v1/profiles/ada", "") // profiles are off
	if _, err := mem.Update(context.Background(), configstore.Meta{}, func(*configstore.Snapshot) ([]configstore.Change, error) {
		return []configstore.Change{{Key: "setting/profiles", Value: []byte(`{"enabled":true}`)}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	got := c.must(http.StatusOK, "GET", "/v1/profiles/ada", "")
	p := got.json(t)["profile"].(map[string]any)
	if p["user_id"] != "ada" || p["traits"].(map[string]any)["email"] != "ada@example.com" {
		t.Fatalf("profile answered %s", got.body)
	}
	c.must(http.StatusNotFound, "GET", "/v1/profiles/bob", "")
	c.must(http.StatusBadRequest, "GET", "/v1/profiles/"+strings.Repeat("k", profile.MaxKeyLength+1), "")

	addToken(t, mem, "dashboards", "viewer", "view-token-1")
	as := func(token, method, path string) int {
		req, _ := http.NewRequest(method, c.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := as("view-token-1", "GET", "/v1/profiles/ada"); s != http.StatusOK {
		t.Fatalf("a viewer reading a profile: %d", s)
	}
	if s := as("view-token-1", "DELETE", "/v1/profiles/ada"); s != http.StatusForbidden {
		t.Fatalf("a viewer erasing a profile: %d", s)
	}
	c.must(http.StatusAccepted, "DELETE", "/v1/profiles/ada", "")
	c.must(http.StatusNotFound, "GET", "/v1/profiles/ada", "")

	c, _ = newAPI(t, Options{})
	c.must(http.StatusNotImplemented, "GET", "/v1/profiles/ada", "")
}
