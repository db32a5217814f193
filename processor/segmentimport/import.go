package segmentimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/workspace"
)

// Options configure an import.
type Options struct {
	// Definitions is the catalog searched by Segment slug (destinations.All()).
	Definitions []*destkit.Definition
	// Lookup resolves an instance type when compiling (destinations.Get).
	Lookup workspace.Lookup
	// ID is the instance id of the destination; only with one destination.
	ID string
	// Source is the Actuate source the instances are connected to; default Segment's
	// sourceId.
	Source string
	// Topic is the events topic of a source the import creates; default "events".
	Topic string
}

// Result is what an import produces: the objects to write or apply, and the report.
type Result struct {
	// Sources are the sources the instances are connected to, each with Options.Topic; a
	// caller applying to a workspace that already has one leaves it out.
	Sources      []config.Source
	Destinations []config.Destination
	Report       Report
}

// Import converts the inputs. It returns an error only for inputs it cannot pair up;
// everything else that cannot be imported is in the report.
func Import(in Input, opts Options) (*Result, error) {
	if opts.ID != "" && len(in.Destinations) > 1 {
		return nil, errors.New("--id names one destination; this run has several (leave it out: ids come from the names)")
	}
	if opts.Topic == "" {
		opts.Topic = "events"
	}
	subs, filters, err := in.assign()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	ids := map[string]bool{}
	envs := map[string]bool{}
	sources := map[string]bool{}
	for _, d := range in.Destinations {
		imp := importer{opts: opts, seg: d, subs: subs[d.ID], filters: filters[d.ID], usedEnv: envs}
		dest, rep := imp.run(ids)
		res.Report.Destinations = append(res.Report.Destinations, rep)
		if dest == nil {
			continue
		}
		res.Destinations = append(res.Destinations, *dest)
		for _, s := range dest.Sources {
			if !sources[s] {
				sources[s] = true
				res.Sources = append(res.Sources, config.Source{ID: s, Topics: []string{opts.Topic}})
			}
		}
		res.Report.Env = append(res.Report.Env, imp.env...)
	}
	for _, s := range res.Sources {
		res.Report.Sources = append(res.Report.Sources, SourceReport{ID: s.ID, Topic: opts.Topic})
	}
	return res, nil
}

type importer struct {
	opts    Options
	seg     Destination
	subs    []Subscription
	filters []Filter
	def     *destkit.Definition
	id      string
	usedEnv map[string]bool
	env     []string
	// secrets holds a stand-in value for each ${env:…} reference, for compiling.
	secrets map[string]string
}

// placeholder stands in for a secret while the instance is compiled: the value itself
// is only known where the reference is resolved.
const placeholder = "actuate-import-placeholder"

