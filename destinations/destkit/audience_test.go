package destkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/valyala/fastjson"
)

func parse(t *testing.T, doc string) *fastjson.Value {
	t.Helper()
	v, err := fastjson.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Membership is the truthiness of traits_or_props[segment_audience_key], as in Segment's
// `payload.traits_or_props[payload.segment_audience_key] ? add : remove`.
func TestMembershipOf(t *testing.T) {
	for _, c := range []struct {
		payload string
		want    Membership
		errKey  string
	}{
		{`{"segment_audience_key":"vip","traits_or_props":{"vip":true}}`, AudienceAdd, ""},
		{`{"segment_audience_key":"vip","traits_or_props":{"vip":false}}`, AudienceRemove, ""},
		{`{"segment_audience_key":"vip","traits_or_props":{"vip":"yes"}}`, AudienceAdd, ""},
		{`{"segment_audience_key":"vip","traits_or_props":{"vip":0}}`, AudienceRemove, ""},
		{`{"segment_audience_key":"vip","traits_or_props":{"other":true}}`, AudienceRemove, ""},
		{`{"traits_or_props":{"vip":true}}`, AudienceRemove, "segment_audience_key"},
		{`{"segment_audience_key":"vip"}`, AudienceRemove, "traits_or_props"},
		{`{"segment_audience_key":"vip","traits_or_props":[true]}`, AudienceRemove, "traits_or_props"},
	} {
		got, err := TraitsOrProps.Of(parse(t, c.payload))
		var pve *PayloadValidationError
		if c.errKey != "" {
			if !errors.As(err, &pve) || pve.Field != c.errKey {
				t.Errorf("%s: error %v, want one about %s", c.payload, err, c.errKey)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v, want %v", c.payload, got, err, c.want)
		}
	}
	// Flag gives the raw value, for destinations that remove only on an explicit false.
	f, err := TraitsOrProps.Flag(parse(t, `{"segment_audience_key":"vip","traits_or_props":{"vip":false}}`))
	if err != nil || f.Type() != fastjson.TypeFalse {
		t.Fatalf("flag %v %v", f, err)
	}
	if f, err := TraitsOrProps.Flag(parse(t, `{"segment_audience_key":"vip","traits_or_props":{}}`)); err != nil || f != nil {
		t.Fatalf("absent flag %v %v", f, err)
	}
	if AudienceAdd.String() != "add" || AudienceRemove.String() != "remove" {
		t.Fatal("membership words")
	}
}

// A batch splits into adds and removes, each in batch order; unreadable payloads are
// rejected and already rejected ones skipped.
func TestSplitMembership(t *testing.T) {
	in := &BatchInput{}
	for _, doc := range []string{
		`{"segment_audience_key":"a","traits_or_props":{"a":true},"u":0}`,
		`{"segment_audience_key":"a","traits_or_props":{"a":false},"u":1}`,
		`{"traits_or_props":{"a":true},"u":2}`,
		`{"segment_audience_key":"a","traits_or_props":{"a":true},"u":3}`,
		`{"segment_audience_key":"a","traits_or_props":{"a":true},"u":4}`,
		`{"segment_audience_key":"a","traits_or_props":{},"u":5}`,
	} {
		in.Payloads = append(in.Payloads, parse(t, doc))
	}
	in.Reject(4, errors.New("rejected before"))
	adds, removes := SplitMembership(in, TraitsOrProps.Of)
	if fmt.Sprint(adds) != "[0 3]" || fmt.Sprint(removes) != "[1 5]" {
		t.Fatalf("adds %v removes %v", adds, removes)
	}
	if in.Rejected(2) == nil || in.Rejected(4) == nil || in.Rejected(0) != nil {
		t.Fatal("rejections")
	}
}

func TestReadPersonas(t *testing.T) {
	p := ReadPersonas(parse(t, `{"computation_class":"audience","computation_key":"vip","computation_id":"aud_1",
		"external_audience_id":"ext-9","namespace":"spa_1","space_id":"spa_1","audience_settings":{"advertiserId":"42"}}`))
	if p.ComputationClass != "audience" || p.ComputationKey != "vip" || p.ComputationID != "aud_1" ||
		p.ExternalAudienceID != "ext-9" || p.SpaceID != "spa_1" || string(p.AudienceSettings.GetStringBytes("advertiserId")) != "42" {
		t.Fatalf("%+v", p)
	}
	if (ReadPersonas(nil) != Personas{}) {
		t.Fatal("nil personas")
	}
}

// audienceVendor creates audiences at POST /audiences ({"name"} -> {"id"}) and checks
// them at GET /audiences/{id}; it requires the API key header.
type audienceVendor struct {
	creates atomic.Int32
	mu      sync.Mutex
	names   []string
	changes []string // "<id>/<add|remove>" in arrival order
}

func (v *audienceVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Api-Key") != "k1" {
		w.WriteHeader(401)
		return
	}
	switch {
	case r.Method == "POST" && r.URL.Path == "/audiences":
		body, _ := io.ReadAll(r.Body)
		n := v.creates.Add(1)
		v.mu.Lock()
		v.names = append(v.names, fastjson.GetString(body, "name"))
		v.mu.Unlock()
		fmt.Fprintf(w, `{"id":"ext-%d"}`, n)
	case r.Method == "POST" && strings.HasPrefix(r.URL.Path, "/audiences/"):
		v.mu.Lock()
		v.changes = append(v.changes, strings.TrimPrefix(r.URL.Path, "/audiences/"))
		v.mu.Unlock()
	case r.Method == "GET" && r.URL.Path == "/audiences/ext-77":
		fmt.Fprint(w, `{"id":"ext-77"}`)
	case r.Method == "GET" && r.URL.Path == "/lists":
		fmt.Fprintf(w, `[{"id":"l1","name":"Buyers"},{"id":"l2","name":"%s"}]`, r.URL.Query().Get("account"))
	default:
		w.WriteHeader(404)
	}
}

// audienceDef is a destination with an audienceConfig whose one action posts each
// payload's membership to the resolved audience.
func audienceDef() *Definition {
	cfg := &AudienceConfig{
		Fields: []Field{{Key: "region", Label: "Region", Type: String, Choices: ChoiceValues("US", "EU")}},
		Create: func(ctx context.Context, d Doer, in *AudienceRequest) (string, error) {
			body := fmt.Sprintf(`{"name":%q,"region":%q}`, in.Name, in.AudienceSettings.GetStringBytes("region"))
			r := NewJSONRequest("POST", "https://vendor.example/audiences", []byte(body))
			resp, err := d.Do(ctx, &r)
			if err != nil {
				return "", err
			}
			return fastjson.GetString(resp.Body, "id"), nil
		},
		Get: func(ctx context.Context, d Doer, in *AudienceRequest) (string, error) {
			r := Request{Method: "GET", URL: "https://vendor.example/audiences/" + in.ExternalID}
			resp, err := d.Do(ctx, &r)
			if err != nil {
				return "", err
			}
			return fastjson.GetString(resp.Body, "id"), nil
		},
	}
	sync := &Action{
		Key: "sync",
		Fields: []Field{
			{Key: "segment_audience_key", Label: "Audience Key", Type: String, Required: true},
			{Key: "traits_or_props", Label: "Traits or Properties", Type: Object, Required: true},
			{Key: "external_audience_id", Label: "External Audience ID", Type: String},
			{Key: "list", Label: "List", Type: String, Dynamic: func(ctx context.Context, d Doer, in *DynamicInput) ([]Choice, error) {
				r := Request{Method: "GET", URL: "https://vendor.example/lists?account=" + string(in.Payload.GetStringBytes("account"))}
				resp, err := d.Do(ctx, &r)
				if err != nil {
					return nil, err
				}
				var cs []Choice
				for _, l := range fastjson.MustParseBytes(resp.Body).GetArray() {
					cs = append(cs, Choice{Value: string(l.GetStringBytes("id")), Label: string(l.GetStringBytes("name"))})
				}
				return cs, nil
			}},
		},
		Hooks: []Hook{AudienceHook(cfg)},
		Run: func(ctx context.Context, d Doer, in *Input) error {
			key, err := TraitsOrProps.AudienceKey(in.Payload)
			if err != nil {
				return err
			}
			ext := string(in.Payload.GetStringBytes("external_audience_id"))
			if ext == "" {
				ext = string(HookOutput(in.Payload, AudienceHookKey, "externalId").GetStringBytes())
			}
			id, err := in.Audiences.Resolve(ctx, d, &AudienceRequest{Key: key, ExternalID: ext})
			if err != nil {
				return err
			}
			m, _ := TraitsOrProps.Of(in.Payload)
			r := NewJSONRequest("POST", "https://vendor.example/audiences/"+id+"/"+m.String(), nil)
			_, err = d.Do(ctx, &r)
			return err
		},
	}
	return &Definition{
		Slug: "audience-test", Auth: AuthCustom, Audience: cfg, Actions: []*Action{sync},
		Settings: []Field{{Key: "api_key", Label: "API Key", Type: Password, Required: true, Secret: true}},
		Authorize: func(r *Request, s *Settings, _ *Token) error {
			r.SetHeader("X-Api-Key", s.Str("api_key"))
			return nil
		},
	}
}

// Creation on first use happens once per instance and audience key, however many
// events race for it, and the id is then kept; an id from the event or the mapping
// is used as given.
func TestAudienceCreatedOnceOnFirstUse(t *testing.T) {
	vendor := &audienceVendor{}
	srv := httptest.NewServer(vendor)
	defer srv.Close()
	def := audienceDef()
	inst, err := NewInstance("inst-1", def, map[string]any{"api_key": "k1"})
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryAudienceStore()
	c := NewClient(RedirectAll(srv.URL), WithAudienceStore(store))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- c.Send(context.Background(), inst, def.Actions[0], []byte(`{"segment_audience_key":"vip","traits_or_props":{"vip":true}}`))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := vendor.creates.Load(); n != 1 || vendor.names[0] != "vip" {
		t.Fatalf("%d creates %v, want one of vip", n, vendor.names)
	}
	if id, ok, _ := store.Get(context.Background(), "inst-1\x1fvip"); !ok || id != "ext-1" {
		t.Fatalf("stored %q %v", id, ok)
	}
	// A second client (another sender process) sharing the store creates nothing.
	other, _ := NewInstance("inst-1", def, map[string]any{"api_key": "k1"})
	if err := NewClient(RedirectAll(srv.URL), WithAudienceStore(store)).Send(context.Background(), other, def.Actions[0],
		[]byte(`{"segment_audience_key":"vip","traits_or_props":{"vip":false}}`)); err != nil {
		t.Fatal(err)
	}
	// Another instance has audiences of its own.
	second, _ := NewInstance("inst-2", def, map[string]any{"api_key": "k1"})
	if err := c.Send(context.Background(), second, def.Actions[0], []byte(`{"segment_audience_key":"vip","traits_or_props":{"vip":true}}`)); err != nil {
		t.Fatal(err)
	}
	// The event's (or the mapping's) external id wins and creates nothing.
	if err := c.Send(context.Background(), inst, def.Actions[0],
		[]byte(`{"segment_audience_key":"new","traits_or_props":{"new":true},"external_audience_id":"ext-77"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(context.Background(), inst, def.Actions[0],
		[]byte(`{"segment_audience_key":"new2","traits_or_props":{},"onMappingSave":{"outputs":{"externalId":"ext-77"}}}`)); err != nil {
		t.Fatal(err)
	}
	if n := vendor.creates.Load(); n != 2 {
		t.Fatalf("%d creates, want 2 (one per instance)", n)
	}
	if got := fmt.Sprint(vendor.changes[8:]); got != "[ext-1/remove ext-2/add ext-77/add ext-77/remove]" {
		t.Fatalf("membership changes %s", got)
	}
}

// A create that fails stores nothing: the next event tries again.
func TestAudienceCreateFailureStoresNothing(t *testing.T) {
	a := NewAudiences(&Instance{ID: "i", Def: &Definition{}}, NewMemoryAudienceStore())
	calls := 0
	create := func(context.Context) (string, error) {
		calls++
		if calls == 1 {
			return "", &RetryableError{Err: errors.New("vendor down")}
		}
		return "id-2", nil
	}
	if _, err := a.Once(context.Background(), "k", create); err == nil {
		t.Fatal("failure swallowed")
	}
	if id, err := a.Once(context.Background(), "k", create); err != nil || id != "id-2" {
		t.Fatalf("%q %v", id, err)
	}
	if id, err := a.Once(context.Background(), "k", create); err != nil || id != "id-2" || calls != 2 {
		t.Fatalf("%q %v after %d calls", id, err, calls)
	}
	if _, err := a.Once(context.Background(), "", create); err == nil {
		t.Fatal("empty audience key accepted")
	}
}

// Without a way to create, an audience with no id is a validation error naming the field.
func TestResolveWithoutCreate(t *testing.T) {
	a := NewAudiences(&Instance{ID: "i", Def: &Definition{}}, NewMemoryAudienceStore())
	_, err := a.Resolve(context.Background(), nil, &AudienceRequest{Key: "vip"})
	var pve *PayloadValidationError
	if !errors.As(err, &pve) || pve.Field != "external_audience_id" {
		t.Fatalf("%v", err)
	}
}

// The audience hook creates (name given) or checks (id given) the audience with the
// instance's credentials and returns the mapping entry to save.
func TestRunAudienceHook(t *testing.T) {
	vendor := &audienceVendor{}
	srv := httptest.NewServer(vendor)
	defer srv.Close()
	def := audienceDef()
	inst, _ := NewInstance("inst-1", def, map[string]any{"api_key": "k1"})
	c := NewClient(RedirectAll(srv.URL))
	a := def.Actions[0]
	out, err := c.RunHook(context.Background(), inst, a, AudienceHookKey, []byte(`{"audienceName":"Buyers","audienceSettings":{"region":"EU"}}`), nil)
	if err != nil || string(out) != `{"outputs":{"audienceName":"Buyers","externalId":"ext-1"}}` {
		t.Fatalf("%s %v", out, err)
	}
	out, err = c.RunHook(context.Background(), inst, a, AudienceHookKey, []byte(`{"externalId":"ext-77"}`), nil)
	if err != nil || string(out) != `{"outputs":{"externalId":"ext-77"}}` {
		t.Fatalf("%s %v", out, err)
	}
	// The vendor does not know this id: its 404 comes back.
	if _, err := c.RunHook(context.Background(), inst, a, AudienceHookKey, []byte(`{"externalId":"nope"}`), nil); err == nil {
		t.Fatal("unknown audience accepted")
	}
	// Inputs are validated against the hook's inputs (and the audience fields).
	var pve *PayloadValidationError
	if _, err := c.RunHook(context.Background(), inst, a, AudienceHookKey, []byte(`{"audienceName":"x","audienceSettings":{"region":"MARS"}}`), nil); !errors.As(err, &pve) {
		t.Fatalf("bad region: %v", err)
	}
	if _, err := c.RunHook(context.Background(), inst, a, AudienceHookKey, []byte(`{}`), nil); !errors.As(err, &pve) || pve.Field != "audienceName" {
		t.Fatalf("no name: %v", err)
	}
	if _, err := c.RunHook(context.Background(), inst, a, "retlOnMappingSave", []byte(`{}`), nil); !errors.As(err, &pve) {
		t.Fatalf("unknown hook: %v", err)
	}
	// The saved entry validates as part of a mapping, and the action reads it back.
	valid, err := a.Validate([]byte(`{"segment_audience_key":"vip","traits_or_props":{"vip":true},"onMappingSave":{"outputs":{"externalId":"ext-1"},"inputs":{"audienceName":"Buyers"}}}`))
	if err != nil || !strings.Contains(string(valid), `"onMappingSave":{"outputs":{"externalId":"ext-1"}}`) {
		t.Fatalf("%s %v", valid, err)
	}
	if vendor.creates.Load() != 1 {
		t.Fatalf("%d creates", vendor.creates.Load())
	}
}

// A hook whose outputs miss a required output is an error, not a half-saved mapping;
// a hook without Run cannot be run.
func TestRunHookChecksOutputs(t *testing.T) {
	a := &Action{Key: "a", Hooks: []Hook{
		{Key: "onMappingSave", Outputs: []Field{{Key: "id", Label: "ID", Type: String, Required: true}},
			Run: func(context.Context, Doer, *HookInput) (map[string]any, error) {
				return map[string]any{"name": "x"}, nil
			}},
		{Key: "manual", Outputs: []Field{{Key: "id", Label: "ID", Type: String}}},
	}}
	inst := &Instance{ID: "i", Def: &Definition{Auth: AuthNone}}
	c := NewClient()
	var pve *PayloadValidationError
	if _, err := c.RunHook(context.Background(), inst, a, "onMappingSave", nil, nil); !errors.As(err, &pve) {
		t.Fatalf("%v", err)
	}
	var ie *IntegrationError
	if _, err := c.RunHook(context.Background(), inst, a, "manual", nil, nil); !errors.As(err, &ie) {
		t.Fatalf("%v", err)
	}
}

// A dynamic field lists the vendor's choices with the instance's credentials and the
// mapping's known values.
func TestFieldChoices(t *testing.T) {
	srv := httptest.NewServer(&audienceVendor{})
	defer srv.Close()
	def := audienceDef()
	inst, _ := NewInstance("inst-1", def, map[string]any{"api_key": "k1"})
	c := NewClient(RedirectAll(srv.URL))
	cs, err := c.FieldChoices(context.Background(), inst, def.Actions[0], "list", []byte(`{"account":"acme"}`))
	if err != nil || fmt.Sprint(cs) != "[{l1 Buyers} {l2 acme}]" {
		t.Fatalf("%v %v", cs, err)
	}
	var pve *PayloadValidationError
	if _, err := c.FieldChoices(context.Background(), inst, def.Actions[0], "segment_audience_key", nil); !errors.As(err, &pve) {
		t.Fatalf("static field: %v", err)
	}
	if _, err := c.FieldChoices(context.Background(), inst, def.Actions[0], "nope", nil); !errors.As(err, &pve) {
		t.Fatalf("unknown field: %v", err)
	}
	bad, _ := NewInstance("inst-1", def, map[string]any{"api_key": "wrong"})
	var ae *AuthError
	if _, err := c.FieldChoices(context.Background(), bad, def.Actions[0], "list", nil); !errors.As(err, &ae) {
		t.Fatalf("rejected key: %v", err)
	}
}

// Hooks on OAuth destinations refresh the token on a 401 and run once more.
func TestRunHookRefreshesOAuth(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDef("https://auth.example.com/token")
	def.Actions[0].Hooks = []Hook{{Key: "onMappingSave", Outputs: []Field{{Key: "ok", Label: "OK", Type: Boolean}},
		Run: func(ctx context.Context, d Doer, _ *HookInput) (map[string]any, error) {
			r := NewJSONRequest("POST", "https://api.example.com/v1/things", []byte(`{}`))
			_, err := d.Do(ctx, &r)
			return map[string]any{"ok": err == nil}, err
		}}}
	inst, _ := NewInstance("o", def, oauthSettings())
	out, err := NewClient(RedirectAll(srv.URL)).RunHook(context.Background(), inst, def.Actions[0], "onMappingSave", nil, nil)
	if err != nil || string(out) != `{"outputs":{"ok":true}}` || api.refreshes.Load() != 1 {
		t.Fatalf("%s %v after %d refreshes", out, err, api.refreshes.Load())
	}
}

// A client keeps one resolver per instance, and a new Instance for the same id (a new
// workspace) gets a new one, whose cache starts empty but whose store is the same.
func TestClientAudiencesPerInstance(t *testing.T) {
	store := NewMemoryAudienceStore()
	c := NewClient(WithAudienceStore(store))
	def := audienceDef()
	first, _ := NewInstance("i", def, map[string]any{"api_key": "k1"})
	if c.Audiences(first) != c.Audiences(first) {
		t.Fatal("a resolver per call")
	}
	if _, err := c.Audiences(first).Once(context.Background(), "vip", func(context.Context) (string, error) { return "ext-9", nil }); err != nil {
		t.Fatal(err)
	}
	next, _ := NewInstance("i", def, map[string]any{"api_key": "k2"})
	a := c.Audiences(next)
	if a == c.Audiences(first) || a.settings != next.Settings {
		t.Fatal("a new instance kept the old resolver")
	}
	if id, ok, err := a.Lookup(context.Background(), "vip"); err != nil || !ok || id != "ext-9" {
		t.Fatalf("%q %v %v", id, ok, err)
	}
}

// The catalog shows which fields are dynamic; the function itself is never encoded.
func TestDynamicFieldInCatalogJSON(t *testing.T) {
	a := audienceDef().Actions[0]
	b, err := json.Marshal(a.Fields[2:4])
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `[{"key":"external_audience_id","label":"External Audience ID","type":"string"},{"key":"list","label":"List","type":"string","dynamic":true}]` {
		t.Fatalf("%s", b)
	}
}

// The catalog shows an action's hooks (whether each runs) and an audience destination's
// audience configuration, never their functions.
func TestHookAndAudienceConfigJSON(t *testing.T) {
	def := audienceDef()
	b, err := json.Marshal(def.Actions[0].Hooks[0])
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Key     string
		Runs    bool
		Inputs  []map[string]any
		Outputs []map[string]any
	}
	if err := json.Unmarshal(b, &h); err != nil || h.Key != AudienceHookKey || !h.Runs || len(h.Inputs) != 3 || len(h.Outputs) != 2 {
		t.Fatalf("%s", b)
	}
	b, err = json.Marshal(def.Audience)
	if err != nil || string(b) != `{"full_audience_sync":false,"fields":[{"key":"region","label":"Region","type":"string","choices":[{"value":"US","label":"US"},{"value":"EU","label":"EU"}]}],"creates":true,"checks":true}` {
		t.Fatalf("%s %v", b, err)
	}
}
