package destkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fastjson"
)

// Option configures a Client.
type Option interface{ apply(*cfg) }

type optFunc func(*cfg)

func (f optFunc) apply(c *cfg) { f(c) }

type cfg struct {
	timeout          time.Duration
	httpClient       *http.Client
	redirect         *url.URL
	hosts            map[string]*url.URL
	tokens           TokenStore
	audiences        AudienceStore
	userAgent        string
	maxResponseBytes int64
	now              func() time.Time
	refreshFailed    func(instance string, err error)
}

func defaultCfg() cfg {
	return cfg{
		timeout:          10 * time.Second,
		userAgent:        "Actuate (Actions)",
		maxResponseBytes: 1 << 20,
		now:              time.Now,
	}
}

// Timeout bounds each HTTP request, from connecting to reading the body.
// The default is 10 s, Segment's default.
func Timeout(d time.Duration) Option { return optFunc(func(c *cfg) { c.timeout = d }) }

// UserAgent sets the User-Agent header of every request. The default is
// "Actuate (Actions)".
func UserAgent(ua string) Option { return optFunc(func(c *cfg) { c.userAgent = ua }) }

// MaxResponseBytes caps how much of a response body is read. The default is
// 1 MiB; vendors answer with small JSON documents.
func MaxResponseBytes(n int64) Option { return optFunc(func(c *cfg) { c.maxResponseBytes = n }) }

// WithHTTPClient sets the http.Client used for every request. The default is
// a client with its own transport (NewTransport: checked by the egress guard) and no
// timeout of its own (Timeout applies per request). A client given here is guarded only
// if its transport dials through NewDialer.
func WithHTTPClient(h *http.Client) Option { return optFunc(func(c *cfg) { c.httpClient = h }) }

// WithTokenStore sets where OAuth tokens live. The default is a
// MemoryTokenStore, which is only right for a single process.
func WithTokenStore(s TokenStore) Option { return optFunc(func(c *cfg) { c.tokens = s }) }

// WithAudienceStore keeps external audience ids in s (default: in process
// memory). Use processor/audiences' Redis store so every sender shares them.
func WithAudienceStore(s AudienceStore) Option { return optFunc(func(c *cfg) { c.audiences = s }) }

// RedirectAll sends every request to baseURL (scheme and host), keeping path
// and query. Tests point it at an httptest server so nothing reaches the
// internet. The default is no redirection.
func RedirectAll(baseURL string) Option {
	return optFunc(func(c *cfg) {
		u, err := url.Parse(baseURL)
		if err != nil {
			panic("destkit.RedirectAll: " + err.Error())
		}
		c.redirect = u
	})
}

// OverrideHost sends requests for host to baseURL instead. It takes
// precedence over RedirectAll.
func OverrideHost(host, baseURL string) Option {
	return optFunc(func(c *cfg) {
		u, err := url.Parse(baseURL)
		if err != nil {
			panic("destkit.OverrideHost: " + err.Error())
		}
		if c.hosts == nil {
			c.hosts = map[string]*url.URL{}
		}
		c.hosts[host] = u
	})
}

// OnRefreshFailure calls f each time refreshing an instance's OAuth token fails at the
// token endpoint (refused, unreachable, or none configured), for metrics.
func OnRefreshFailure(f func(instance string, err error)) Option {
	return optFunc(func(c *cfg) { c.refreshFailed = f })
}

// Clock replaces time.Now, for token expiry in tests.
func Clock(now func() time.Time) Option { return optFunc(func(c *cfg) { c.now = now }) }

// Client sends the requests actions build. It owns the HTTP client,
// credentials, OAuth refresh and the mapping of responses to errors. It is
// safe for concurrent use.
type Client struct {
	cfg     cfg
	parsers fastjson.ParserPool

	audiencesMu sync.Mutex
	audiences   map[string]*Audiences // instance id -> its resolver
}

// NewClient returns a Client.
func NewClient(opts ...Option) *Client {
	c := &Client{cfg: defaultCfg()}
	for _, o := range opts {
		o.apply(&c.cfg)
	}
	if c.cfg.httpClient == nil {
		c.cfg.httpClient = &http.Client{Transport: NewTransport()}
	}
	if c.cfg.tokens == nil {
		c.cfg.tokens = NewMemoryTokenStore()
	}
	if c.cfg.audiences == nil {
		c.cfg.audiences = NewMemoryAudienceStore()
	}
	return c
}

