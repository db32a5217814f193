// Package workspace turns a workspace config into its runnable form: every trigger,
// filter and mapping compiled, every instance's settings checked against its
// destination's definition. Compiling is validating: `actuate validate`, the control API
// and the pipeline all go through Compile, so they agree on what is valid.
package workspace

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/actuate/actuate/processor/protocols"
	"github.com/actuate/actuate/schemas"
)

// Delivery defaults, from Segment's published retry window and request timeout.
const (
	DefaultMaxAge      = 4 * time.Hour
	DefaultConcurrency = 8
	DefaultBatchWait   = 500 * time.Millisecond
)

// Workspace is a compiled config. It is immutable: a config change compiles a new one,
// and each event is processed under exactly one, so no event sees half an update.
type Workspace struct {
	Config    *config.Workspace
	Version   int64
	Sources   []*Source
	Instances []*Instance
	// DataModels are the tables events are enriched from, in config order.
	DataModels []*DataModel
	// Profiles is whether per-user state is kept (profiles: {enabled: true}).
	Profiles bool

	byTopic    map[string][]*Source
	byWriteKey map[string]*Source
	byInstance map[string]*Instance
}

// Source is a compiled source with the enabled instances connected to it, in config order.
type Source struct {
	ID       string
	WriteKey string
	Topics   []string
	Plan     *protocols.Plan // nil without a tracking plan
	// writeKeySum is the SHA-256 of WriteKey, for AuthenticateWriteKey.
	writeKeySum [32]byte
	Instances   []*Instance
	// DataModels are the workspace's data models: every source's events are enriched.
	DataModels []*DataModel
	// Profiles: every source's events update and carry their user's profile.
	Profiles bool
}

// Instance is a compiled destination instance.
type Instance struct {
	ID string
	// Topic is the instance's delivery topic, DeliveryTopic(ID), kept so the per-request
	// path does not build the name again.
	Topic      string
	Enabled    bool
	Definition *destkit.Definition
	Dest       *destkit.Instance // validated settings; prints secrets redacted
	Filters    []*filter.Filter  // enabled filters, in order
	Mappings   []*Mapping        // enabled mappings, in order: what the pipeline runs
	// AllMappings holds every valid mapping, disabled ones too, in order: the Event Tester
	// tries a mapping before it is enabled.
	AllMappings []*Mapping
	Delivery    Delivery
	// IntegrationNames are the names an event's integrations object may give the
	// instance: the destination's catalog name, its classic name without "(Actions)",
	// and the instance's id.
	IntegrationNames []string
	// ConsentCategories must all be granted by an event that carries consent.
	ConsentCategories []string

	// mappingSecrets are the secret literals of the instance's mappings
	// (destkit.MappingSecrets), masked with its settings' secrets.
	mappingSecrets []string
	masker         atomic.Pointer[destkit.Masker] // Masker's, built on first use
}

// Mapping is a compiled subscription.
type Mapping struct {
	ID      string
	Name    string
	Enabled bool
	Trigger *fql.Expr
	Mapping *mapping.Mapping
	Action  *destkit.Action
}

// Secrets are the instance's secret values: its secret settings, its OAuth credentials
// and the secret literals of its mappings.
func (i *Instance) Secrets() []string {
	return append(destkit.InstanceSecrets(i.Dest), i.mappingSecrets...)
}

// Masker masks the instance's secrets (Secrets) in text: what the Event Tester, the
// Delivery Overview, dead letters and the control API show passes through it.
func (i *Instance) Masker() *destkit.Masker {
	if i == nil {
		return destkit.NewMasker()
	}
	// An instance never changes (a config change compiles a new one), so its masker is
	// built once, on first use: the Delivery Overview masks every sample it keeps.
	if m := i.masker.Load(); m != nil {
		return m
	}
	m := destkit.NewMasker(i.Secrets()...)
	i.masker.Store(m)
	return m
}

// Delivery is how senders deliver to an instance.
type Delivery struct {
	RequestsPerSecond float64 // 0: unlimited
	Concurrency       int
	BatchSize         int // 0: the action's maximum
	BatchWait         time.Duration
	MaxAge            time.Duration
	// Unordered is delivery.ordering: none: a user's requests may overtake one another
	// when one is retried. Off by default (per_user).
	Unordered bool
}

