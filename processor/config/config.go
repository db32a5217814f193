// Package config reads the workspace: sources, tracking plans and destination instances
// with their settings, filters and mappings. The same model backs the config file, the
// control API and the compacted config topic.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Product limits, as Segment applies them to a destination instance.
const (
	MaxMappingsPerInstance = 50
	MaxFiltersPerInstance  = 10
)

// Workspace is everything one Actuate deployment routes.
type Workspace struct {
	Sources       []Source       `yaml:"sources" json:"sources"`
	TrackingPlans []TrackingPlan `yaml:"tracking_plans" json:"tracking_plans,omitempty"`
	Destinations  []Destination  `yaml:"destinations" json:"destinations"`
	DataModels    []DataModel    `yaml:"data_models" json:"data_models,omitempty"`
	// Profiles turns per-user state on: mappings, triggers and filters read
	// $.profile.traits.<name> and $.profile.user_id.
	Profiles *Profiles `yaml:"profiles" json:"profiles,omitempty"`
	// Version identifies this content; records rendered under it carry it. Parse sets it to
	// a hash of the file, so the same file always has the same version.
	Version int64 `yaml:"-" json:"version"`
}

// Source is where events come from.
type Source struct {
	ID           string   `yaml:"id" json:"id"`
	WriteKey     string   `yaml:"write_key" json:"write_key,omitempty"`
	Topics       []string `yaml:"topics" json:"topics"`
	TrackingPlan string   `yaml:"tracking_plan" json:"tracking_plan,omitempty"`
}

// TrackingPlan is a source's Protocols: what events may look like and what to do when they
// do not.
type TrackingPlan struct {
	ID string `yaml:"id" json:"id"`
	// Events maps an event name to JSON Schemas of its parts ("properties", "context").
	Events map[string]EventRules `yaml:"events" json:"events,omitempty"`
	// Identify and Group hold JSON Schemas for traits ("traits").
	Identify        EventRules       `yaml:"identify" json:"identify,omitempty"`
	Group           EventRules       `yaml:"group" json:"group,omitempty"`
	OnViolation     ViolationPolicy  `yaml:"on_violation" json:"on_violation"`
	Transformations []Transformation `yaml:"transformations" json:"transformations,omitempty"`
}

// EventRules maps a part of an event ("properties", "traits", "context") to a JSON Schema
// kept as JSON text.
type EventRules map[string]JSONText

// ViolationPolicy says what Protocols does with events that break the plan.
type ViolationPolicy struct {
	// UnplannedEvents: "allow" (default) or "block" track events not named in the plan.
	UnplannedEvents string `yaml:"unplanned_events" json:"unplanned_events,omitempty"`
	// InvalidProperties: "allow" (default), "omit" the offending properties, or "block"
	// the event.
	InvalidProperties string `yaml:"invalid_properties" json:"invalid_properties,omitempty"`
	// UnplannedProperties: "allow" (default) or "omit" properties the schema does not list.
	UnplannedProperties string `yaml:"unplanned_properties" json:"unplanned_properties,omitempty"`
	// InvalidTraits, UnplannedTraits: the same for identify and group traits.
	InvalidTraits   string `yaml:"invalid_traits" json:"invalid_traits,omitempty"`
	UnplannedTraits string `yaml:"unplanned_traits" json:"unplanned_traits,omitempty"`
}

// Transformation renames an event or its properties when its condition holds.
type Transformation struct {
	If               string            `yaml:"if" json:"if"`
	RenameEvent      string            `yaml:"rename_event" json:"rename_event,omitempty"`
	RenameProperties map[string]string `yaml:"rename_properties" json:"rename_properties,omitempty"`
}

// Destination is a destination instance: a definition with settings and what to send.
type Destination struct {
	ID       string         `yaml:"id" json:"id"`
	Type     string         `yaml:"type" json:"type"`
	Sources  []string       `yaml:"sources" json:"sources"`
	Enabled  bool           `yaml:"enabled" json:"enabled"`
	Settings map[string]any `yaml:"settings" json:"-"` // secrets: never printed
	Filters  []Filter       `yaml:"filters" json:"filters,omitempty"`
	Mappings []Mapping      `yaml:"mappings" json:"mappings,omitempty"`
	Delivery Delivery       `yaml:"delivery" json:"delivery"`
	// ConsentCategories are the consent categories the instance belongs to: an event
	// whose context.consent.categoryPreferences does not grant every one of them is not
	// sent to it (Segment's Consent Management).
	ConsentCategories []string `yaml:"consent_categories" json:"consent_categories,omitempty"`
}

// Delivery overrides how the senders deliver to one instance.
type Delivery struct {
	RequestsPerSecond float64 `yaml:"requests_per_second" json:"requests_per_second,omitempty"`
	Concurrency       int     `yaml:"concurrency" json:"concurrency,omitempty"`
	BatchSize         int     `yaml:"batch_size" json:"batch_size,omitempty"`
	BatchWait         string  `yaml:"batch_wait" json:"batch_wait,omitempty"` // Go duration
	MaxAge            string  `yaml:"max_age" json:"max_age,omitempty"`       // Go duration; default 4h
	// Ordering is "per_user" (the default: a user's requests arrive in the order of their
	// events, through retries) or "none" (retries overtake; more throughput while failing).
	Ordering string `yaml:"ordering" json:"ordering,omitempty"`
}

