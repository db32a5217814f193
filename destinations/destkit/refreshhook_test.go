package destkit

import (
	"context"
	"net/http/httptest"
	"testing"
)

// OnRefreshFailure hears of each failed refresh (the sender counts them), and only those.
func TestOnRefreshFailure(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	var failed []string
	hook := OnRefreshFailure(func(instance string, err error) { failed = append(failed, instance+": "+err.Error()) })

	good, _ := NewInstance("good", def, oauthSettings())
	if err := NewClient(RedirectAll(srv.URL), hook).Send(context.Background(), good, def.Actions[0], []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if len(failed) != 0 {
		t.Fatalf("a refresh that worked was reported: %v", failed)
	}
	settings := oauthSettings()
	settings["oauth"].(map[string]any)["refresh_token"] = "revoked" // the token endpoint answers 400
	bad, _ := NewInstance("bad", def, settings)
	if err := NewClient(RedirectAll(srv.URL), hook).Send(context.Background(), bad, def.Actions[0], []byte(`{}`)); err == nil {
		t.Fatal("sent with a revoked refresh token")
	}
	if len(failed) != 1 || failed[0][:5] != "bad: " {
		t.Fatalf("failures reported: %v", failed)
	}
}
