package destkit

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/valyala/fastjson"
)

// Audience membership, shared by every audience destination.
//
// An audience event says that one user entered or left a computed audience.
// As Segment's Engage sends them, and as Segment's audience destinations read
// them:
//
//   - the audience key (context.personas.computation_key) names the audience;
//     actions map it into a field, usually segment_audience_key or
//     audience_key (Braze Cohorts: personas_audience_key);
//   - membership is a boolean at properties[audience_key] on a track event
//     ("Audience Entered"/"Audience Exited") and traits[audience_key] on an
//     identify; actions map one object with Segment's `traits_or_props`
//     default, {"@if": {"exists": {"@path": "$.properties"}, "then":
//     properties, "else": traits}}, and read the key inside it. JavaScript
//     truthiness decides, as in Segment's `obj[key] ? add : remove`;
//   - context.personas carries the rest: computation_class ("audience",
//     "journey_step"), computation_id, external_audience_id (the vendor's id,
//     when the audience was created or connected beforehand),
//     audience_settings (per-audience settings, Segment's audienceFields),
//     namespace and space_id. ReadPersonas decodes it.
//
// A batch is split into adds and removes with SplitMembership, each keeping
// event order, so a user who enters then leaves within one batch is added in
// the add request and removed in the remove request, sent in that order.
//
// The vendor's id of an audience (the "external audience id") comes, first
// found wins, from:
//  1. the event (context.personas.external_audience_id, mapped into a field),
//  2. the mapping: the output of the audience hook (AudienceHook) run from
//     the control API when the mapping was saved, kept on the mapping in the
//     config store (so it is versioned in the workspace history),
//  3. the instance's AudienceStore, keyed by instance and audience key:
//     in production the Redis beside the OAuth tokens (tokens.Store's
//     Audiences), durable, with no expiry, and shared by every sender
//     process; ids are never evicted because losing one would create a
//     second audience at the vendor (deleting the key is how a person
//     makes the next event create or find the audience again),
//  4. creation on first use: AudienceConfig.Create, run once per instance
//     and audience key under the store's lock, its result stored in 3.
//
// Audiences.Resolve is that order; Audiences.Once is steps 3 and 4 alone,
// for destinations that find or create their audience their own way
// (Braze Cohorts creates a cohort named after the audience key; Criteo
// Audiences finds its contact list by name, or creates it).

// Membership is what an audience event does to its user.
type Membership bool

// The two memberships.
const (
	// AudienceAdd: the user entered the audience.
	AudienceAdd Membership = true
	// AudienceRemove: the user left the audience.
	AudienceRemove Membership = false
)

// String returns "add" or "remove", the words most vendors use.
func (m Membership) String() string {
	if m {
		return "add"
	}
	return "remove"
}

// MembershipFields names the two payload fields membership is read from:
// Key holds the audience key (segment_audience_key), Props the object of
// traits or properties (traits_or_props) whose member named by the audience
// key is the membership flag.
type MembershipFields struct {
	Key   string
	Props string
}

// TraitsOrProps is the usual pair of Segment's audience actions.
var TraitsOrProps = MembershipFields{Key: "segment_audience_key", Props: "traits_or_props"}

// AudienceKey returns the audience key of payload p, or a validation error
// naming the field when it is missing.
func (f MembershipFields) AudienceKey(p *fastjson.Value) (string, error) {
	key := string(p.GetStringBytes(f.Key))
	if key == "" {
		return "", ValidationErrorf(f.Key, "The audience key (%s) is missing: map it from context.personas.computation_key.", f.Key)
	}
	return key, nil
}

// Of reads the membership of payload p: truthy props[key] adds, anything
// else (false, absent, null) removes, as in Segment. The props object
// itself must be present; without it the event says nothing about
// membership and removing the user would be a guess.
func (f MembershipFields) Of(p *fastjson.Value) (Membership, error) {
	flag, err := f.Flag(p)
	if err != nil {
		return AudienceRemove, err
	}
	return Membership(Truthy(flag)), nil
}

