package destinations

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/actuate/actuate/destinations/destkit"
)

// The catalog is what `actuate destinations list` and `show SLUG` print. The
// JSON shapes are a public contract for scripts: add keys, do not rename.

// DestinationView is the JSON form of one definition.
type DestinationView struct {
	Slug        string           `json:"slug"`
	SegmentSlug string           `json:"segment_slug,omitempty"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Auth        string           `json:"auth"`
	Settings    []destkit.Field  `json:"settings"`
	Actions     []ActionView     `json:"actions"`
	Presets     []destkit.Preset `json:"presets"`
	GDPRDelete  bool             `json:"gdpr_delete"`
	// Audience is the audience configuration of audience destinations.
	Audience *destkit.AudienceConfig `json:"audience,omitempty"`
}

// ActionView is the JSON form of one action.
type ActionView struct {
	Key                 string          `json:"key"`
	Title               string          `json:"title"`
	Description         string          `json:"description,omitempty"`
	DefaultSubscription string          `json:"default_subscription,omitempty"`
	Batch               *destkit.Batch  `json:"batch,omitempty"`
	Fields              []destkit.Field `json:"fields"`
	// Hooks run when a mapping is saved (control API: .../hooks/{hook}).
	Hooks []destkit.Hook `json:"hooks,omitempty"`
}

// SummaryView is one row of the catalog list.
type SummaryView struct {
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	Auth         string   `json:"auth"`
	Actions      []string `json:"actions"`
	BatchActions []string `json:"batch_actions"`
}

// View returns the full catalog entry of def.
func View(def *destkit.Definition) DestinationView {
	v := DestinationView{
		Slug: def.Slug, SegmentSlug: def.SegmentSlug, Name: def.Name, Description: def.Description,
		Auth: string(def.Auth), Settings: def.Settings, Presets: def.Presets, GDPRDelete: def.Delete != nil,
		Audience: def.Audience,
	}
	if v.Settings == nil {
		v.Settings = []destkit.Field{}
	}
	if v.Presets == nil {
		v.Presets = []destkit.Preset{}
	}
	for _, a := range def.Actions {
		v.Actions = append(v.Actions, ActionView{
			Key: a.Key, Title: a.Title, Description: a.Description,
			DefaultSubscription: a.DefaultSubscription, Batch: a.Batch, Fields: a.Fields, Hooks: a.Hooks,
		})
	}
	return v
}

// Summary returns the catalog list row of def.
func Summary(def *destkit.Definition) SummaryView {
	s := SummaryView{Slug: def.Slug, Name: def.Name, Auth: string(def.Auth), Actions: []string{}, BatchActions: []string{}}
	for _, a := range def.Actions {
		s.Actions = append(s.Actions, a.Key)
		if a.Batches() {
			s.BatchActions = append(s.BatchActions, a.Key)
		}
	}
	return s
}

// CatalogJSON returns the list of defs as an indented JSON array of
// summaries.
func CatalogJSON(defs []*destkit.Definition) ([]byte, error) {
	rows := make([]SummaryView, len(defs))
	for i, d := range defs {
		rows[i] = Summary(d)
	}
	return json.MarshalIndent(rows, "", "  ")
}

// DestinationJSON returns the full catalog entry of def as indented JSON.
// Settings appear as field specs only; no instance values are involved, so
// nothing secret can leak from here.
func DestinationJSON(def *destkit.Definition) ([]byte, error) {
	return json.MarshalIndent(View(def), "", "  ")
}

// WriteCatalogText writes one line per definition: slug, name, auth scheme
// and actions (batch-capable ones marked with *).
func WriteCatalogText(w io.Writer, defs []*destkit.Definition) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tNAME\tAUTH\tACTIONS (* = batch)")
	for _, d := range defs {
		names := make([]string, len(d.Actions))
		for i, a := range d.Actions {
			names[i] = a.Key
			if a.Batches() {
				names[i] += "*"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Slug, d.Name, d.Auth, strings.Join(names, ", "))
	}
	return tw.Flush()
}

// WriteDestinationText writes the full catalog entry of def for people:
// settings, then each action with its fields, then presets.
func WriteDestinationText(w io.Writer, def *destkit.Definition) error {
	ew := &errWriter{w: w}
	ew.printf("%s (%s)\n", def.Name, def.Slug)
	if def.Description != "" {
		ew.printf("%s\n", def.Description)
	}
	ew.printf("\nAuthentication: %s\n", def.Auth)
	if def.Delete != nil {
		ew.printf("User deletion: supported\n")
	}
	ew.printf("\nSettings:\n")
	if len(def.Settings) == 0 {
		ew.printf("  (none)\n")
	}
	for i := range def.Settings {
		writeField(ew, &def.Settings[i], "  ")
	}
	for _, a := range def.Actions {
		ew.printf("\nAction %s — %s\n", a.Key, a.Title)
		if a.Description != "" {
			ew.printf("  %s\n", a.Description)
		}
		if a.DefaultSubscription != "" {
			ew.printf("  Default trigger: %s\n", a.DefaultSubscription)
		}
		if a.Batch != nil {
			ew.printf("  Batches: up to %d events", a.Batch.MaxSize)
			if len(a.Batch.Keys) > 0 {
				ew.printf(", grouped by %s", strings.Join(a.Batch.Keys, ", "))
			}
			ew.printf("\n")
		}
		ew.printf("  Fields:\n")
		for i := range a.Fields {
			writeField(ew, &a.Fields[i], "    ")
		}
	}
	if len(def.Presets) > 0 {
		ew.printf("\nPresets:\n")
		for _, p := range def.Presets {
			ew.printf("  %s → %s when %s\n", p.Name, p.Action, p.Trigger)
		}
	}
	return ew.err
}

func writeField(ew *errWriter, f *destkit.Field, indent string) {
	var attrs []string
	typ := string(f.Type)
	if f.Multiple {
		typ += "[]"
	}
	attrs = append(attrs, typ)
	switch {
	case f.Required:
		attrs = append(attrs, "required")
	case f.RequiredIf != nil:
		attrs = append(attrs, "conditionally required")
	}
	if f.AllowNull {
		attrs = append(attrs, "nullable")
	}
	if f.Secret {
		attrs = append(attrs, "secret")
	}
	if len(f.Choices) > 0 {
		vals := make([]string, len(f.Choices))
		for i, c := range f.Choices {
			vals[i] = fmt.Sprint(c.Value)
		}
		attrs = append(attrs, "one of "+strings.Join(vals, "|"))
	}
	ew.printf("%s%s (%s)", indent, f.Key, strings.Join(attrs, ", "))
	if f.Description != "" {
		ew.printf(": %s", f.Description)
	}
	ew.printf("\n")
	if f.Default != "" {
		ew.printf("%s    default: %s\n", indent, f.Default)
	}
	for i := range f.Properties {
		writeField(ew, &f.Properties[i], indent+"    ")
	}
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
