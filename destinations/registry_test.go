package destinations

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
)

// secretKey matches setting keys that hold credentials whatever their type.
var secretKey = regexp.MustCompile(`(?i)(secret|password|token|api_?key|passcode|private)`)

// TestRegistry is the registry-wide lint. It guards what a reviewer would
// otherwise have to remember for every new destination.
func TestRegistry(t *testing.T) {
	defs := All()
	if len(defs) == 0 {
		t.Fatal("empty registry")
	}
	for i, d := range defs {
		if i > 0 && defs[i-1].Slug >= d.Slug {
			t.Errorf("registry not sorted at %s", d.Slug)
		}
		t.Run(d.Slug, func(t *testing.T) { lintDefinition(t, d) })
	}
}

func lintDefinition(t *testing.T, d *destkit.Definition) {
	if d.Name == "" || d.Description == "" {
		t.Error("definition needs a name and a description")
	}
	switch d.Auth {
	case destkit.AuthNone, destkit.AuthCustom, destkit.AuthBasic, destkit.AuthOAuth2, destkit.AuthOAuthManaged:
	default:
		t.Errorf("unknown auth scheme %q", d.Auth)
	}
	if d.Auth.IsOAuth() && (d.OAuth == nil || (d.OAuth.TokenURL == "" && d.OAuth.Refresh == nil)) {
		t.Error("OAuth destination without a token endpoint")
	}
	for i := range d.Settings {
		s := &d.Settings[i]
		lintField(t, "setting "+s.Key, s, false)
		if (s.Type == destkit.Password || secretKey.MatchString(s.Key)) && !s.Secret {
			t.Errorf("setting %s looks like a credential but is not marked Secret", s.Key)
		}
		if s.Default != "" && !json.Valid([]byte(s.Default)) {
			t.Errorf("setting %s: default is not JSON", s.Key)
		}
	}
	tested := testSources(t, d)
	seen := map[string]bool{}
	for _, a := range d.Actions {
		if seen[a.Key] {
			t.Errorf("duplicate action %s", a.Key)
		}
		seen[a.Key] = true
		lintAction(t, a)
		if !strings.Contains(tested, `"`+a.Key+`"`) && !strings.Contains(tested, exported(a.Key)) {
			t.Errorf("action %s has no test (neither %q nor %s appears in a _test.go file)", a.Key, a.Key, exported(a.Key))
		}
	}
	for _, p := range d.Presets {
		a := d.Action(p.Action)
		if a == nil {
			t.Errorf("preset %q: no action %s", p.Name, p.Action)
			continue
		}
		if _, err := fql.Parse(p.Trigger); err != nil {
			t.Errorf("preset %q: trigger: %v", p.Name, err)
		}
		if err := mapping.Validate([]byte(p.Mapping)); err != nil {
			t.Errorf("preset %q: mapping: %v", p.Name, err)
		}
		var keys map[string]json.RawMessage
		json.Unmarshal([]byte(p.Mapping), &keys)
		for k := range keys {
			if a.Field(k) == nil && !strings.HasPrefix(k, "__segment_internal") {
				t.Errorf("preset %q maps %s, which %s does not declare", p.Name, k, a.Key)
			}
		}
	}
}