// Delivery.ordering values.
const (
	OrderingPerUser = "per_user"
	OrderingNone    = "none"
)

// SourcesForTopic returns the sources that read topic.
func (w *Workspace) SourcesForTopic(topic string) []*Source { return w.byTopic[topic] }

// SourceForWriteKey returns the source with the write key, or nil.
func (w *Workspace) SourceForWriteKey(key string) *Source { return w.byWriteKey[key] }

// AuthenticateWriteKey returns the source whose write key a client presented, or nil. It
// compares with every source's key in constant time, so the time an answer takes says
// nothing about how much of a guessed key was right; SourceForWriteKey is for keys that
// are not credentials (a record's header).
func (w *Workspace) AuthenticateWriteKey(key string) *Source {
	if key == "" {
		return nil
	}
	given := sha256.Sum256([]byte(key))
	var found *Source
	for _, src := range w.Sources {
		if src.WriteKey != "" && subtle.ConstantTimeCompare(given[:], src.writeKeySum[:]) == 1 {
			found = src
		}
	}
	return found
}

// Instance returns the instance with the id, or nil.
func (w *Workspace) Instance(id string) *Instance { return w.byInstance[id] }

// Topics returns every events topic of the workspace, each once.
func (w *Workspace) Topics() []string {
	topics := make([]string, 0, len(w.byTopic))
	for _, s := range w.Sources {
		for _, t := range s.Topics {
			if !contains(topics, t) {
				topics = append(topics, t)
			}
		}
	}
	return topics
}

// DeliveryTopic is the topic that holds an instance's action requests.
func DeliveryTopic(instanceID string) string { return schemas.DeliveryTopic(instanceID) }

// Problem is one reason a config is invalid, with the path of the offending value.
type Problem struct {
	Path   string
	Reason string
}

// Problems lists everything wrong with a config.
type Problems []Problem

func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, pr := range p {
		lines[i] = pr.Path + ": " + pr.Reason
	}
	return strings.Join(lines, "\n")
}

// Lookup finds a destination definition by type.
type Lookup func(slug string) (*destkit.Definition, bool)

// Compile checks cfg and compiles it. The error, when not nil, is Problems with every
// problem found.
func Compile(cfg *config.Workspace, lookup Lookup) (*Workspace, error) {
	c := compiler{lookup: lookup}
	w := c.compile(cfg)
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	return w, nil
}

type compiler struct {
	lookup   Lookup
	problems Problems
}