// Flag returns the raw membership flag props[key] of payload p (nil when
// absent), for destinations that read it otherwise than by truthiness
// (Insider removes only on an explicit false) or forward it as is.
func (f MembershipFields) Flag(p *fastjson.Value) (*fastjson.Value, error) {
	key, err := f.AudienceKey(p)
	if err != nil {
		return nil, err
	}
	props := p.Get(f.Props)
	if props == nil || props.Type() != fastjson.TypeObject {
		return nil, ValidationErrorf(f.Props, "%s must be the event's properties or traits, holding the membership flag at key %q.", f.Props, key)
	}
	return props.Get(key), nil
}

// SplitMembership splits a batch into the indices of payloads that add
// their user and those that remove it, each in batch order. A payload whose
// membership cannot be read is rejected (BatchInput.Reject) and is in
// neither list, so the rest of the batch still goes out.
func SplitMembership(in *BatchInput, of func(p *fastjson.Value) (Membership, error)) (adds, removes []int) {
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		m, err := of(p)
		switch {
		case err != nil:
			in.Reject(i, err)
		case m == AudienceAdd:
			adds = append(adds, i)
		default:
			removes = append(removes, i)
		}
	}
	return adds, removes
}

// Personas is context.personas of an audience event.
type Personas struct {
	ComputationClass   string // "audience", "journey_step", "computed_trait"
	ComputationKey     string // the audience key
	ComputationID      string
	ExternalAudienceID string // the vendor's id, when known to the sender of the event
	Namespace          string
	SpaceID            string
	// AudienceSettings are the per-audience settings (AudienceConfig.Fields),
	// nil when the event has none.
	AudienceSettings *fastjson.Value
}

// ReadPersonas decodes a context.personas object (nil gives the zero value).
func ReadPersonas(v *fastjson.Value) Personas {
	if v == nil {
		return Personas{}
	}
	str := func(k string) string { return string(v.GetStringBytes(k)) }
	return Personas{
		ComputationClass:   str("computation_class"),
		ComputationKey:     str("computation_key"),
		ComputationID:      str("computation_id"),
		ExternalAudienceID: str("external_audience_id"),
		Namespace:          str("namespace"),
		SpaceID:            str("space_id"),
		AudienceSettings:   v.Get("audience_settings"),
	}
}

// AudienceConfig is Segment's audienceConfig: how a destination creates or
// finds the vendor's audience for an audience key. Definition.Audience holds
// it; destinations whose reference has no audienceConfig leave it nil.
type AudienceConfig struct {
	// FullAudienceSync is Segment's mode.full_audience_sync: every sync
	// sends the whole audience rather than changes.
	FullAudienceSync bool `json:"full_audience_sync"`
	// Fields are Segment's audienceFields: settings given per audience
	// (context.personas.audience_settings, or the audience hook's inputs).
	Fields []Field `json:"fields,omitempty"`
	// Create makes the audience at the vendor and returns its id.
	Create func(ctx context.Context, d Doer, in *AudienceRequest) (externalID string, err error) `json:"-"`
	// Get checks that an audience the user named exists (and is theirs)
	// and returns its id. Nil when the vendor has no such call.
	Get func(ctx context.Context, d Doer, in *AudienceRequest) (externalID string, err error) `json:"-"`
}

// MarshalJSON writes the configuration for the catalog: its mode and
// fields, and whether audiences can be created ("creates") and existing
// ones checked ("checks").
func (c AudienceConfig) MarshalJSON() ([]byte, error) {
	type declared AudienceConfig // without this method
	return json.Marshal(struct {
		declared
		Creates bool `json:"creates"`
		Checks  bool `json:"checks"`
	}{declared(c), c.Create != nil, c.Get != nil})
}

// AudienceRequest is the input of AudienceConfig.Create and Get (Segment's
// CreateAudienceInput and GetAudienceInput).
type AudienceRequest struct {
	Settings *Settings
	// AudienceSettings is an object of AudienceConfig.Fields, or nil.
	AudienceSettings *fastjson.Value
	// Name is the audience's name at the vendor (Segment's audienceName);
	// Resolve uses the audience key when no name is given.
	Name string
	// Key is the audience key (computation_key); it keys the AudienceStore.
	Key      string
	Personas Personas
	// ExternalID is the id to check (Get), or one already known (Resolve).
	ExternalID string
}

