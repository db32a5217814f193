package destkit

import (
	"context"
	"sync"

	"github.com/valyala/fastjson"
)

// AuthScheme says how a destination authenticates. Only the OAuth schemes
// take part in token refresh.
type AuthScheme string

// Authentication schemes, named as in Segment's definitions.
const (
	// AuthNone: no credentials at all (e.g. Slack webhooks carry their
	// secret in the URL of the payload).
	AuthNone AuthScheme = "none"
	// AuthCustom: an API key or similar from settings, placed by the
	// definition's Authorize hook.
	AuthCustom AuthScheme = "custom"
	// AuthBasic: HTTP basic credentials derived from settings.
	AuthBasic AuthScheme = "basic"
	// AuthOAuth2: access token plus refresh token; a 401 triggers one
	// refresh through the definition's token endpoint and one retry.
	AuthOAuth2 AuthScheme = "oauth2"
	// AuthOAuthManaged: like AuthOAuth2, but the OAuth app belongs to the
	// vendor's managed integration; the wire behaviour is the same.
	AuthOAuthManaged AuthScheme = "oauth-managed"
)

// IsOAuth reports whether the scheme refreshes tokens.
func (s AuthScheme) IsOAuth() bool { return s == AuthOAuth2 || s == AuthOAuthManaged }

// Definition is a destination: everything the catalog shows and everything
// the sender needs to turn validated payloads into requests. Definitions are
// plain values with no side effects; the registry in package destinations
// lists them explicitly.
type Definition struct {
	// Slug is the registry key and the `type` of a destination instance in
	// the workspace config. It is Segment's folder name ("amplitude").
	Slug string
	// SegmentSlug is the slug of Segment's own definition
	// ("actions-amplitude"), kept so imported configurations can be matched.
	SegmentSlug string
	Name        string
	Description string

	Auth     AuthScheme
	Settings []Field

	// Authorize adds credentials and destination-wide headers to every
	// request, including those made by multi-step actions and deletions.
	// For OAuth schemes the current access token is passed; when Authorize
	// is nil on an OAuth destination the token goes in a Bearer header.
	Authorize func(r *Request, s *Settings, t *Token) error

	// OAuth configures token refresh for the OAuth schemes.
	OAuth *OAuthConfig

	Actions []*Action
	Presets []Preset

	// Audience is Segment's audienceConfig (audience.go): how the
	// destination creates or finds the vendor's audience. Nil when the
	// reference has none.
	Audience *AudienceConfig

	// Delete builds the requests that erase one user (GDPR). Nil when the
	// destination has no deletion endpoint.
	Delete func(in *DeleteInput) ([]Request, error)
}

// Action returns the action with the given key, or nil.
func (d *Definition) Action(key string) *Action {
	for _, a := range d.Actions {
		if a.Key == key {
			return a
		}
	}
	return nil
}

// Preset is a subscription created when an instance is first connected: a
// trigger, an action and its mapping.
type Preset struct {
	Name    string `json:"name"`
	Action  string `json:"action"`
	Trigger string `json:"trigger"`
	Mapping JSON   `json:"mapping"`
}

// Batch declares that an action accepts batches.
type Batch struct {
	// MaxSize is the largest number of events per batch the vendor accepts.
	MaxSize int `json:"max_size"`
	// Keys are payload fields whose values must be equal for events to share
	// a batch (for example the URL of a webhook).
	Keys []string `json:"keys,omitempty"`
}

// Action is one kind of call a destination accepts. Exactly one of Perform
// and Run must be set; at most one of PerformBatch and RunBatch, which
// require Batch.
type Action struct {
	Key         string
	Title       string
	Description string
	// DefaultSubscription is the FQL trigger suggested for new mappings.
	DefaultSubscription string
	Fields              []Field
	Batch               *Batch
	// Hooks are the mapping-save steps whose outputs the action reads
	// from its payload (see Hook).
	Hooks []Hook

	// Perform turns one validated payload into the requests to send, in
	// order. It must not do I/O.
	Perform func(in *Input) ([]Request, error)
	// PerformBatch turns a batch into requests. A request whose Events is
	// nil carries every payload of the batch.
	PerformBatch func(in *BatchInput) ([]Request, error)
	// Run is for actions that need the response of one call to build the
	// next (look up, then create or update). Credentials are added by the
	// Doer; errors follow the same taxonomy.
	Run func(ctx context.Context, d Doer, in *Input) error
	// RunBatch is Run for a batch: for destinations that do not speak HTTP
	// (Kafka) or need several dependent calls per batch. It returns one
	// error per payload (nil = delivered).
	RunBatch func(ctx context.Context, d Doer, in *BatchInput) []error
	// BatchStatus reads per-event outcomes from a batch response
	// (multistatus). It is called for 2xx and non-2xx responses alike and
	// returns one entry per event in the request (nil = delivered). When
	// BatchStatus is nil, the response status applies to every event.
	BatchStatus func(resp *Response, events []int, in *BatchInput) []error

	indexOnce sync.Once
	index     map[string]int
}

// fieldIndex returns the position of the field named key, or -1.
func (a *Action) fieldIndex(key string) int {
	a.indexOnce.Do(func() {
		a.index = make(map[string]int, len(a.Fields))
		for i := range a.Fields {
			a.index[a.Fields[i].Key] = i
		}
	})
	if i, ok := a.index[key]; ok {
		return i
	}
	return -1
}

// Batches reports whether the action accepts batches.
func (a *Action) Batches() bool { return a.PerformBatch != nil || a.RunBatch != nil }

// Field returns the top-level field named key, or nil.
func (a *Action) Field(key string) *Field {
	if i := a.fieldIndex(key); i >= 0 {
		return &a.Fields[i]
	}
	return nil
}

// DefaultMapping builds a mapping from every field's default, in field
// order: what a preset or a new subscription starts from.
func (a *Action) DefaultMapping() []byte {
	var w JSONWriter
	w.ObjectStart()
	for i := range a.Fields {
		if a.Fields[i].Default == "" {
			continue
		}
		w.Key(a.Fields[i].Key)
		w.Raw([]byte(a.Fields[i].Default))
	}
	w.ObjectEnd()
	return w.Bytes()
}

// Input is what Perform and Run receive for one event.
type Input struct {
	Payload  *fastjson.Value
	Settings *Settings
	// Audiences resolves and keeps the instance's external audience ids
	// (audience.go); the Client sets it.
	Audiences *Audiences
}

// BatchInput is what PerformBatch receives. Payloads are in event order;
// Request.Events and BatchStatus refer to indices into it.
type BatchInput struct {
	Payloads []*fastjson.Value
	Settings *Settings
	// Audiences is Input.Audiences for a batch.
	Audiences *Audiences

	rejected map[int]error
}

// Reject marks payload i as failed with err (typically a
// PayloadValidationError) so the rest of the batch can still go out. A
// request whose Events is nil then carries every payload not rejected.
func (in *BatchInput) Reject(i int, err error) {
	if in.rejected == nil {
		in.rejected = make(map[int]error)
	}
	in.rejected[i] = err
}

// Rejected returns the error payload i was rejected with, or nil.
func (in *BatchInput) Rejected(i int) error { return in.rejected[i] }

// DeleteInput identifies the user a deletion request is about.
type DeleteInput struct {
	UserID      string
	AnonymousID string
	Settings    *Settings
}
