package configstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/workspace"
)

// Kinds of config object, the first part of an object key ("destination/shop").
const (
	KindSource       = "source"
	KindTrackingPlan = "tracking_plan"
	KindDestination  = "destination"
	KindDataModel    = "data_model"
	// KindSetting objects are the workspace's settings, one per top-level key:
	// setting/profiles holds profiles: {enabled: true}.
	KindSetting = "setting"
	// KindToken objects are the control API's named tokens (name, role, SHA-256 of the
	// token); they are not part of the workspace.
	KindToken = "token"
)

// Sections of the workspace document each kind fills, in the order they are written.
var sections = []struct{ kind, section string }{
	{KindSource, "sources"},
	{KindTrackingPlan, "tracking_plans"},
	{KindDestination, "destinations"},
	{KindDataModel, "data_models"},
}

// settings are the ids of KindSetting objects: each is the workspace document's key of
// the same name.
var settings = map[string]bool{"profiles": true}

// Key returns the object key of a config object.
func Key(kind, id string) string { return kind + "/" + id }

// SplitKey returns the kind and id of an object key.
func SplitKey(key string) (kind, id string, ok bool) {
	kind, id, ok = strings.Cut(key, "/")
	if !ok || id == "" {
		return "", "", false
	}
	for _, s := range sections {
		if s.kind == kind {
			return kind, id, true
		}
	}
	if kind == KindToken || (kind == KindSetting && settings[id]) {
		return kind, id, true
	}
	return "", "", false
}

// Object is one config object as stored: its JSON value in the workspace file's field
// names (destination settings included, secrets as given) and its version, the offset
// of the record that wrote it. Objects that come from a --config file have version 0 and
// FromFile set.
type Object struct {
	Key      string          `json:"key"`
	Value    json.RawMessage `json:"value"`
	Version  int64           `json:"version"`
	FromFile bool            `json:"from_file,omitempty"`
}

// Change puts (Value set) or deletes (Value nil) one object.
type Change struct {
	Key   string
	Value json.RawMessage
}

// Snapshot is the set of objects in force at one revision. It is immutable.
type Snapshot struct {
	// Revision is the offset just past the last config record applied: every change
	// the API acknowledged before it is included.
	Revision int64
	objects  map[string]Object
	// Workspace is the compiled workspace of these objects, or the last valid one when
	// they do not compile (Problems then says why).
	Workspace *workspace.Workspace
	Problems  error
}

// Object returns the object with the key.
func (s *Snapshot) Object(key string) (Object, bool) {
	o, ok := s.objects[key]
	return o, ok
}