func (im *importer) run(ids map[string]bool) (*config.Destination, DestinationReport) {
	d := im.seg
	rep := DestinationReport{Object: Object{SegmentID: d.ID, Name: d.Name}, SegmentSlug: d.Metadata.Slug}
	skipAll := func(reason string) (*config.Destination, DestinationReport) {
		rep.Reasons = append(rep.Reasons, reason)
		for _, s := range im.subs {
			rep.Mappings = append(rep.Mappings, Object{SegmentID: s.ID, Name: s.Name, Reasons: []string{"its destination is not imported"}})
		}
		for _, f := range im.filters {
			rep.Filters = append(rep.Filters, Object{SegmentID: f.ID, Name: f.Title, Reasons: []string{"its destination is not imported"}})
		}
		return nil, rep
	}
	for _, def := range im.opts.Definitions {
		if def.SegmentSlug != "" && def.SegmentSlug == d.Metadata.Slug {
			im.def = def
		}
	}
	if im.def == nil {
		if d.Metadata.Slug == "" {
			return skipAll("the destination has no metadata.slug: save the whole answer of Get Destination")
		}
		return skipAll(fmt.Sprintf("no destination of Actuate's catalog is Segment's %q (see `actuate destinations list`)", d.Metadata.Slug))
	}
	rep.Type = im.def.Slug
	im.id = im.opts.ID
	if im.id == "" {
		im.id = slugify(d.Name)
		if im.id == "" {
			im.id = im.def.Slug
		}
	}
	im.id = unique(im.id, ids)
	rep.ID = im.id
	source := im.opts.Source
	if source == "" {
		source = idOr(d.SourceID, d.SourceID, "")
	}
	if source == "" {
		return skipAll("the destination has no sourceId: give --source")
	}
	dest := &config.Destination{ID: im.id, Type: im.def.Slug, Sources: []string{source}, Enabled: d.Enabled}
	dest.Settings = im.settings(&rep)

	var mappingReps, filterReps []*Object
	mappingIDs := map[string]bool{}
	for _, s := range im.subs {
		o := &Object{SegmentID: s.ID, Name: s.Name}
		mappingReps = append(mappingReps, o)
		m, ok := im.mapping(s, o)
		if !ok {
			continue
		}
		m.ID = unique(idOr(s.ID, s.Name, "m"), mappingIDs)
		o.ID = m.ID
		dest.Mappings = append(dest.Mappings, m)
	}
	filterIDs := map[string]bool{}
	for _, f := range im.filters {
		o := &Object{SegmentID: f.ID, Name: f.Title}
		filterReps = append(filterReps, o)
		cf, ok := im.filter(f, o)
		if !ok {
			continue
		}
		cf.ID = unique(idOr(f.ID, f.Title, "f"), filterIDs)
		o.ID = cf.ID
		dest.Filters = append(dest.Filters, cf)
	}
	if problems := im.compile(dest, mappingReps, filterReps); problems != nil {
		rep.Reasons = append(rep.Reasons, problems...)
		for _, o := range append(mappingReps, filterReps...) {
			if o.Imported() {
				o.Reasons = append(o.Reasons, "its destination is not imported")
			}
		}
	}
	for _, o := range mappingReps {
		rep.Mappings = append(rep.Mappings, *o)
	}
	for _, o := range filterReps {
		rep.Filters = append(rep.Filters, *o)
	}
	if len(rep.Reasons) > 0 {
		rep.ID = ""
		return nil, rep
	}
	for name := range im.secrets {
		im.usedEnv[name] = true
	}
	return dest, rep
}

// settings converts the destination's settings: keys of the definition kept, secrets and
// masked values as ${env:NAME} references.
func (im *importer) settings(rep *DestinationReport) map[string]any {
	out := map[string]any{}
	im.secrets = map[string]string{}
	known := map[string]bool{}
	for _, f := range im.def.Settings {
		known[f.Key] = true
		raw, present := im.seg.Settings[f.Key]
		var v any
		if present {
			json.Unmarshal(raw, &v)
		}
		empty := v == nil || v == ""
		masked := isMasked(v)
		switch {
		case f.Secret && (!empty || f.Required), masked:
			name := im.envName(f.Key)
			out[f.Key] = "${env:" + name + "}"
			im.secrets[name] = placeholder
			im.env = append(im.env, name)
			why := "a secret, which Segment's API masks"
			if !f.Secret {
				why = "masked by Segment's API"
			}
			rep.Changes = append(rep.Changes, fmt.Sprintf("setting %s: ${env:%s} (%s); set %s to its value", f.Key, name, why, name))
		case !empty:
			out[f.Key] = v
		}
	}
	for _, k := range slices.Sorted(maps.Keys(im.seg.Settings)) {
		if !known[k] {
			rep.Changes = append(rep.Changes, fmt.Sprintf("setting %s dropped: %s has no such setting", k, im.def.Slug))
		}
	}
	if im.def.Auth.IsOAuth() {
		rep.Changes = append(rep.Changes, fmt.Sprintf("OAuth: Segment does not export tokens; authorize again and give settings.oauth (see `actuate destinations show %s`)", im.def.Slug))
	}
	return out
}

// isMasked recognises the Public API's masked secrets ("••••••••••dada").
func isMasked(v any) bool {
	s, ok := v.(string)
	return ok && (strings.Contains(s, "•") || strings.Count(s, "*") >= 4 && strings.Trim(s, "*") != s && strings.HasPrefix(s, "****"))
}