func lintAction(t *testing.T, a *destkit.Action) {
	if a.Key == "" || a.Title == "" || a.Description == "" {
		t.Errorf("action %q needs a key, title and description", a.Key)
	}
	if (a.Perform == nil) == (a.Run == nil) {
		t.Errorf("action %s: set exactly one of Perform and Run", a.Key)
	}
	if a.Batches() != (a.Batch != nil) || (a.PerformBatch != nil && a.RunBatch != nil) {
		t.Errorf("action %s: Batch goes with exactly one of PerformBatch and RunBatch", a.Key)
	}
	if a.Batch != nil {
		if a.Batch.MaxSize <= 0 {
			t.Errorf("action %s: batch without a size", a.Key)
		}
		for _, k := range a.Batch.Keys {
			if a.Field(k) == nil {
				t.Errorf("action %s: batch key %s is not a field", a.Key, k)
			}
		}
	}
	if a.DefaultSubscription != "" {
		if _, err := fql.Parse(a.DefaultSubscription); err != nil {
			t.Errorf("action %s: default subscription: %v", a.Key, err)
		}
	}
	keys := map[string]bool{}
	for i := range a.Fields {
		f := &a.Fields[i]
		if keys[f.Key] {
			t.Errorf("action %s: duplicate field %s", a.Key, f.Key)
		}
		keys[f.Key] = true
		lintField(t, a.Key+"."+f.Key, f, true)
	}
	for _, h := range a.Hooks {
		if h.Key != "onMappingSave" && h.Key != "retlOnMappingSave" {
			t.Errorf("action %s: hook %q is not one of Segment's hook names", a.Key, h.Key)
		}
		if h.Label == "" || h.Description == "" || len(h.Outputs) == 0 {
			t.Errorf("action %s: hook %s needs a label, a description and outputs", a.Key, h.Key)
		}
		for i := range h.Inputs {
			lintField(t, a.Key+"."+h.Key+".inputs."+h.Inputs[i].Key, &h.Inputs[i], false)
		}
		for i := range h.Outputs {
			lintField(t, a.Key+"."+h.Key+".outputs."+h.Outputs[i].Key, &h.Outputs[i], false)
		}
	}
	if err := mapping.Validate(a.DefaultMapping()); err != nil {
		t.Errorf("action %s: default mapping: %v", a.Key, err)
	}
}

func lintField(t *testing.T, path string, f *destkit.Field, mapped bool) {
	if f.Key == "" || f.Label == "" || f.Description == "" {
		t.Errorf("%s: needs a key, label and description", path)
	}
	switch f.Type {
	case destkit.String, destkit.Text, destkit.Password, destkit.Number, destkit.Integer,
		destkit.Boolean, destkit.Object, destkit.Datetime:
	default:
		t.Errorf("%s: unknown type %q", path, f.Type)
	}
	if f.Default != "" {
		if !json.Valid([]byte(f.Default)) {
			t.Errorf("%s: default is not JSON", path)
		} else if mapped {
			// Each default must be a valid mapping on its own, since users
			// copy single fields between mappings.
			if err := mapping.Validate([]byte(`{"x":` + string(f.Default) + `}`)); err != nil {
				t.Errorf("%s: default mapping: %v", path, err)
			}
		}
	}
	if len(f.Properties) > 0 && f.Type != destkit.Object {
		t.Errorf("%s: properties on a %s field", path, f.Type)
	}
	for i := range f.Properties {
		lintField(t, path+"."+f.Properties[i].Key, &f.Properties[i], false)
	}
}

// testSources returns the concatenated test files of the destination's
// package: destinations/<slug without dashes>.
func testSources(t *testing.T, d *destkit.Definition) string {
	dir := strings.ReplaceAll(d.Slug, "-", "")
	if alt, ok := packageDirs[d.Slug]; ok {
		dir = alt
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if len(files) == 0 {
		t.Errorf("no tests in destinations/%s", dir)
	}
	var b bytes.Buffer
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(src)
	}
	return b.String()
}

// packageDirs lists destinations whose package directory is not the slug
// without dashes.
var packageDirs = map[string]string{}

func exported(key string) string { return strings.ToUpper(key[:1]) + key[1:] }

func TestRegistryPanics(t *testing.T) {
	for name, defs := range map[string][]*destkit.Definition{
		"empty slug": {{Name: "x"}},
		"duplicate":  {{Slug: "a"}, {Slug: "a"}},
		"nil":        {nil},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			NewRegistry(defs...)
		}()
	}
	r := Default().Without("slack")
	if _, ok := r.Get("slack"); ok {
		t.Error("Without kept slack")
	}
	if _, ok := r.With(&destkit.Definition{Slug: "zz-fake"}).Get("zz-fake"); !ok {
		t.Error("With lost the fake")
	}
}