// Instance is a configured destination: a definition plus validated
// settings. ID keys the instance's OAuth token in the TokenStore.
type Instance struct {
	ID       string
	Def      *Definition
	Settings *Settings
	oauth    OAuthCredentials
}

// Audiences returns the resolver of inst's external audience ids over the
// client's audience store. One is kept per instance id, replaced when a
// new workspace brings a new Instance for the id, so its cache of ids
// lives as long as the instance does and no longer.
func (c *Client) Audiences(inst *Instance) *Audiences {
	c.audiencesMu.Lock()
	defer c.audiencesMu.Unlock()
	a := c.audiences[inst.ID]
	if a == nil || a.inst != inst {
		if c.audiences == nil {
			c.audiences = map[string]*Audiences{}
		}
		a = NewAudiences(inst, c.cfg.audiences)
		c.audiences[inst.ID] = a
	}
	return a
}

// NewInstance validates raw settings against def. For OAuth destinations the
// "oauth" object of raw supplies the initial token and client credentials.
func NewInstance(id string, def *Definition, raw map[string]any) (*Instance, error) {
	s, err := ParseSettings(def.Settings, raw)
	if err != nil {
		return nil, err
	}
	inst := &Instance{ID: id, Def: def, Settings: s}
	if def.Auth.IsOAuth() {
		inst.oauth = oauthFromSettings(raw)
	}
	return inst, nil
}

// Send validates nothing: payload must be the output of Action.Validate. It
// runs the action for one event and returns nil once every request
// succeeded, or the first error (see Classify). A 401 on an OAuth
// destination refreshes the token and runs the action once more; a second
// 401, or a 401 elsewhere, comes back as an *AuthError.
func (c *Client) Send(ctx context.Context, inst *Instance, a *Action, payload []byte) error {
	p := c.parsers.Get()
	defer c.parsers.Put(p)
	v, err := p.ParseBytes(payload)
	if err != nil {
		return &PayloadValidationError{Message: "payload is not valid JSON: " + err.Error()}
	}
	in := &Input{Payload: v, Settings: inst.Settings, Audiences: c.Audiences(inst)}
	return c.withToken(ctx, inst, func(tok *Token) error { return c.perform(ctx, inst, tok, a, in) })
}

func (c *Client) perform(ctx context.Context, inst *Instance, tok *Token, a *Action, in *Input) error {
	if a.Run != nil {
		return a.Run(ctx, &instanceDoer{c: c, inst: inst, tok: tok}, in)
	}
	if a.Perform == nil {
		return &IntegrationError{Code: "NotImplemented", Message: "action " + a.Key + " has no Perform"}
	}
	reqs, err := a.Perform(in)
	if err != nil {
		return err
	}
	for i := range reqs {
		if _, err := c.do(ctx, inst, tok, &reqs[i]); err != nil {
			return err
		}
	}
	return nil
}