func (im *importer) envName(key string) string {
	base := envWord(im.id) + "_" + envWord(key)
	if base[0] >= '0' && base[0] <= '9' {
		base = "D" + base
	}
	name := base
	for n := 2; im.usedEnv[name] || im.secrets[name] != ""; n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	return name
}

// envWord writes an id or a camelCase key as UPPER_SNAKE: "apiKey" → "API_KEY".
func envWord(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToUpper(r))
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "_")
}

func (im *importer) mapping(s Subscription, o *Object) (config.Mapping, bool) {
	fail := func(format string, args ...any) (config.Mapping, bool) {
		o.Reasons = append(o.Reasons, fmt.Sprintf(format, args...))
		return config.Mapping{}, false
	}
	if s.ModelID != "" {
		return fail("a Reverse ETL subscription (model %s): Actuate routes event streams only", s.ModelID)
	}
	if im.def.Action(s.ActionSlug) == nil {
		return fail("%s has no action %q (Segment's browser plugins, which run in analytics.js, have no server-side counterpart)", im.def.Slug, s.ActionSlug)
	}
	trigger := s.Trigger
	if _, err := fql.Parse(trigger); err != nil {
		shipped, ok := im.rewrittenPreset(s.ActionSlug, trigger)
		if !ok {
			return fail("trigger %q does not parse here: %v", trigger, err)
		}
		o.Changes = append(o.Changes, fmt.Sprintf(`trigger %q rewritten %q, as Actuate's %s presets read it: Segment's parser takes the second "=" of "==" as the value, so on Segment this subscription never matched; here it will`, trigger, shipped, im.def.Slug))
		trigger = shipped
	}
	if reasons := Divergences(trigger); len(reasons) > 0 {
		return fail("trigger %q is read differently by Segment: %s", trigger, strings.Join(reasons, "; "))
	}
	mapping := bytes.TrimSpace(s.Settings)
	if len(mapping) == 0 || string(mapping) == "null" {
		mapping = []byte("{}")
	}
	return config.Mapping{Name: s.Name, Enabled: s.Enabled, Action: s.ActionSlug, Trigger: trigger, Mapping: config.JSONText(mapping)}, true
}

// rewrittenPreset recognises a trigger of one of Segment's presets that Actuate ships
// rewritten: with "==", which Actuate refuses, where the definition's preset or default
// subscription for the same action has "=". It returns the definition's trigger.
func (im *importer) rewrittenPreset(action, trigger string) (string, bool) {
	if !strings.Contains(trigger, "==") {
		return "", false
	}
	fixed := strings.ReplaceAll(trigger, "==", "=")
	candidates := []string{im.def.Action(action).DefaultSubscription}
	for _, p := range im.def.Presets {
		if p.Action == action {
			candidates = append(candidates, p.Trigger)
		}
	}
	for _, c := range candidates {
		if c != "" && c == fixed {
			return c, true
		}
	}
	return "", false
}

// filterTypes renames Segment's legacy filter action types.
var filterTypes = map[string]string{"whitelist_fields": "allow_properties", "blacklist_fields": "drop_properties", "blocklist_fields": "drop_properties"}

func (im *importer) filter(f Filter, o *Object) (config.Filter, bool) {
	out := config.Filter{Title: f.Title, Description: f.Description, If: f.If, Enabled: f.Enabled}
	if f.SourceID != "" && f.SourceID != im.seg.SourceID {
		o.Reasons = append(o.Reasons, fmt.Sprintf("it applies to source %s, which is not the destination's source %s", f.SourceID, im.seg.SourceID))
		return out, false
	}
	if strings.TrimSpace(f.If) == "all" {
		out.If = "true"
		o.Changes = append(o.Changes, `condition "all" written as "true" (every event)`)
	}
	for i, a := range f.Actions {
		ca := config.FilterAction{Type: a.Type, Percent: a.Percent, Path: a.Path}
		if renamed, ok := filterTypes[a.Type]; ok {
			ca.Type = renamed
			o.Changes = append(o.Changes, fmt.Sprintf("actions[%d]: %s renamed %s", i, a.Type, renamed))
		}
		for _, part := range slices.Sorted(maps.Keys(a.Fields)) {
			var list []string
			if json.Unmarshal(a.Fields[part], &list) != nil {
				var nested struct {
					Fields []string `json:"fields"`
				}
				if json.Unmarshal(a.Fields[part], &nested) != nil {
					o.Reasons = append(o.Reasons, fmt.Sprintf("actions[%d].fields.%s is neither a list of names nor {\"fields\": [names]}", i, part))
					return out, false
				}
				list = nested.Fields
			}
			if ca.Fields == nil {
				ca.Fields = map[string][]string{}
			}
			ca.Fields[part] = list
		}
		out.Actions = append(out.Actions, ca)
	}
	return out, true
}

