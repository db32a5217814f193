package destkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// oauthDef is a minimal OAuth destination whose one action posts the payload.
func oauthDef(tokenURL string) *Definition {
	return &Definition{
		Slug: "oauth-test", Auth: AuthOAuth2,
		OAuth: &OAuthConfig{TokenURL: tokenURL},
		Actions: []*Action{{
			Key: "post",
			Perform: func(in *Input) ([]Request, error) {
				return []Request{NewJSONRequest("POST", "https://api.example.com/v1/things", AppendValue(nil, in.Payload))}, nil
			},
			PerformBatch: func(in *BatchInput) ([]Request, error) {
				w := NewJSONWriter(nil)
				w.ArrayStart()
				for _, p := range in.Payloads {
					w.Value(p)
				}
				w.ArrayEnd()
				return []Request{NewJSONRequest("POST", "https://api.example.com/v1/batch", w.Bytes())}, nil
			},
		}},
	}
}

// fakeAPI accepts only the bearer token "fresh" and issues it from /token.
type fakeAPI struct {
	refreshes atomic.Int32
	seenAuth  []string
	mu        sync.Mutex
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		f.refreshes.Add(1)
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "grant_type=refresh_token") || !strings.Contains(string(body), "refresh_token=r1") ||
			!strings.Contains(string(body), "client_secret=cs") {
			w.WriteHeader(400)
			return
		}
		time.Sleep(20 * time.Millisecond) // widen the window for concurrent refreshes
		fmt.Fprint(w, `{"access_token":"fresh","expires_in":3600}`)
		return
	}
	f.mu.Lock()
	f.seenAuth = append(f.seenAuth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer fresh" {
		w.WriteHeader(401)
		return
	}
	w.WriteHeader(200)
}

func oauthSettings() map[string]any {
	return map[string]any{"oauth": map[string]any{
		"access_token": "stale", "refresh_token": "r1", "clientId": "ci", "clientSecret": "cs",
	}}
}

func TestOAuthRefreshOn401(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, err := NewInstance("i1", def, oauthSettings())
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryTokenStore()
	c := NewClient(RedirectAll(srv.URL), WithTokenStore(store))
	if err := c.Send(context.Background(), inst, def.Actions[0], []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(api.seenAuth, ","); got != "Bearer stale,Bearer fresh" {
		t.Fatalf("auth headers %s", got)
	}
	tok, _, _ := store.Get(context.Background(), "i1")
	if tok.AccessToken != "fresh" || tok.RefreshToken != "r1" || tok.Expiry.IsZero() {
		t.Fatalf("stored token %+v", tok)
	}
	// The next event uses the stored token directly.
	if err := c.Send(context.Background(), inst, def.Actions[0], []byte(`{"a":2}`)); err != nil {
		t.Fatal(err)
	}
	if n := api.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes", n)
	}
}

func TestOAuthConcurrent401sRefreshOnce(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, _ := NewInstance("i1", def, oauthSettings())
	c := NewClient(RedirectAll(srv.URL))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Send(context.Background(), inst, def.Actions[0], []byte(`{}`))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := api.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
}

func TestOAuthBatchRetriesAfterRefresh(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, _ := NewInstance("i1", def, oauthSettings())
	c := NewClient(RedirectAll(srv.URL))
	errs := c.SendBatch(context.Background(), inst, def.Actions[0], [][]byte{[]byte(`{"a":1}`), []byte(`not json`), []byte(`{"a":3}`)})
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("errs %v", errs)
	}
	var pv *PayloadValidationError
	if !errors.As(errs[1], &pv) {
		t.Fatalf("errs[1] = %v", errs[1])
	}
}

// RunBatch actions (multi-step bulk flows) refresh on 401 and run again,
// like PerformBatch ones; only the events that met the 401 go again.
func TestOAuthRunBatchRetriesAfterRefresh(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	var runs [][]int
	a := &Action{Key: "bulk", Batch: &Batch{MaxSize: 10}, RunBatch: func(ctx context.Context, d Doer, in *BatchInput) []error {
		errs := make([]error, len(in.Payloads))
		var ids []int
		for j, p := range in.Payloads {
			ids = append(ids, p.GetInt("a"))
			if p.GetInt("a") == 2 {
				errs[j] = &APIError{Status: 400}
				continue
			}
			r := NewJSONRequest("POST", "https://api.example.com/v1/job", AppendValue(nil, p))
			_, errs[j] = d.Do(ctx, &r)
		}
		runs = append(runs, ids)
		return errs
	}}
	def.Actions = append(def.Actions, a)
	inst, _ := NewInstance("i1", def, oauthSettings())
	errs := NewClient(RedirectAll(srv.URL)).SendBatch(context.Background(), inst, a,
		[][]byte{[]byte(`{"a":1}`), []byte(`{"a":2}`), []byte(`{"a":3}`)})
	if errs[0] != nil || errs[2] != nil || Classify(errs[1]).Outcome != Fail {
		t.Fatalf("errs %v", errs)
	}
	if fmt.Sprint(runs) != "[[1 2 3] [1 3]]" || api.refreshes.Load() != 1 {
		t.Fatalf("runs %v, %d refreshes", runs, api.refreshes.Load())
	}
	if got := strings.Join(api.seenAuth, ","); got != "Bearer stale,Bearer stale,Bearer fresh,Bearer fresh" {
		t.Fatalf("auth headers %s", got)
	}
}