// Objects returns the objects of one kind ("" for all), sorted by key.
func (s *Snapshot) Objects(kind string) []Object {
	out := make([]Object, 0, len(s.objects))
	for k, o := range s.objects {
		if kind == "" || strings.HasPrefix(k, kind+"/") {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// With returns the values the snapshot would hold after changes.
func (s *Snapshot) With(changes []Change) map[string]json.RawMessage {
	vals := make(map[string]json.RawMessage, len(s.objects)+len(changes))
	for k, o := range s.objects {
		vals[k] = o.Value
	}
	for _, c := range changes {
		if c.Value == nil {
			delete(vals, c.Key)
		} else {
			vals[c.Key] = c.Value
		}
	}
	return vals
}

// Compile assembles objects into a workspace document and compiles it. Problem paths
// name objects by key ("destination/shop.mappings[0].trigger") rather than by their
// position in a document nobody wrote.
func Compile(objects map[string]json.RawMessage, lookup workspace.Lookup) (*workspace.Workspace, error) {
	doc, names := Assemble(objects)
	cfg, err := config.Parse(doc)
	if err != nil {
		return nil, workspace.Problems{{Path: "config", Reason: rename(err.Error(), names)}}
	}
	ws, err := workspace.Compile(cfg, lookup)
	var problems workspace.Problems
	if errors.As(err, &problems) {
		out := make(workspace.Problems, len(problems))
		for i, p := range problems {
			out[i] = workspace.Problem{Path: rename(p.Path, names), Reason: p.Reason}
		}
		return nil, out
	}
	return ws, err
}

var positional = regexp.MustCompile(`^(sources|tracking_plans|destinations|data_models)\[(\d+)\]`)

func rename(s string, names map[string]string) string {
	return positional.ReplaceAllStringFunc(s, func(m string) string {
		if key, ok := names[m]; ok {
			return key
		}
		return m
	})
}

// Assemble writes objects as one workspace document (JSON, which config.Parse reads as
// YAML), each section sorted by key so every process builds the same bytes — and so the
// same workspace version — from the same objects. names maps positions such as
// "destinations[2]" to object keys.
func Assemble(objects map[string]json.RawMessage) (doc []byte, names map[string]string) {
	keys := make([]string, 0, len(objects))
	for k := range objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	names = map[string]string{}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, s := range sections {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:[", s.section)
		n := 0
		for _, k := range keys {
			if kind, _, _ := SplitKey(k); kind != s.kind {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			names[fmt.Sprintf("%s[%d]", s.section, n)] = k
			b.Write(objects[k])
			n++
		}
		b.WriteByte(']')
	}
	for _, k := range keys {
		if kind, id, _ := SplitKey(k); kind == KindSetting {
			fmt.Fprintf(&b, ",%q:", id)
			b.Write(objects[k])
		}
	}
	b.WriteByte('}')
	return b.Bytes(), names
}

// ObjectsFromFile splits a workspace file into config objects, secrets references such
// as ${env:NAME} kept unresolved: each process resolves them in its own environment.
func ObjectsFromFile(data []byte) (map[string]json.RawMessage, error) {
	var doc struct {
		Sources       []yaml.Node `yaml:"sources"`
		TrackingPlans []yaml.Node `yaml:"tracking_plans"`
		Destinations  []yaml.Node `yaml:"destinations"`
		DataModels    []yaml.Node `yaml:"data_models"`
		Profiles      yaml.Node   `yaml:"profiles"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, fmt.Errorf("config: %w", err)
	}
	out := map[string]json.RawMessage{}
	if doc.Profiles.Kind != 0 {
		value, err := config.YAMLToJSON(nil, &doc.Profiles)
		if err != nil {
			return nil, fmt.Errorf("config: profiles: %w", err)
		}
		out[Key(KindSetting, "profiles")] = value
	}
	for _, sec := range []struct {
		kind  string
		nodes []yaml.Node
	}{{KindSource, doc.Sources}, {KindTrackingPlan, doc.TrackingPlans}, {KindDestination, doc.Destinations}, {KindDataModel, doc.DataModels}} {
		for i := range sec.nodes {
			value, err := config.YAMLToJSON(nil, &sec.nodes[i])
			if err != nil {
				return nil, fmt.Errorf("config: %s %d: %w", sec.kind, i, err)
			}
			var head struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(value, &head); err != nil || head.ID == "" {
				return nil, fmt.Errorf("config: %s %d (line %d) has no id", sec.kind, i, sec.nodes[i].Line)
			}
			key := Key(sec.kind, head.ID)
			if _, dup := out[key]; dup {
				return nil, fmt.Errorf("config: %s %q is defined twice", sec.kind, head.ID)
			}
			out[key] = value
		}
	}
	return out, nil
}

// Redact returns value with the secret settings of a destination object replaced by
// destkit.Redacted; history records and API answers go through it. Settings of an
// unknown destination type are all redacted, since nothing says which are secret.
func Redact(key string, value json.RawMessage, lookup workspace.Lookup) json.RawMessage {
	if kind, _, _ := SplitKey(key); kind != KindDestination || value == nil {
		return value
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(value, &obj) != nil {
		return nil
	}
	var head struct {
		Type     string         `json:"type"`
		Settings map[string]any `json:"settings"`
	}
	json.Unmarshal(value, &head)
	def, known := lookup(head.Type)
	mappings := obj["mappings"]
	if known {
		redact := func(string, string) (string, error) { return destkit.Redacted, nil }
		if transformMappingSecrets(key, obj, def, redact) != nil {
			return nil
		}
	}
	if len(head.Settings) == 0 {
		if bytes.Equal(mappings, obj["mappings"]) {
			return value
		}
		out, _ := json.Marshal(obj)
		return out
	}
	var redacted map[string]any
	if known {
		redacted = destkit.Redact(def.Settings, head.Settings)
	} else {
		redacted = map[string]any{}
		for k := range head.Settings {
			redacted[k] = destkit.Redacted
		}
	}
	obj["settings"], _ = json.Marshal(redacted)
	out, _ := json.Marshal(obj)
	return out
}

// transformMappingSecrets applies f to the secret literals of the destination object's
// mappings (destkit.TransformSecretLiterals), with the object key, mapping id and field as
// f's additional data; obj["mappings"] is replaced when anything changed.
func transformMappingSecrets(key string, obj map[string]json.RawMessage, def *destkit.Definition, f func(aad, v string) (string, error)) error {
	raw := obj["mappings"]
	if len(raw) == 0 {
		return nil
	}
	var mappings []map[string]json.RawMessage
	if json.Unmarshal(raw, &mappings) != nil {
		return nil // not a list of mappings; compiling the object says why
	}
	changed := false
	for _, m := range mappings {
		var id, action string
		json.Unmarshal(m["id"], &id)
		json.Unmarshal(m["action"], &action)
		out, err := destkit.TransformSecretLiterals(def.Action(action), m["mapping"], func(field, v string) (string, error) {
			return f(key+"\x00mapping."+id+"."+field, v)
		})
		if err != nil {
			return err
		}
		if !bytes.Equal(out, m["mapping"]) {
			m["mapping"] = out
			changed = true
		}
	}
	if changed {
		var err error
		if obj["mappings"], err = json.Marshal(mappings); err != nil {
			return err
		}
	}
	return nil
}