// SendBatch runs the action's batch form over payloads (each the output of
// Action.Validate) and returns one error per payload, nil where delivered.
// Per-event outcomes come from the action's BatchStatus when it has one.
// Events that fail with 401 on an OAuth destination are retried once, as a
// smaller batch, after a token refresh; this holds for RunBatch as for
// PerformBatch, since multi-step batches (bulk jobs) meet expired tokens
// just as often as single requests do.
func (c *Client) SendBatch(ctx context.Context, inst *Instance, a *Action, payloads [][]byte) []error {
	errs := make([]error, len(payloads))
	if !a.Batches() {
		for i := range errs {
			errs[i] = &IntegrationError{Code: "NotImplemented", Message: "This action does not support batched requests."}
		}
		return errs
	}
	parsers := make([]*fastjson.Parser, 0, len(payloads))
	defer func() {
		for _, p := range parsers {
			c.parsers.Put(p)
		}
	}()
	in := &BatchInput{Settings: inst.Settings, Audiences: c.Audiences(inst), Payloads: make([]*fastjson.Value, 0, len(payloads))}
	pos := make([]int, 0, len(payloads)) // batch index -> payloads index
	for i, b := range payloads {
		p := c.parsers.Get()
		parsers = append(parsers, p)
		v, err := p.ParseBytes(b)
		if err != nil {
			errs[i] = &PayloadValidationError{Message: "payload is not valid JSON: " + err.Error()}
			continue
		}
		in.Payloads = append(in.Payloads, v)
		pos = append(pos, i)
	}
	if len(in.Payloads) == 0 {
		return errs
	}
	tok, err := c.token(ctx, inst)
	if err != nil {
		for _, i := range pos {
			errs[i] = err
		}
		return errs
	}
	got := c.runBatch(ctx, inst, tok, a, in)
	if inst.Def.Auth.IsOAuth() {
		var again []int
		for j, e := range got {
			if unauthorized(e) {
				again = append(again, j)
			}
		}
		if again != nil {
			tok, err = c.refresh(ctx, inst, tok)
			sub := &BatchInput{Settings: in.Settings, Audiences: in.Audiences, Payloads: make([]*fastjson.Value, len(again))}
			for k, j := range again {
				sub.Payloads[k] = in.Payloads[j]
			}
			var retried []error
			if err == nil {
				retried = c.runBatch(ctx, inst, tok, a, sub)
			}
			for k, j := range again {
				if err != nil {
					got[j] = err
				} else {
					got[j] = retried[k]
				}
			}
		}
	}
	for j, e := range got {
		errs[pos[j]] = finalAuth(e)
	}
	return errs
}

// runBatch makes one attempt at the batch through whichever batch form the
// action has, returning exactly one error per payload of in.
func (c *Client) runBatch(ctx context.Context, inst *Instance, tok *Token, a *Action, in *BatchInput) []error {
	if a.RunBatch == nil {
		return c.performBatch(ctx, inst, tok, a, in)
	}
	got := a.RunBatch(ctx, &instanceDoer{c: c, inst: inst, tok: tok}, in)
	if len(got) == len(in.Payloads) {
		return got
	}
	// A RunBatch that miscounts would otherwise index out of range or
	// silently report events as delivered.
	errs := make([]error, len(in.Payloads))
	for j := range errs {
		if j < len(got) {
			errs[j] = got[j]
		} else {
			errs[j] = &IntegrationError{Code: "UNKNOWN_ERROR", Message: "batch run returned no status for this event", Retryable: true}
		}
	}
	return errs
}

func (c *Client) performBatch(ctx context.Context, inst *Instance, tok *Token, a *Action, in *BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	reqs, err := a.PerformBatch(in)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	var all []int
	for j := range in.Payloads {
		if err := in.rejected[j]; err != nil {
			errs[j] = err
		} else {
			all = append(all, j)
		}
	}
	for i := range reqs {
		idx := reqs[i].Events
		if idx == nil {
			idx = all
		}
		resp, err := c.do(ctx, inst, tok, &reqs[i])
		if a.BatchStatus != nil && resp != nil {
			st := a.BatchStatus(resp, idx, in)
			for k, j := range idx {
				if k < len(st) {
					errs[j] = st[k]
				} else {
					errs[j] = &IntegrationError{Code: "UNKNOWN_ERROR", Message: "batch response has no status for this event", Retryable: true}
				}
			}
			continue
		}
		for _, j := range idx {
			errs[j] = err
		}
	}
	return errs
}