// A RunBatch still rejected after the refresh is an authentication error,
// and a refresh that fails is reported for every event that needed it.
func TestOAuthRunBatchStill401(t *testing.T) {
	for _, tc := range []struct {
		token    string
		wantCode string
	}{
		{`{"access_token":"also-bad"}`, "INVALID_AUTHENTICATION"},
		{``, "OAUTH_REFRESH_FAILED"},
	} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/token" {
				if tc.token == "" {
					w.WriteHeader(400)
				}
				fmt.Fprint(w, tc.token)
				return
			}
			calls.Add(1)
			w.WriteHeader(401)
		}))
		def := oauthDef("https://auth.example.com/token")
		a := &Action{Key: "bulk", Batch: &Batch{MaxSize: 10}, RunBatch: func(ctx context.Context, d Doer, in *BatchInput) []error {
			r := NewJSONRequest("POST", "https://api.example.com/v1/job", nil)
			_, err := d.Do(ctx, &r)
			return []error{err, err}
		}}
		inst, _ := NewInstance("i1", def, oauthSettings())
		errs := NewClient(RedirectAll(srv.URL)).SendBatch(context.Background(), inst, a, [][]byte{[]byte(`{}`), []byte(`{}`)})
		srv.Close()
		for _, err := range errs {
			var ae *AuthError
			if !errors.As(err, &ae) || ae.Code != tc.wantCode {
				t.Fatalf("%s: %v", tc.wantCode, errs)
			}
		}
		if want := map[string]int32{"INVALID_AUTHENTICATION": 2, "OAUTH_REFRESH_FAILED": 1}[tc.wantCode]; calls.Load() != want {
			t.Fatalf("%s: %d calls", tc.wantCode, calls.Load())
		}
	}
}

// racyStore reports the key absent on the first Get and, before that Get
// returns, lets "another process" seed and refresh the token: the window in
// which an unconditional write of the settings' token would undo the
// refresh.
type racyStore struct {
	*MemoryTokenStore
	once sync.Once
}

func (r *racyStore) Get(ctx context.Context, key string) (Token, bool, error) {
	first := false
	r.once.Do(func() { first = true })
	if first {
		r.MemoryTokenStore.Set(ctx, key, Token{AccessToken: "fresh", RefreshToken: "r2", Expiry: time.Now().Add(time.Hour)})
		return Token{}, false, nil
	}
	return r.MemoryTokenStore.Get(ctx, key)
}

// plainStore hides SetIfAbsent, to exercise the seeding under the lock.
type plainStore struct{ TokenStore }

func TestSeedNeverOverwritesANewerToken(t *testing.T) {
	for name, store := range map[string]TokenStore{
		"seeder": &racyStore{MemoryTokenStore: NewMemoryTokenStore()},
		"locked": plainStore{&racyStore{MemoryTokenStore: NewMemoryTokenStore()}},
	} {
		api := &fakeAPI{}
		srv := httptest.NewServer(api)
		def := oauthDef("https://auth.example.com/token")
		inst, _ := NewInstance("i1", def, oauthSettings())
		err := NewClient(RedirectAll(srv.URL), WithTokenStore(store)).Send(context.Background(), inst, def.Actions[0], []byte(`{}`))
		srv.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Join(api.seenAuth, ","); got != "Bearer fresh" || api.refreshes.Load() != 0 {
			t.Fatalf("%s: auth headers %s, %d refreshes", name, got, api.refreshes.Load())
		}
		if tok, _, _ := store.Get(context.Background(), "i1"); tok.AccessToken != "fresh" || tok.RefreshToken != "r2" {
			t.Fatalf("%s: stored %+v", name, tok)
		}
	}
}

func TestMemoryStoreSetIfAbsent(t *testing.T) {
	s := NewMemoryTokenStore()
	ctx := context.Background()
	if got, _ := s.SetIfAbsent(ctx, "k", Token{AccessToken: "a"}); got.AccessToken != "a" {
		t.Fatal(got)
	}
	if got, _ := s.SetIfAbsent(ctx, "k", Token{AccessToken: "b"}); got.AccessToken != "a" {
		t.Fatal(got)
	}
}

