package segmentimport

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report says, per object, what was imported, what was changed on the way and what could
// not be imported, with the reasons.
type Report struct {
	Destinations []DestinationReport `json:"destinations"`
	// Sources are the sources the imported instances are connected to.
	Sources []SourceReport `json:"sources,omitempty"`
	// Env lists the environment variables the written ${env:NAME} references name: set
	// them wherever the workspace is loaded (validate, serve, process, send).
	Env []string `json:"env,omitempty"`
	// Error is why nothing was written although objects were imported (Fail).
	Error string `json:"error,omitempty"`
}

// Object is the report on one Segment object: imported (with the changes made), or not
// (with the reasons).
type Object struct {
	SegmentID string `json:"segment_id,omitempty"`
	Name      string `json:"name,omitempty"`
	// ID is the Actuate id of what was written.
	ID      string   `json:"id,omitempty"`
	Changes []string `json:"changes,omitempty"`
	Reasons []string `json:"not_imported_because,omitempty"`
}

// Imported reports whether the object was imported.
func (o *Object) Imported() bool { return len(o.Reasons) == 0 }

// DestinationReport is the report on one destination and what it holds.
type DestinationReport struct {
	Object
	SegmentSlug string   `json:"segment_slug"`
	Type        string   `json:"type,omitempty"`
	Mappings    []Object `json:"subscriptions,omitempty"`
	Filters     []Object `json:"filters,omitempty"`
}

// SourceReport is a source the import connects instances to.
type SourceReport struct {
	ID    string `json:"id"`
	Topic string `json:"topic"`
	// Exists is set by callers that found it in the target workspace.
	Exists bool `json:"exists,omitempty"`
}

// Outcome sums up a run.
type Outcome int

const (
	All  Outcome = iota // every object was imported
	Some                // some were
	None                // none was
)

// each calls fn on every object of the report: destinations, subscriptions, filters.
func (r *Report) each(fn func(*Object)) {
	for i := range r.Destinations {
		d := &r.Destinations[i]
		fn(&d.Object)
		for j := range d.Mappings {
			fn(&d.Mappings[j])
		}
		for j := range d.Filters {
			fn(&d.Filters[j])
		}
	}
}

// Counts returns how many objects (destinations, subscriptions, filters) were imported
// of how many.
func (r *Report) Counts() (imported, total int) {
	r.each(func(o *Object) {
		total++
		if o.Imported() {
			imported++
		}
	})
	return imported, total
}

// Outcome says whether all, some or none of the objects were imported.
func (r *Report) Outcome() Outcome {
	imported, total := r.Counts()
	switch {
	case total > 0 && imported == total:
		return All
	case imported > 0:
		return Some
	}
	return None
}

// Fail records why nothing was written (an --apply the API refused) and marks every
// object not imported.
func (r *Report) Fail(reason string) {
	r.Error = reason
	r.each(func(o *Object) {
		if o.Imported() {
			o.Reasons = append(o.Reasons, "nothing was written (see below)")
		}
	})
	r.Env, r.Sources = nil, nil
}

// WriteText writes the report for a person.
func (r *Report) WriteText(w io.Writer) {
	for _, d := range r.Destinations {
		head := fmt.Sprintf("destination %q (%s, %s)", d.Name, d.SegmentID, d.SegmentSlug)
		if d.Imported() {
			fmt.Fprintf(w, "%s → %s (type %s): imported\n", head, d.ID, d.Type)
		} else {
			fmt.Fprintf(w, "%s: NOT imported\n", head)
		}
		writeObject(w, "  ", &d.Object, false)
		for _, m := range d.Mappings {
			writeObject(w, "  ", &m, true, "subscription")
		}
		for _, f := range d.Filters {
			writeObject(w, "  ", &f, true, "filter")
		}
	}
	for _, s := range r.Sources {
		if s.Exists {
			fmt.Fprintf(w, "source %s: exists in the workspace; connected to it\n", s.ID)
		} else {
			fmt.Fprintf(w, "source %s: created with topic %s (--topic); give --source to connect to another\n", s.ID, s.Topic)
		}
	}
	if len(r.Env) > 0 {
		env := append([]string(nil), r.Env...)
		sort.Strings(env)
		fmt.Fprintf(w, "secrets: set %s where the workspace is loaded (validate, serve, process, send)\n", strings.Join(env, ", "))
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", strings.ReplaceAll(r.Error, "\n", "; "))
	}
	imported, total := r.Counts()
	fmt.Fprintf(w, "%d of %d objects imported (destinations, subscriptions, filters)\n", imported, total)
}

func writeObject(w io.Writer, indent string, o *Object, head bool, kind ...string) {
	if head {
		name := fmt.Sprintf("%s %q (%s)", kind[0], o.Name, o.SegmentID)
		if o.Imported() {
			fmt.Fprintf(w, "%s%s → %s: imported\n", indent, name, o.ID)
		} else {
			fmt.Fprintf(w, "%s%s: NOT imported\n", indent, name)
		}
		indent += "  "
	}
	for _, c := range o.Changes {
		fmt.Fprintf(w, "%schanged: %s\n", indent, c)
	}
	for _, r := range o.Reasons {
		fmt.Fprintf(w, "%sbecause: %s\n", indent, r)
	}
}