// Delete runs the definition's user deletion for one user.
func (c *Client) Delete(ctx context.Context, inst *Instance, userID, anonymousID string) error {
	if inst.Def.Delete == nil {
		return &IntegrationError{Code: "NotImplemented", Message: inst.Def.Slug + " has no deletion endpoint"}
	}
	tok, err := c.token(ctx, inst)
	if err != nil {
		return err
	}
	run := func(tok *Token) error {
		reqs, err := inst.Def.Delete(&DeleteInput{UserID: userID, AnonymousID: anonymousID, Settings: inst.Settings})
		if err != nil {
			return err
		}
		for i := range reqs {
			if _, err := c.do(ctx, inst, tok, &reqs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	err = run(tok)
	if err != nil && inst.Def.Auth.IsOAuth() && unauthorized(err) {
		if tok, err = c.refresh(ctx, inst, tok); err != nil {
			return err
		}
		err = run(tok)
	}
	return finalAuth(err)
}

// Doer returns a Doer that adds inst's credentials, for callers outside an
// action (authentication tests in the control API).
func (c *Client) Doer(ctx context.Context, inst *Instance) (Doer, error) {
	tok, err := c.token(ctx, inst)
	if err != nil {
		return nil, err
	}
	return &instanceDoer{c: c, inst: inst, tok: tok}, nil
}

type instanceDoer struct {
	c    *Client
	inst *Instance
	tok  *Token
}

func (d *instanceDoer) Do(ctx context.Context, r *Request) (*Response, error) {
	return d.c.do(ctx, d.inst, d.tok, r)
}

func (c *Client) do(ctx context.Context, inst *Instance, tok *Token, r *Request) (*Response, error) {
	if inst.Def.Authorize != nil {
		if err := inst.Def.Authorize(r, inst.Settings, tok); err != nil {
			return nil, err
		}
	} else if tok != nil {
		r.SetHeader("Authorization", "Bearer "+tok.AccessToken)
	}
	return c.send(ctx, r)
}

// send performs one round trip without adding credentials.
func (c *Client) send(ctx context.Context, r *Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &IntegrationError{Code: "INVALID_URL", Message: fmt.Sprintf("invalid request URL %q", r.URL)}
	}
	if to, ok := c.cfg.hosts[u.Host]; ok {
		u.Scheme, u.Host = to.Scheme, to.Host
	} else if c.cfg.redirect != nil {
		u.Scheme, u.Host = c.cfg.redirect.Scheme, c.cfg.redirect.Host
	}
	if c.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	hr, err := http.NewRequestWithContext(ctx, strings.ToUpper(method), u.String(), bytes.NewReader(r.Body))
	if err != nil {
		return nil, &IntegrationError{Code: "INVALID_REQUEST", Message: err.Error()}
	}
	for k, vs := range r.Header {
		hr.Header[k] = vs
	}
	if hr.Header.Get("User-Agent") == "" {
		hr.Header.Set("User-Agent", c.cfg.userAgent)
	}
	resp, err := c.cfg.httpClient.Do(hr)
	if err != nil {
		// The client's error wraps a net.Error (timeouts, refused and
		// reset connections) or ctx's error; Classify retries both.
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("%w: reading response: %v", errTransport, err)
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet := body
		if len(snippet) > 1024 {
			snippet = snippet[:1024]
		}
		return out, &APIError{
			Status:     resp.StatusCode,
			Body:       bytes.Clone(snippet),
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.now()),
		}
	}
	return out, nil
}

func unauthorized(err error) bool {
	var api *APIError
	if errors.As(err, &api) {
		return api.Status == http.StatusUnauthorized
	}
	var ae *AuthError
	return errors.As(err, &ae) && ae.Code == "INVALID_AUTHENTICATION"
}

// finalAuth turns a 401 that survived (or could not use) a refresh into an
// AuthError, so Classify reports it as needing a person.
func finalAuth(err error) error {
	var api *APIError
	if errors.As(err, &api) && api.Status == http.StatusUnauthorized {
		return &AuthError{Code: "INVALID_AUTHENTICATION", Message: "credentials rejected", Err: err}
	}
	return err
}

func (c *Client) token(ctx context.Context, inst *Instance) (*Token, error) {
	if !inst.Def.Auth.IsOAuth() {
		return nil, nil
	}
	t, ok, err := c.cfg.tokens.Get(ctx, inst.ID)
	if err != nil {
		return nil, &RetryableError{Err: fmt.Errorf("reading token: %w", err)}
	}
	if !ok {
		if t, err = c.seed(ctx, inst); err != nil {
			return nil, err
		}
	}
	if t.AccessToken == "" || t.expiringSoon(c.cfg.now()) {
		return c.refresh(ctx, inst, &t)
	}
	return &t, nil
}

// seed stores the token from inst's settings as the first token of the
// instance and returns the token in effect afterwards. Between our Get and
// this write another process may have seeded and then refreshed the token;
// writing the settings' token unconditionally would put back an access
// token (and, with rotating vendors, a refresh token) that the vendor has
// already revoked, so the write only happens where the key is still empty.
func (c *Client) seed(ctx context.Context, inst *Instance) (Token, error) {
	t := Token{AccessToken: inst.oauth.AccessToken, RefreshToken: inst.oauth.RefreshToken}
	if s, ok := c.cfg.tokens.(TokenSeeder); ok {
		cur, err := s.SetIfAbsent(ctx, inst.ID, t)
		if err != nil {
			return Token{}, &RetryableError{Err: fmt.Errorf("storing token: %w", err)}
		}
		return cur, nil
	}
	// Without an atomic primitive, the refresh lock gives the same guarantee:
	// refreshes write only while holding it, so a read under the lock cannot
	// be overtaken by one.
	unlock, err := c.cfg.tokens.Lock(ctx, inst.ID)
	if err != nil {
		return Token{}, &RetryableError{Err: fmt.Errorf("waiting for token lock: %w", err)}
	}
	defer unlock()
	cur, ok, err := c.cfg.tokens.Get(ctx, inst.ID)
	if err != nil {
		return Token{}, &RetryableError{Err: fmt.Errorf("reading token: %w", err)}
	}
	if ok {
		return cur, nil
	}
	if err := c.cfg.tokens.Set(ctx, inst.ID, t); err != nil {
		return Token{}, &RetryableError{Err: fmt.Errorf("storing token: %w", err)}
	}
	return t, nil
}

// refresh renews inst's token unless another sender already did since stale
// was read.
func (c *Client) refresh(ctx context.Context, inst *Instance, stale *Token) (*Token, error) {
	unlock, err := c.cfg.tokens.Lock(ctx, inst.ID)
	if err != nil {
		return nil, &RetryableError{Err: fmt.Errorf("waiting for token refresh: %w", err)}
	}
	defer unlock()
	now := c.cfg.now()
	cur, ok, err := c.cfg.tokens.Get(ctx, inst.ID)
	if err != nil {
		return nil, &RetryableError{Err: fmt.Errorf("reading token: %w", err)}
	}
	if ok && cur.AccessToken != "" && (stale == nil || cur.AccessToken != stale.AccessToken) && !cur.expiringSoon(now) {
		return &cur, nil
	}
	creds := inst.oauth
	if ok && cur.RefreshToken != "" {
		creds.RefreshToken = cur.RefreshToken
	}
	raw := DoerFunc(c.send)
	var nt Token
	oc := inst.Def.OAuth
	switch {
	case oc != nil && oc.Refresh != nil:
		nt, err = oc.Refresh(ctx, raw, creds, inst.Settings)
	default:
		tokenURL := creds.RefreshTokenURL
		if tokenURL == "" && oc != nil {
			tokenURL = oc.TokenURL
		}
		if tokenURL == "" {
			err = &AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "no token endpoint to refresh the access token"}
			if c.cfg.refreshFailed != nil {
				c.cfg.refreshFailed(inst.ID, err)
			}
			return nil, err
		}
		nt, err = refreshStandard(ctx, raw, tokenURL, creds, now)
	}
	if err != nil {
		if c.cfg.refreshFailed != nil {
			c.cfg.refreshFailed(inst.ID, err)
		}
		if Classify(err).Outcome == Retry {
			return nil, err
		}
		var ae *AuthError
		if errors.As(err, &ae) {
			return nil, err
		}
		return nil, &AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "refreshing the access token failed", Err: err}
	}
	if nt.RefreshToken == "" {
		nt.RefreshToken = creds.RefreshToken
	}
	if err := c.cfg.tokens.Set(ctx, inst.ID, nt); err != nil {
		return nil, &RetryableError{Err: fmt.Errorf("storing token: %w", err)}
	}
	return &nt, nil
}

// StatusError returns nil for a 2xx response and otherwise the *APIError
// the client would have returned, for BatchStatus implementations.
func StatusError(resp *Response) error {
	if resp.Status >= 200 && resp.Status <= 299 {
		return nil
	}
	snippet := resp.Body
	if len(snippet) > 1024 {
		snippet = snippet[:1024]
	}
	return &APIError{Status: resp.Status, Body: bytes.Clone(snippet), RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
}