func TestOAuthStill401IsAuthError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			fmt.Fprint(w, `{"access_token":"also-bad"}`)
			return
		}
		w.WriteHeader(401)
	}))
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, _ := NewInstance("i1", def, oauthSettings())
	err := NewClient(RedirectAll(srv.URL)).Send(context.Background(), inst, def.Actions[0], []byte(`{}`))
	var ae *AuthError
	if !errors.As(err, &ae) || Classify(err).Outcome != Fail {
		t.Fatalf("got %v", err)
	}
}

func TestOAuthRefreshRejected(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant"}`)
			return
		}
		w.WriteHeader(401)
	}))
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, _ := NewInstance("i1", def, oauthSettings())
	err := NewClient(RedirectAll(srv.URL)).Send(context.Background(), inst, def.Actions[0], []byte(`{}`))
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Code != "OAUTH_REFRESH_FAILED" {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "r1") || strings.Contains(err.Error(), "cs") {
		t.Fatalf("error leaks a secret: %v", err)
	}
}

func TestOAuthExpiredTokenRefreshedBeforeUse(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	inst, _ := NewInstance("i1", def, oauthSettings())
	store := NewMemoryTokenStore()
	store.Set(context.Background(), "i1", Token{AccessToken: "stale", RefreshToken: "r1", Expiry: time.Now().Add(-time.Minute)})
	c := NewClient(RedirectAll(srv.URL), WithTokenStore(store))
	if err := c.Send(context.Background(), inst, def.Actions[0], []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(api.seenAuth, ","); got != "Bearer fresh" {
		t.Fatalf("auth headers %s", got)
	}
}

func TestClassify(t *testing.T) {
	refused := NewClient(Timeout(time.Second))
	_, netErr := refused.send(context.Background(), &Request{Method: "GET", URL: "http://127.0.0.1:1/"})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(200 * time.Millisecond) }))
	defer slow.Close()
	_, timeoutErr := NewClient(Timeout(20*time.Millisecond)).send(context.Background(), &Request{URL: slow.URL})
	for i, tc := range []struct {
		err  error
		want Outcome
	}{
		{nil, Delivered},
		{&PayloadValidationError{Message: "x"}, Fail},
		{fmt.Errorf("wrapped: %w", &APIError{Status: 503}), Retry},
		{&APIError{Status: 423}, Retry},
		{&APIError{Status: 400}, Fail},
		{&APIError{Status: 401}, Reauthenticate},
		{&AuthError{Code: "INVALID_AUTHENTICATION"}, Fail},
		{&RetryableError{Err: errors.New("x")}, Retry},
		{&IntegrationError{Retryable: true}, Retry},
		{&IntegrationError{}, Fail},
		{context.DeadlineExceeded, Retry},
		{netErr, Retry},
		{timeoutErr, Retry},
		{errors.New("mystery"), Fail},
	} {
		if got := Classify(tc.err).Outcome; got != tc.want {
			t.Errorf("%d (%v): got %v, want %v", i, tc.err, got, tc.want)
		}
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	if d := parseRetryAfter("Wed, 01 May 2024 10:00:30 GMT", now); d != 30*time.Second {
		t.Fatal(d)
	}
	if d := parseRetryAfter("120", now); d != 2*time.Minute {
		t.Fatal(d)
	}
}

func TestSettingsNeverPrintSecrets(t *testing.T) {
	fields := []Field{
		{Key: "apiKey", Type: Password, Required: true, Secret: true},
		{Key: "region", Type: String, Default: `"us"`, Choices: ChoiceValues("us", "eu")},
		{Key: "strict", Type: Boolean},
	}
	s, err := ParseSettings(fields, map[string]any{"apiKey": "k-123", "strict": "true", "unknown": 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Str("apiKey") != "k-123" || s.Str("region") != "us" || !s.Bool("strict") {
		t.Fatalf("values %v", s)
	}
	js, _ := s.MarshalJSON()
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), string(js)} {
		if strings.Contains(out, "k-123") {
			t.Fatalf("secret printed: %s", out)
		}
	}
	if _, err := ParseSettings(fields, map[string]any{"region": "mars"}); err == nil ||
		err.Error() != `The setting "apiKey" is required. The setting "region" must be one of: "us" or "eu".` {
		t.Fatalf("got %v", err)
	}
	red := Redact(fields, map[string]any{"apiKey": "k", "oauth": map[string]any{"access_token": "t"}})
	if red["apiKey"] != Redacted || red["oauth"] != Redacted {
		t.Fatal(red)
	}
}

func TestJSNumbers(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1", 1.5: "1.5", 1e21: "1e+21", 1e-7: "1e-7", 0.000001: "0.000001", -0.0: "0", 123456789012: "123456789012",
	} {
		if got := string(AppendJSNumber(nil, f)); got != want {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
	if got := string(AppendJSONString(nil, "a\x01\"\\\t\xff<")); got != `"a\u0001\"\\\t`+"\ufffd"+`<"` {
		t.Errorf("escape: %s", got)
	}
}