var problemPath = regexp.MustCompile(`^destinations\[0\]\.(mappings|filters)\[(\d+)\]`)

// compile checks the instance with its source as workspace.Compile does, secrets standing
// in for their references. A problem in one mapping or filter drops that object (and the
// check runs again without it); any other problem is returned: the instance is not
// imported.
func (im *importer) compile(dest *config.Destination, mappingReps, filterReps []*Object) []string {
	// index i of dest.Mappings / dest.Filters → its report
	mIdx := imported(mappingReps)
	fIdx := imported(filterReps)
	for {
		trial := *dest
		trial.Settings = map[string]any{}
		for k, v := range dest.Settings {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "${env:") {
				v = placeholder
			}
			trial.Settings[k] = v
		}
		cfg := &config.Workspace{
			Sources:      []config.Source{{ID: dest.Sources[0], Topics: []string{im.opts.Topic}}},
			Destinations: []config.Destination{trial},
		}
		_, err := workspace.Compile(cfg, im.opts.Lookup)
		if err == nil {
			return nil
		}
		var problems workspace.Problems
		if !errors.As(err, &problems) {
			return []string{err.Error()}
		}
		dropM, dropF := map[int]bool{}, map[int]bool{}
		var rest []string
		for _, p := range problems {
			m := problemPath.FindStringSubmatch(p.Path)
			if m == nil {
				rest = append(rest, strings.TrimPrefix(strings.TrimPrefix(p.Path, "destinations[0]"), ".")+": "+p.Reason)
				continue
			}
			i, _ := strconv.Atoi(m[2])
			where := strings.TrimPrefix(strings.TrimPrefix(p.Path, m[0]), ".")
			reason := p.Reason
			if where != "" {
				reason = where + ": " + reason
			}
			if m[1] == "mappings" {
				dropM[i] = true
				mIdx[i].Reasons = append(mIdx[i].Reasons, reason)
			} else {
				dropF[i] = true
				fIdx[i].Reasons = append(fIdx[i].Reasons, reason)
			}
		}
		if len(rest) > 0 {
			return rest
		}
		dest.Mappings, mIdx = without(dest.Mappings, mIdx, dropM)
		dest.Filters, fIdx = without(dest.Filters, fIdx, dropF)
	}
}

func imported(reps []*Object) []*Object {
	var out []*Object
	for _, o := range reps {
		if o.Imported() {
			out = append(out, o)
		}
	}
	return out
}

func without[T any](items []T, reps []*Object, drop map[int]bool) ([]T, []*Object) {
	var keep []T
	var keepReps []*Object
	for i := range items {
		if !drop[i] {
			keep = append(keep, items[i])
			keepReps = append(keepReps, reps[i])
		}
	}
	return keep, keepReps
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$`)

// idOr returns id when it is a valid Actuate id, else the slug of name, else prefix.
func idOr(id, name, prefix string) string {
	if idPattern.MatchString(id) {
		return id
	}
	if s := slugify(name); s != "" {
		return s
	}
	return prefix
}

// slugify lower-cases s and makes each run of other characters than letters and digits
// one "-".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "-")
	}
	return out
}

// unique returns id, or id-2, id-3… when the run used it already, and records it.
func unique(id string, used map[string]bool) string {
	out := id
	for n := 2; used[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	used[out] = true
	return out
}