// AudienceStore keeps the external audience id of each audience of each
// instance, shared by every process that sends for it. Keys are built by
// Audiences (instance id and audience key); values are the vendor's ids.
type AudienceStore interface {
	Get(ctx context.Context, key string) (id string, ok bool, err error)
	// SetIfAbsent stores id unless key holds one, atomically, and returns
	// the id stored afterwards (id, or the one already there).
	SetIfAbsent(ctx context.Context, key, id string) (string, error)
	// Lock blocks until key's creation lock is held or ctx ends. The
	// holder re-reads before creating, so concurrent first events of one
	// audience create it once.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// Audiences resolves the external audience ids of one destination instance.
// The Client gives every Input and BatchInput one; it is safe for
// concurrent use. The zero value is not usable.
type Audiences struct {
	inst     *Instance
	instance string
	config   *AudienceConfig
	store    AudienceStore
	settings *Settings

	// known caches what the store returned: ids never change once stored,
	// so each process asks the store once per audience.
	known sync.Map // store key -> id
}

// NewAudiences returns the resolver of instance inst over store.
func NewAudiences(inst *Instance, store AudienceStore) *Audiences {
	return &Audiences{inst: inst, instance: inst.ID, config: inst.Def.Audience, store: store, settings: inst.Settings}
}

// storeKey separates instance and audience key with a byte neither holds.
func (a *Audiences) storeKey(audienceKey string) string {
	return a.instance + "\x1f" + audienceKey
}

// Lookup returns the id stored for audienceKey without creating anything.
func (a *Audiences) Lookup(ctx context.Context, audienceKey string) (string, bool, error) {
	k := a.storeKey(audienceKey)
	if id, ok := a.known.Load(k); ok {
		return id.(string), true, nil
	}
	id, ok, err := a.store.Get(ctx, k)
	if err != nil {
		return "", false, &RetryableError{Err: err}
	}
	if ok {
		a.known.Store(k, id)
	}
	return id, ok, nil
}

// Once returns the id stored for audienceKey, running create the first time
// the key is met on this instance (across every process sharing the store)
// and storing its result. create runs under the key's lock; an error from
// it is returned as is and nothing is stored, so the next event tries again.
func (a *Audiences) Once(ctx context.Context, audienceKey string, create func(ctx context.Context) (string, error)) (string, error) {
	if audienceKey == "" {
		return "", ValidationErrorf("audience_key", "The audience key is empty: an audience event carries it in context.personas.computation_key.")
	}
	if id, ok, err := a.Lookup(ctx, audienceKey); err != nil || ok {
		return id, err
	}
	k := a.storeKey(audienceKey)
	unlock, err := a.store.Lock(ctx, k)
	if err != nil {
		return "", &RetryableError{Err: err}
	}
	defer unlock()
	// Another process may have created it while this one waited.
	if id, ok, err := a.store.Get(ctx, k); err != nil {
		return "", &RetryableError{Err: err}
	} else if ok {
		a.known.Store(k, id)
		return id, nil
	}
	id, err := create(ctx)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", &IntegrationError{Code: "INVALID_RESPONSE", Message: "creating audience " + audienceKey + " returned no id"}
	}
	stored, err := a.store.SetIfAbsent(ctx, k, id)
	if err != nil {
		// The audience exists at the vendor but its id is not kept: retry,
		// and the next attempt creates again. Vendors whose create is not
		// idempotent should have Get look the audience up by name.
		return "", &RetryableError{Err: err}
	}
	a.known.Store(k, stored)
	return stored, nil
}

// Resolve returns the vendor's id for the audience of req, in the order the
// comment at the top of this file gives: req.ExternalID (from the event or
// the mapping's hook output), then the store, then AudienceConfig.Create on
// first use.
func (a *Audiences) Resolve(ctx context.Context, d Doer, req *AudienceRequest) (string, error) {
	if req.ExternalID != "" {
		return req.ExternalID, nil
	}
	if a.config == nil || a.config.Create == nil {
		if id, ok, err := a.Lookup(ctx, req.Key); err != nil || ok {
			return id, err
		}
		return "", ValidationErrorf("external_audience_id",
			"Audience %q has no external audience id: run the mapping's audience hook or send context.personas.external_audience_id.", req.Key)
	}
	return a.Once(ctx, req.Key, func(ctx context.Context) (string, error) {
		in := *req
		if in.Settings == nil {
			in.Settings = a.settings
		}
		if in.Name == "" {
			in.Name = req.Key
		}
		return a.config.Create(ctx, d, &in)
	})
}

