package reliability

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
)

// sink is a destination on 127.0.0.1 that records the bodies it accepted, in arrival order
// per path, and answers as its handler says.
type sink struct {
	*httptest.Server
	mu       sync.Mutex
	accepted map[string][]string
	attempts atomic.Int64
}

// answer decides a response; accept says whether the body counts as received by the
// destination.
type answer func(w http.ResponseWriter, r *http.Request, body []byte) (accept bool)

func newSink(t *testing.T, handle answer) *sink {
	s := &sink{accepted: map[string][]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.attempts.Add(1)
		if handle(w, r, body) {
			s.mu.Lock()
			s.accepted[r.URL.Path] = append(s.accepted[r.URL.Path], string(body))
			s.mu.Unlock()
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func ok(w http.ResponseWriter, _ *http.Request, _ []byte) bool {
	w.Write([]byte(`{}`))
	return true
}

func (s *sink) bodies(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.accepted[path]...)
}

func (s *sink) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accepted[path])
}

// oauthDefinition is a test-only OAuth destination; tests redirect its hosts to sinks.
func oauthDefinition() *destkit.Definition {
	return &destkit.Definition{
		Slug: "oauth-test", Name: "OAuth test", Auth: destkit.AuthOAuth2,
		OAuth: &destkit.OAuthConfig{TokenURL: "https://auth.example.test/token"},
		Actions: []*destkit.Action{{
			Key: "post",
			Fields: []destkit.Field{
				{Key: "user", Label: "User", Type: destkit.String, Required: true},
				{Key: "plan", Label: "Plan", Type: destkit.String},
			},
			Perform: func(in *destkit.Input) ([]destkit.Request, error) {
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://api.example.test/v1/profiles", destkit.AppendValue(nil, in.Payload))}, nil
			},
		}},
	}
}

func lookup(slug string) (*destkit.Definition, bool) {
	if slug == "oauth-test" {
		return oauthDefinition(), true
	}
	return destinations.Get(slug)
}