// Filter is a destination filter in the shape of Segment's Public API filter objects.
type Filter struct {
	ID string `yaml:"id" json:"id,omitempty"`
	// SourceID limits the filter to events from one of the instance's sources; empty
	// applies it to all of them.
	SourceID    string         `yaml:"source_id" json:"source_id,omitempty"`
	Title       string         `yaml:"title" json:"title,omitempty"`
	Description string         `yaml:"description" json:"description,omitempty"`
	If          string         `yaml:"if" json:"if"`
	Actions     []FilterAction `yaml:"actions" json:"actions"`
	// Enabled defaults to true: a filter written into a config file is meant to apply.
	Enabled *bool `yaml:"enabled" json:"enabled,omitempty"`
}

// IsEnabled reports whether the filter applies.
func (f *Filter) IsEnabled() bool { return f.Enabled == nil || *f.Enabled }

// FilterAction is what a filter does to the events its condition selects.
type FilterAction struct {
	// Type: drop_event ("drop"), sample_event ("sample"), allow_properties, drop_properties.
	Type string `yaml:"type" json:"type"`
	// Percent of events kept by sample_event, from 0 to 1.
	Percent float64 `yaml:"percent" json:"percent,omitempty"`
	// Path makes sampling consistent per value of this field (for example userId).
	Path string `yaml:"path" json:"path,omitempty"`
	// Fields lists, per part ("properties", "traits", "context"), the keys to keep or drop.
	Fields map[string][]string `yaml:"fields" json:"fields,omitempty"`
}

// Mapping is a subscription: when the trigger matches, render the mapping for the action.
type Mapping struct {
	ID      string   `yaml:"id" json:"id"`
	Name    string   `yaml:"name" json:"name,omitempty"`
	Enabled bool     `yaml:"enabled" json:"enabled"`
	Action  string   `yaml:"action" json:"action"`
	Trigger string   `yaml:"trigger" json:"trigger"`
	Mapping JSONText `yaml:"mapping" json:"mapping"`
}

// JSONText is a JSON document that was written in YAML. Key order is kept: a mapping's
// output lists its keys in the order the mapping does.
type JSONText []byte

// UnmarshalYAML converts the YAML node to JSON.
func (j *JSONText) UnmarshalYAML(n *yaml.Node) error {
	out, err := yamlToJSON(nil, n)
	if err != nil {
		return err
	}
	*j = out
	return nil
}

// MarshalJSON returns the document itself.
func (j JSONText) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON keeps the document as given.
func (j *JSONText) UnmarshalJSON(data []byte) error {
	*j = append((*j)[:0], data...)
	return nil
}

// Load reads a workspace file, resolving ${env:NAME} and ${file:PATH} references.
func Load(path string) (*Workspace, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse reads a workspace from YAML (or JSON, which is YAML). Unknown keys are errors: a
// misspelt key would otherwise silently do nothing.
func Parse(data []byte) (*Workspace, error) {
	var ws Workspace
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ws); err != nil && err != io.EOF {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := ws.expandSecrets(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	ws.Version = int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
	return &ws, nil
}

var secretRef = regexp.MustCompile(`\$\{(env|file):([^}]+)\}`)

// expandSecrets resolves ${env:NAME} and ${file:PATH} in settings and write keys, the
// places secrets live. An unresolvable reference is an error naming the reference and
// where it is, never a value.
func (ws *Workspace) expandSecrets() error {
	var errs []error
	for i := range ws.Sources {
		s := &ws.Sources[i]
		s.WriteKey = expand(s.WriteKey, fmt.Sprintf("sources[%d].write_key", i), &errs)
	}
	for i := range ws.Destinations {
		d := &ws.Destinations[i]
		for key, v := range d.Settings {
			d.Settings[key] = expandValue(v, fmt.Sprintf("destinations[%d].settings.%s", i, key), &errs)
		}
	}
	return errors.Join(errs...)
}

func expandValue(v any, path string, errs *[]error) any {
	switch x := v.(type) {
	case string:
		return expand(x, path, errs)
	case map[string]any:
		for k, c := range x {
			x[k] = expandValue(c, path+"."+k, errs)
		}
	case []any:
		for i, c := range x {
			x[i] = expandValue(c, fmt.Sprintf("%s[%d]", path, i), errs)
		}
	}
	return v
}

func expand(s, path string, errs *[]error) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return secretRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := secretRef.FindStringSubmatch(ref)
		if m[1] == "env" {
			v, ok := os.LookupEnv(m[2])
			if !ok {
				*errs = append(*errs, fmt.Errorf("config: %s: environment variable %s is not set", path, m[2]))
			}
			return v
		}
		v, err := os.ReadFile(m[2])
		if err != nil {
			*errs = append(*errs, fmt.Errorf("config: %s: reading secret file %s: %v", path, m[2], errorsOnly(err)))
		}
		return strings.TrimRight(string(v), "\r\n")
	})
}

// errorsOnly strips the path os errors repeat, leaving the reason.
func errorsOnly(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