// AudienceHookKey is the mapping key of the audience hook's outputs:
// Segment's mapping-save hook name, the one an action's hook may have.
const AudienceHookKey = "onMappingSave"

// AudienceHook is the mapping-save hook of a destination with an
// AudienceConfig: run from the control API, it gets (externalId given) or
// creates the vendor's audience and saves {"externalId", "audienceName"}
// on the mapping, which Resolve then finds as req.ExternalID through
// HookOutput(payload, AudienceHookKey, "externalId"). Actions of such
// destinations list it in Action.Hooks.
func AudienceHook(cfg *AudienceConfig) Hook {
	inputs := []Field{
		{Key: "audienceName", Label: "Audience Name", Type: String,
			Description: "Name of the audience to create at the vendor; leave empty when giving an existing audience's id."},
		{Key: "externalId", Label: "Existing Audience ID", Type: String,
			Description: "Id of an audience that already exists at the vendor; it is checked, not created."},
	}
	if len(cfg.Fields) > 0 {
		inputs = append(inputs, Field{Key: "audienceSettings", Label: "Audience Settings", Type: Object,
			Properties: cfg.Fields, Description: "Settings of this audience (the destination's audience fields)."})
	}
	return Hook{
		Key:         AudienceHookKey,
		Label:       "Create or Connect an Audience",
		Description: "Create the audience this mapping syncs at the vendor, or connect an existing one by id.",
		Inputs:      inputs,
		Outputs: []Field{
			{Key: "externalId", Label: "External Audience ID", Type: String, Required: true, Description: "The vendor's id of the audience."},
			{Key: "audienceName", Label: "Audience Name", Type: String, Description: "Name the audience was created with."},
		},
		Run: func(ctx context.Context, d Doer, in *HookInput) (map[string]any, error) {
			req := &AudienceRequest{
				Settings:         in.Settings,
				AudienceSettings: in.Inputs.Get("audienceSettings"),
				Name:             strings.TrimSpace(string(in.Inputs.GetStringBytes("audienceName"))),
				ExternalID:       strings.TrimSpace(string(in.Inputs.GetStringBytes("externalId"))),
			}
			var id string
			var err error
			switch {
			case req.ExternalID != "" && cfg.Get != nil:
				id, err = cfg.Get(ctx, d, req)
			case req.ExternalID != "":
				id = req.ExternalID
			case req.Name == "":
				return nil, ValidationErrorf("audienceName", "Give an audience name to create, or the externalId of an existing audience.")
			case cfg.Create == nil:
				return nil, ValidationErrorf("audienceName", "This destination cannot create audiences; give the externalId of an existing one.")
			default:
				id, err = cfg.Create(ctx, d, req)
			}
			if err != nil {
				return nil, err
			}
			return map[string]any{"externalId": id, "audienceName": req.Name}, nil
		},
	}
}

// MemoryAudienceStore is an AudienceStore for one process (tests, `actuate
// dev`): ids live as long as the process.
type MemoryAudienceStore struct {
	mu    sync.Mutex
	ids   map[string]string
	locks keyLocks
}

// NewMemoryAudienceStore returns an empty store.
func NewMemoryAudienceStore() *MemoryAudienceStore {
	return &MemoryAudienceStore{ids: map[string]string{}}
}

// Get returns the id stored for key.
func (m *MemoryAudienceStore) Get(_ context.Context, key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.ids[key]
	return id, ok, nil
}

// SetIfAbsent stores id for key unless one is stored, and returns the
// stored id.
func (m *MemoryAudienceStore) SetIfAbsent(_ context.Context, key, id string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.ids[key]; ok {
		return cur, nil
	}
	m.ids[key] = id
	return id, nil
}

// Lock takes key's creation lock; a waiter gives up when ctx ends.
func (m *MemoryAudienceStore) Lock(ctx context.Context, key string) (func(), error) {
	return m.locks.lock(ctx, key)
}

var _ AudienceStore = (*MemoryAudienceStore)(nil)