func (c *compiler) fail(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// Topic and id names end up in Kafka topic names and metric labels.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$`)

func (c *compiler) checkID(path, id string, seen map[string]bool) {
	switch {
	case id == "":
		c.fail(path, "is required")
	case !idPattern.MatchString(id):
		c.fail(path, "%q may hold only letters, digits, '.', '_' and '-', starting with a letter or digit", id)
	case seen[id]:
		c.fail(path, "%q is used twice", id)
	}
	seen[id] = true
}

func (c *compiler) compile(cfg *config.Workspace) *Workspace {
	w := &Workspace{
		Config: cfg, Version: cfg.Version,
		byTopic: map[string][]*Source{}, byWriteKey: map[string]*Source{}, byInstance: map[string]*Instance{},
	}
	plans := c.compilePlans(cfg.TrackingPlans)
	w.DataModels = c.compileDataModels(cfg.DataModels)
	w.Profiles = cfg.Profiles != nil && cfg.Profiles.Enabled
	sourceIDs := map[string]bool{}
	for i := range cfg.Sources {
		sc := &cfg.Sources[i]
		path := fmt.Sprintf("sources[%d]", i)
		c.checkID(path+".id", sc.ID, sourceIDs)
		s := &Source{ID: sc.ID, WriteKey: sc.WriteKey, Topics: sc.Topics, DataModels: w.DataModels, Profiles: w.Profiles}
		if len(sc.Topics) == 0 {
			c.fail(path+".topics", "a source needs at least one topic")
		}
		for j, t := range sc.Topics {
			if !idPattern.MatchString(t) {
				c.fail(fmt.Sprintf("%s.topics[%d]", path, j), "%q is not a valid Kafka topic name", t)
			}
		}
		if sc.WriteKey != "" {
			s.writeKeySum = sha256.Sum256([]byte(sc.WriteKey))
			if other, dup := w.byWriteKey[sc.WriteKey]; dup {
				c.fail(path+".write_key", "is also the write key of source %q", other.ID)
			}
			w.byWriteKey[sc.WriteKey] = s
		}
		if sc.TrackingPlan != "" {
			plan, ok := plans[sc.TrackingPlan]
			if !ok {
				c.fail(path+".tracking_plan", "no tracking plan has the id %q", sc.TrackingPlan)
			}
			s.Plan = plan
		}
		w.Sources = append(w.Sources, s)
		for _, t := range sc.Topics {
			w.byTopic[t] = append(w.byTopic[t], s)
		}
	}
	instanceIDs := map[string]bool{}
	for i := range cfg.Destinations {
		inst := c.compileInstance(&cfg.Destinations[i], fmt.Sprintf("destinations[%d]", i), instanceIDs)
		if inst == nil {
			continue
		}
		w.Instances = append(w.Instances, inst)
		w.byInstance[inst.ID] = inst
		for j, sid := range cfg.Destinations[i].Sources {
			src := w.source(sid)
			if src == nil {
				c.fail(fmt.Sprintf("destinations[%d].sources[%d]", i, j), "no source has the id %q", sid)
				continue
			}
			if inst.Enabled {
				src.Instances = append(src.Instances, inst)
			}
		}
	}
	c.checkEnrichments(cfg)
	c.checkProfilePaths(cfg)
	return w
}

func (w *Workspace) source(id string) *Source {
	for _, s := range w.Sources {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func (c *compiler) compilePlans(cfgs []config.TrackingPlan) map[string]*protocols.Plan {
	plans := map[string]*protocols.Plan{}
	seen := map[string]bool{}
	for i := range cfgs {
		path := fmt.Sprintf("tracking_plans[%d]", i)
		c.checkID(path+".id", cfgs[i].ID, seen)
		plan, err := protocols.Compile(&cfgs[i])
		if err != nil {
			c.addNested(path, err)
			continue
		}
		plans[cfgs[i].ID] = plan
	}
	return plans
}

// addNested records err under path, one problem per problem err lists.
func (c *compiler) addNested(path string, err error) {
	var pp *protocols.CompileError
	if errors.As(err, &pp) {
		for _, p := range pp.Problems {
			c.fail(path+"."+p.Path, "%s", p.Reason)
		}
		return
	}
	c.fail(path, "%v", err)
}

func (c *compiler) compileInstance(dc *config.Destination, path string, seen map[string]bool) *Instance {
	c.checkID(path+".id", dc.ID, seen)
	def, ok := c.lookup(dc.Type)
	if !ok {
		if dc.Type == "" {
			c.fail(path+".type", "is required")
		} else {
			c.fail(path+".type", "unknown destination %q (see `actuate destinations list`)", dc.Type)
		}
		return nil
	}
	inst := &Instance{ID: dc.ID, Topic: DeliveryTopic(dc.ID), Enabled: dc.Enabled, Definition: def}
	dest, err := destkit.NewInstance(dc.ID, def, dc.Settings)
	if err != nil {
		// The kit names settings by key; its messages never quote values.
		c.fail(path+".settings", "%v", err)
	}
	inst.Dest = dest
	if len(dc.Filters) > config.MaxFiltersPerInstance {
		c.fail(path+".filters", "%d filters; an instance may have at most %d", len(dc.Filters), config.MaxFiltersPerInstance)
	}
	for j := range dc.Filters {
		if sid := dc.Filters[j].SourceID; sid != "" && !contains(dc.Sources, sid) {
			c.fail(fmt.Sprintf("%s.filters[%d].source_id", path, j), "%q is not one of this instance's sources", sid)
		}
		f, problems := filter.Compile(&dc.Filters[j], j)
		for _, p := range problems {
			c.fail(fmt.Sprintf("%s.filters[%d].%s", path, j, p.Path), "%s", p.Reason)
		}
		if f != nil && dc.Filters[j].IsEnabled() {
			inst.Filters = append(inst.Filters, f)
		}
	}
	if len(dc.Mappings) > config.MaxMappingsPerInstance {
		c.fail(path+".mappings", "%d mappings; an instance may have at most %d", len(dc.Mappings), config.MaxMappingsPerInstance)
	}
	mappingIDs := map[string]bool{}
	for j := range dc.Mappings {
		mpath := fmt.Sprintf("%s.mappings[%d]", path, j)
		c.checkID(mpath+".id", dc.Mappings[j].ID, mappingIDs)
		if m := c.compileMapping(&dc.Mappings[j], mpath, def); m != nil {
			inst.mappingSecrets = append(inst.mappingSecrets, destkit.MappingSecrets(m.Action, dc.Mappings[j].Mapping)...)
			inst.AllMappings = append(inst.AllMappings, m)
			if m.Enabled {
				inst.Mappings = append(inst.Mappings, m)
			}
		}
	}
	inst.Delivery = c.delivery(&dc.Delivery, path+".delivery")
	inst.IntegrationNames = integrationNames(def.Name, dc.ID)
	for j, cat := range dc.ConsentCategories {
		if strings.TrimSpace(cat) == "" {
			c.fail(fmt.Sprintf("%s.consent_categories[%d]", path, j), "is empty")
		}
	}
	inst.ConsentCategories = dc.ConsentCategories
	return inst
}

func (c *compiler) compileMapping(mc *config.Mapping, path string, def *destkit.Definition) *Mapping {
	m := &Mapping{ID: mc.ID, Name: mc.Name, Enabled: mc.Enabled}
	ok := true
	if m.Action = def.Action(mc.Action); m.Action == nil {
		c.fail(path+".action", "destination %q has no action %q", def.Slug, mc.Action)
		ok = false
	}
	if mc.Trigger == "" {
		c.fail(path+".trigger", "is required")
		ok = false
	} else if t, err := fql.Parse(mc.Trigger); err != nil {
		c.fail(path+".trigger", "%v", err)
		ok = false
	} else {
		m.Trigger = t
	}
	if len(mc.Mapping) == 0 {
		c.fail(path+".mapping", "is required")
		return nil
	}
	compiled, err := mapping.Compile(mc.Mapping)
	var ve *mapping.ValidationError
	switch {
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			c.fail(path+".mapping"+fe.Pointer, "%s", fe.Message)
		}
		ok = false
	case err != nil:
		c.fail(path+".mapping", "%v", err)
		ok = false
	}
	if !ok {
		return nil
	}
	m.Mapping = compiled
	return m
}

func (c *compiler) delivery(dc *config.Delivery, path string) Delivery {
	d := Delivery{RequestsPerSecond: dc.RequestsPerSecond, Concurrency: dc.Concurrency, BatchSize: dc.BatchSize,
		BatchWait: DefaultBatchWait, MaxAge: DefaultMaxAge}
	if d.Concurrency == 0 {
		d.Concurrency = DefaultConcurrency
	}
	if dc.RequestsPerSecond < 0 {
		c.fail(path+".requests_per_second", "must not be negative")
	}
	if dc.Concurrency < 0 || dc.BatchSize < 0 {
		c.fail(path, "concurrency and batch_size must not be negative")
	}
	d.BatchWait = c.duration(dc.BatchWait, path+".batch_wait", d.BatchWait)
	d.MaxAge = c.duration(dc.MaxAge, path+".max_age", d.MaxAge)
	switch dc.Ordering {
	case "", OrderingPerUser:
	case OrderingNone:
		d.Unordered = true
	default:
		c.fail(path+".ordering", "%q is not an ordering: use %q (the default) or %q", dc.Ordering, OrderingPerUser, OrderingNone)
	}
	return d
}

func (c *compiler) duration(s, path string, def time.Duration) time.Duration {
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		c.fail(path, "%q is not a positive duration such as 500ms or 4h", s)
		return def
	}
	return d
}

// integrationNames lists the names Segment's integrations object may use for a destination
// named name ("Mixpanel (Actions)", "Actions Amplitude", "Braze Cloud Mode (Actions)"): the
// name itself and the classic destination's name ("Mixpanel", "Amplitude", "Braze"), then
// the instance's own id, so one of two instances of a destination can be addressed.
func integrationNames(name, id string) []string {
	names := []string{name}
	classic := strings.TrimSuffix(name, " (Actions)")
	classic = strings.TrimPrefix(classic, "Actions ")
	classic = strings.TrimSuffix(classic, " Cloud Mode")
	if classic != name && classic != "" {
		names = append(names, classic)
	}
	if !contains(names, id) {
		names = append(names, id)
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
