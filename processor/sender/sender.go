package sender

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/kgroup"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Defaults of Config.
const (
	DefaultGroup      = "actuate-sender"
	DefaultRetryTopic = schemas.TopicRetry
	DefaultDLQTopic   = schemas.TopicDLQ
)

// DefaultDeliveryTopics is the pattern of every delivery topic.
var DefaultDeliveryTopics = "^" + regexp.QuoteMeta(schemas.TopicDeliveryPrefix)

// Limiter enforces an instance's requests per second and concurrency; *ratelimit.Limiter
// is one.
type Limiter interface {
	Acquire(ctx context.Context, key string, lim ratelimit.Limit) (release func(), err error)
}

// Config configures a Sender. Brokers and Workspace are required.
type Config struct {
	Brokers []string
	// Group is the consumer group every sender of a deployment shares.
	Group string
	// Workspace returns the config in force. It is read for every request, so a change
	// (an instance disabled, new settings, a new rate) applies to the next attempt.
	Workspace func() *workspace.Workspace
	// Tokens holds OAuth tokens; use a tokens.Store to share them across processes.
	// Default: in memory.
	Tokens destkit.TokenStore
	// Limiter enforces Delivery.RequestsPerSecond and Delivery.Concurrency; use a
	// ratelimit.Limiter on Redis to share both across processes (each process also runs
	// at most Concurrency workers per instance). Default: limits local to this process.
	Limiter Limiter
	Metrics *metrics.Metrics
	Logger  *zap.Logger
	// HTTPClient sends the requests; default: a client with a pooled transport.
	HTTPClient *http.Client
	// DestOptions are extra destkit client options (timeouts; tests redirect hosts).
	DestOptions []destkit.Option
	// Order keeps which users have requests waiting in the retry topic, for per-user
	// ordering; use NewRedisOrderStore to share it across sender processes and restarts.
	// Default: in memory, right for one sender process only.
	Order OrderStore

	// DeliveryTopics is the regular expression of the delivery topics to consume.
	DeliveryTopics string
	RetryTopic     string
	DLQTopic       string
	// TopicPartitions is the partition count of the retry and dead-letter topics when
	// the sender has to create them; default 12.
	TopicPartitions int32

	Backoff Backoff
	// InlineRetryMax is the longest retry wait spent in-process; longer waits go
	// through the retry topic. Default 5s. Negative: every retry goes through the topic.
	InlineRetryMax time.Duration
	// CommitInterval is how often final offsets are committed; default 1s.
	CommitInterval time.Duration
	// MaxQueued is how many requests an instance may have waiting before its delivery
	// topics stop being fetched; default 5000.
	MaxQueued int
	// MaxDelayed is how many retry-topic records may wait for their time before the retry
	// topic stops being fetched; default 20000.
	MaxDelayed int
	// ConfigWait is how long a request naming an unknown instance or action waits for
	// this process to load the config it was rendered under (its config version differs
	// from the one in force) before it is dead-lettered; default 30s. Negative: no wait.
	ConfigWait time.Duration
	// Grace is how long requests in flight may finish when partitions are revoked or
	// the sender stops; default 10s.
	Grace time.Duration
	// ClientOptions are extra franz-go options (TLS, SASL, tuning).
	ClientOptions []kgo.Opt
}

// Sender is one `actuate send` process.
type Sender struct {
	cfg     Config
	log     *zap.Logger
	cl      *kgo.Client
	dest    *destkit.Client
	limiter Limiter
	own     *ratelimit.Limiter // the default limiter, closed with the sender
	order   OrderStore

	work       context.Context // requests in flight; ends after the shutdown grace
	stopWork   context.CancelFunc
	intake     context.Context // waiting to start a request; ends when shutdown begins
	stopIntake context.CancelFunc
	stopping   atomic.Bool

	mu       sync.Mutex
	parts    map[topicPartition]*partition
	lanes    map[string]*lane
	paused   map[string]bool
	workers  sync.WaitGroup
	commitMu sync.Mutex

	delay *delayQueue
	seqs  *retrySeqs
}

type topicPartition struct {
	topic string
	id    int32
}

// partition is this process's hold on one assigned partition.
type partition struct {
	topicPartition
	retry bool
	// revoked: start no new work for its records. dead: outcomes that arrive later are
	// not acted on (no dead letter, no retry record): the next owner will redo them.
	revoked, dead atomic.Bool
	inflight      atomic.Int64

	mu        sync.Mutex
	track     offsetTracker
	epoch     int32
	committed int64

	// Delivery partitions: the users held in the retry topic as far as this process
	// knows (retryorder.go), loaded from the OrderStore on first use.
	omu        sync.Mutex
	held       map[string]int
	heldLoaded bool
	heldFailed time.Time // the last failed load
}

// item is one action request on its way to an outcome.
type item struct {
	part     *partition
	offset   int64
	key      []byte
	raw      []byte // the record value, for dead letters of undecodable records
	req      *schemas.ActionRequest
	action   *destkit.Action
	attempts int32
	first    time.Time
	lastErr  string
	// active: counted in part.inflight. Only the goroutine that holds the item touches it.
	active bool

	// Set by lane.add: how the lane places it.
	ordered   bool // per-user order applies (order.go)
	batched   bool
	batchKey  string
	batchMax  int
	batchWait time.Duration
	// retryIn: the attempt failed and the lane is to hold it for a retry in process.
	retryIn time.Duration
	// holder: the lane that holds it as its user's head while it waits for a retry.
	holder  *lane
	lineKey string // its user's line in the lane
	// orderPart and orderID: a retry record that holds its user's place in the retry
	// topic, as pending id orderID of delivery partition orderPart (retryorder.go).
	orderPart, orderID string
}

// New validates cfg and builds the Kafka client; Run starts consuming.
func New(cfg Config) (*Sender, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("sender: no brokers")
	}
	if cfg.Workspace == nil {
		return nil, errors.New("sender: no workspace")
	}
	if cfg.Group == "" {
		cfg.Group = DefaultGroup
	}
	if cfg.DeliveryTopics == "" {
		cfg.DeliveryTopics = DefaultDeliveryTopics
	}
	if _, err := regexp.Compile(cfg.DeliveryTopics); err != nil {
		return nil, fmt.Errorf("sender: delivery topics pattern: %w", err)
	}
	if cfg.RetryTopic == "" {
		cfg.RetryTopic = DefaultRetryTopic
	}
	if cfg.DLQTopic == "" {
		cfg.DLQTopic = DefaultDLQTopic
	}
	if cfg.TopicPartitions <= 0 {
		cfg.TopicPartitions = schemas.DefaultPartitions
	}
	if cfg.InlineRetryMax == 0 {
		cfg.InlineRetryMax = 5 * time.Second
	}
	if cfg.CommitInterval <= 0 {
		cfg.CommitInterval = time.Second
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = 5000
	}
	if cfg.MaxDelayed <= 0 {
		cfg.MaxDelayed = 20000
	}
	if cfg.ConfigWait == 0 {
		cfg.ConfigWait = 30 * time.Second
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 10 * time.Second
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Tokens == nil {
		cfg.Tokens = destkit.NewMemoryTokenStore()
	}
	if cfg.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Every worker of an instance talks to the same host; the default of 2 idle
		// connections per host would reconnect on most requests.
		tr.MaxIdleConns = 1024
		tr.MaxIdleConnsPerHost = 128
		cfg.HTTPClient = &http.Client{Transport: tr}
	}
	s := &Sender{
		cfg: cfg, log: cfg.Logger, limiter: cfg.Limiter,
		parts: map[topicPartition]*partition{}, lanes: map[string]*lane{}, paused: map[string]bool{},
	}
	s.order = cfg.Order
	if s.order == nil {
		s.order = newMemoryOrder()
	}
	if s.limiter == nil {
		s.own = ratelimit.New(nil, ratelimit.Options{Logger: cfg.Logger})
		s.limiter = s.own
	}
	s.dest = destkit.NewClient(append([]destkit.Option{
		destkit.WithHTTPClient(cfg.HTTPClient), destkit.WithTokenStore(cfg.Tokens),
	}, cfg.DestOptions...)...)
	s.work, s.stopWork = context.WithCancel(context.Background())
	s.intake, s.stopIntake = context.WithCancel(s.work)
	s.delay = newDelayQueue(s.fire)
	s.seqs = newRetrySeqs()

	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.ConsumeRegex(),
		kgo.ConsumeTopics(cfg.DeliveryTopics, "^"+regexp.QuoteMeta(cfg.RetryTopic)+"$"),
		kgo.Balancers(kgo.CooperativeStickyBalancer()),
		kgo.DisableAutoCommit(),
		// Delivery topics are written in transactions; aborted requests must not go out.
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Their transaction markers are kept so that commits go past them (offsets.go):
		// Kafka's tools then show a lag of 0 once everything is delivered.
		kgo.KeepControlRecords(),
		kgo.OnPartitionsAssigned(s.assigned),
		kgo.OnPartitionsRevoked(func(ctx context.Context, _ *kgo.Client, m map[string][]int32) {
			s.release(ctx, m, true)
		}),
		kgo.OnPartitionsLost(func(ctx context.Context, _ *kgo.Client, m map[string][]int32) {
			s.release(ctx, m, false)
		}),
		// New instances get new delivery topics; find them within seconds, not the
		// default five minutes.
		kgo.MetadataMaxAge(10 * time.Second),
		// A resumed topic (backpressure) is only fetched once the fetch in flight returns,
		// and an empty fetch waits FetchMaxWait: at the default 5 s a busy instance sat idle
		// after every resume, and at 250 ms batched delivery still ran at half the speed it
		// reaches at 50 ms (bench/RESULTS.md, "Sender batching"). An idle sender pays
		// with 20 empty fetches a second.
		kgo.FetchMaxWait(50 * time.Millisecond),
		// Retry and dead-letter records keep the user key, and so the user's partition.
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
		kgo.AllowAutoTopicCreation(),
		kgo.WithLogger(kgroup.Logger(cfg.Logger)),
	}, cfg.ClientOptions...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	s.cl = cl
	return s, nil
}

// Run consumes until ctx ends, then stops: it abandons work not yet started, lets work in
// flight finish within the grace period, commits what became final, and leaves the group.
func (s *Sender) Run(ctx context.Context) error {
	s.ensureTopics(ctx)
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { defer bg.Done(); s.delay.run(s.work) }()
	go func() { defer bg.Done(); s.commitLoop(s.work) }()

	for {
		fetches := s.cl.PollRecords(ctx, 2000)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			break
		}
		fetches.EachError(func(topic string, p int32, err error) {
			s.log.Warn("fetch failed", zap.String("topic", topic), zap.Int32("partition", p), zap.Error(err))
		})
		fetches.EachRecord(s.dispatch)
	}

	s.stopping.Store(true)
	s.stopIntake()
	s.mu.Lock()
	all := map[string][]int32{}
	for tp := range s.parts {
		all[tp.topic] = append(all[tp.topic], tp.id)
	}
	s.mu.Unlock()
	// The context of Run is over; the final commit needs one of its own.
	final, cancel := context.WithTimeout(context.Background(), s.cfg.Grace+10*time.Second)
	defer cancel()
	s.release(final, all, true)

	s.mu.Lock()
	for _, l := range s.lanes {
		l.close()
	}
	s.mu.Unlock()
	s.stopWork()
	s.workers.Wait()
	bg.Wait()
	kgroup.CloseWithin(s.cl.Close, kgroup.LeaveTimeout, s.log)
	if s.own != nil {
		s.own.Close()
	}
	return nil
}

// ensureTopics creates the retry and dead-letter topics if missing, so the retry topic
// is consumed from the start rather than after the next metadata refresh that finds it.
func (s *Sender) ensureTopics(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	resp, err := kadm.NewClient(s.cl).CreateTopics(ctx, s.cfg.TopicPartitions, -1, nil, s.cfg.RetryTopic, s.cfg.DLQTopic)
	if err != nil {
		s.log.Warn("creating the retry and dead-letter topics", zap.Error(err))
		return
	}
	for _, r := range resp {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			s.log.Warn("creating topic", zap.String("topic", r.Topic), zap.Error(r.Err))
		}
	}
}

func (s *Sender) assigned(_ context.Context, _ *kgo.Client, m map[string][]int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for topic, ids := range m {
		for _, id := range ids {
			tp := topicPartition{topic, id}
			if _, ok := s.parts[tp]; !ok {
				s.parts[tp] = &partition{topicPartition: tp, retry: topic == s.cfg.RetryTopic, committed: -1}
			}
		}
	}
}

// release gives partitions up. With commit (revocation, shutdown) work in flight gets
// the grace period and what became final is committed; without (partitions lost) nothing
// is committed, since the group has moved on.
func (s *Sender) release(ctx context.Context, m map[string][]int32, commit bool) {
	var ps []*partition
	s.mu.Lock()
	for topic, ids := range m {
		for _, id := range ids {
			tp := topicPartition{topic, id}
			if p, ok := s.parts[tp]; ok {
				p.revoked.Store(true)
				ps = append(ps, p)
				delete(s.parts, tp)
			}
		}
	}
	s.mu.Unlock()
	if len(ps) == 0 {
		return
	}
	s.delay.drop(func(it *item) bool { return it.part.revoked.Load() })
	s.seqs.drop(func(it *item) bool { return it.part.revoked.Load() })
	for _, l := range s.allLanes() {
		l.dropRevoked()
	}
	if s.delayed() < s.cfg.MaxDelayed/2 {
		s.pause(s.cfg.RetryTopic, false)
	}
	if commit {
		deadline := time.Now().Add(s.cfg.Grace)
		for time.Now().Before(deadline) && ctx.Err() == nil && busy(ps) {
			time.Sleep(10 * time.Millisecond)
		}
		s.commit(ctx, ps)
	}
	for _, p := range ps {
		p.dead.Store(true)
	}
}

func busy(ps []*partition) bool {
	for _, p := range ps {
		if p.inflight.Load() > 0 {
			return true
		}
	}
	return false
}

func (s *Sender) commitLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.CommitInterval)
	defer t.Stop()
	lastReap := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if time.Since(lastReap) > idleLane/5 {
			lastReap = time.Now()
			s.reapLanes()
		}
		s.mu.Lock()
		ps := make([]*partition, 0, len(s.parts))
		for _, p := range s.parts {
			ps = append(ps, p)
		}
		s.mu.Unlock()
		s.commit(ctx, ps)
	}
}

// commit commits each partition's commit point if it moved. commitMu keeps the periodic
// commit and a revocation's commit from interleaving.
func (s *Sender) commit(ctx context.Context, ps []*partition) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	offsets := map[string]map[int32]kgo.EpochOffset{}
	byTP := map[topicPartition]*partition{}
	for _, p := range ps {
		if p.dead.Load() {
			continue
		}
		p.mu.Lock()
		off, ok := p.track.commitPoint()
		epoch := p.epoch
		moved := ok && off > p.committed
		p.mu.Unlock()
		if !moved {
			continue
		}
		if offsets[p.topic] == nil {
			offsets[p.topic] = map[int32]kgo.EpochOffset{}
		}
		offsets[p.topic][p.id] = kgo.EpochOffset{Epoch: epoch, Offset: off}
		byTP[p.topicPartition] = p
	}
	if len(offsets) == 0 {
		return
	}
	s.cl.CommitOffsetsSync(ctx, offsets, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				s.log.Warn("committing offsets", zap.Error(err))
			}
			return
		}
		for _, t := range resp.Topics {
			for _, rp := range t.Partitions {
				p := byTP[topicPartition{t.Topic, rp.Partition}]
				if p == nil {
					continue
				}
				if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
					s.log.Warn("committing offset", zap.String("topic", t.Topic), zap.Int32("partition", rp.Partition), zap.Error(err))
					continue
				}
				p.mu.Lock()
				p.committed = max(p.committed, offsets[t.Topic][rp.Partition].Offset)
				p.mu.Unlock()
			}
		}
	})
}

// dispatch takes one fetched record. It never blocks on a lane.
func (s *Sender) dispatch(r *kgo.Record) {
	s.mu.Lock()
	p := s.parts[topicPartition{r.Topic, r.Partition}]
	s.mu.Unlock()
	if p == nil || p.revoked.Load() {
		return // fetched before a revocation: the next owner has it
	}
	p.mu.Lock()
	p.epoch = r.LeaderEpoch
	if r.Attrs.IsControl() {
		// A transaction marker: nothing to deliver, but the commit point moves past it.
		p.track.pass(r.Offset)
		p.mu.Unlock()
		return
	}
	fresh := p.track.add(r.Offset)
	p.mu.Unlock()
	if !fresh {
		return
	}
	it := &item{part: p, offset: r.Offset, key: r.Key, raw: r.Value}
	req, err := schemas.DecodeActionRequest(r.Value)
	if err != nil {
		s.deadLetter(it, nil, schemas.StageDeliver, ReasonUndecodable, err.Error())
		return
	}
	it.req, it.attempts, it.first, it.lastErr = req, req.Attempt, req.FirstAttemptAt, req.LastError
	it.raw = nil // the payload is all a dead letter needs from here on
	if p.retry {
		it.orderPart, it.orderID = orderHeaders(r)
	}
	if it.orderID != "" {
		// It holds its user's place: it waits for the user's earlier retry records.
		if s.seqs.add(it) {
			s.delay.add(it, req.NotBefore)
		}
		if s.delayed() > s.cfg.MaxDelayed {
			s.pause(s.cfg.RetryTopic, true)
		}
		return
	}
	if p.retry && time.Until(req.NotBefore) > 0 {
		if s.delay.add(it, req.NotBefore); s.delayed() > s.cfg.MaxDelayed {
			s.pause(s.cfg.RetryTopic, true)
		}
		return
	}
	s.route(it)
}

// route sends an item to its instance's lane, or to the dead-letter topic when it cannot
// be delivered at all. It is called for fresh records, for retry records when due and
// for in-process retries.
func (s *Sender) route(it *item) {
	if it.part.revoked.Load() || s.stopping.Load() {
		if it.holder != nil {
			it.holder.unheld(it)
		}
		return // abandoned: not final, so not committed
	}
	if it.part.retry && s.delayed() < s.cfg.MaxDelayed/2 {
		s.pause(s.cfg.RetryTopic, false)
	}
	ws := s.cfg.Workspace()
	inst, action, stage, why := s.resolve(ws, it)
	if why != "" && s.configBehind(ws, it, why) {
		// The router rendered this under a config this process has not loaded yet (a
		// new instance or action); configs spread within seconds, so wait for it.
		s.log.Debug("waiting for a newer config", zap.String("instance", it.req.Instance), zap.String("action", it.req.Action),
			zap.Int64("request_config", it.req.ConfigVersion), zap.Int64("config", ws.Version))
		s.retryInline(it, time.Second)
		return
	}
	if why != "" {
		if it.holder != nil {
			it.holder.unheld(it) // the user's next requests go on
		}
		s.deadLetter(it, inst, stage, why, s.whyText(it, why))
		return
	}
	it.action = action
	// A lane closed as idle between the lookup and the add is replaced by a fresh one.
	for !s.lane(inst.ID).add(it, inst) {
		if s.stopping.Load() {
			return
		}
	}
}

// reapLanes closes lanes idle for idleLane. Called from the commit loop.
func (s *Sender) reapLanes() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, l := range s.lanes {
		if l.closeIfIdle(idleLane) {
			delete(s.lanes, id)
		}
	}
}

// idleLane is how long an instance's lane outlives its last request.
const idleLane = 5 * time.Minute

// configBehind reports whether an item that cannot be resolved may just be ahead of this
// process's config: it names something unknown, was rendered under another config
// version, and is younger than ConfigWait.
func (s *Sender) configBehind(ws *workspace.Workspace, it *item, why string) bool {
	if why != ReasonUnknownInstance && why != ReasonUnknownAction {
		return false
	}
	if ws == nil || it.req.ConfigVersion == ws.Version {
		return false
	}
	return time.Since(it.req.ReceivedAt) < s.cfg.ConfigWait
}

// Reasons of dead letters the sender decides itself rather than from a destination's
// answer, as dead letters and metrics carry them.
const (
	ReasonUnknownInstance  = "unknown destination instance"
	ReasonInstanceDisabled = "destination instance disabled"
	ReasonInvalidSettings  = "destination instance has invalid settings"
	ReasonUnknownAction    = "unknown action"
	ReasonMaxAge           = "max age exceeded"
	// ReasonUndecodable: the delivery or retry record is not an action request.
	ReasonUndecodable = "undecodable action request"
	// ReasonRetryEncoding: the request could not be written as a retry record.
	ReasonRetryEncoding = "encoding the retry record failed"
)

// resolve finds what an item is to be sent with, or why it cannot be sent.
func (s *Sender) resolve(ws *workspace.Workspace, it *item) (*workspace.Instance, *destkit.Action, schemas.Stage, string) {
	var inst *workspace.Instance
	if ws != nil {
		inst = ws.Instance(it.req.Instance)
	}
	switch {
	case inst == nil:
		return nil, nil, schemas.StageDeliver, ReasonUnknownInstance
	case !inst.Enabled:
		return inst, nil, schemas.StageDeliver, ReasonInstanceDisabled
	case inst.Dest == nil:
		return inst, nil, schemas.StageDeliver, ReasonInvalidSettings
	}
	a := inst.Definition.Action(it.req.Action)
	if a == nil {
		return inst, nil, schemas.StageDeliver, ReasonUnknownAction
	}
	if s.expired(it, inst, time.Now()) {
		return inst, a, schemas.StageExpire, ReasonMaxAge
	}
	return inst, a, "", ""
}

func maxAge(inst *workspace.Instance) time.Duration {
	if inst != nil && inst.Delivery.MaxAge > 0 {
		return inst.Delivery.MaxAge
	}
	return workspace.DefaultMaxAge
}

func (s *Sender) expired(it *item, inst *workspace.Instance, at time.Time) bool {
	return at.After(it.req.ReceivedAt.Add(maxAge(inst)))
}

// whyText is the error text of a dead letter decided before any attempt.
func (s *Sender) whyText(it *item, why string) string {
	switch why {
	case ReasonUnknownInstance:
		return fmt.Sprintf("no destination instance %q in the workspace config in force", it.req.Instance)
	case ReasonInstanceDisabled:
		return fmt.Sprintf("destination instance %q is disabled", it.req.Instance)
	case ReasonUnknownAction:
		return fmt.Sprintf("destination instance %q has no action %q", it.req.Instance, it.req.Action)
	case ReasonMaxAge:
		msg := fmt.Sprintf("received at %s, older than the instance's max age", it.req.ReceivedAt.UTC().Format(time.RFC3339))
		if it.lastErr != "" {
			msg += "; last error: " + it.lastErr
		}
		return msg
	}
	return why
}

func (s *Sender) allLanes() []*lane {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*lane, 0, len(s.lanes))
	for _, l := range s.lanes {
		out = append(out, l)
	}
	return out
}

func (s *Sender) lane(id string) *lane {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lanes[id]
	if l == nil {
		l = newLane(s, id)
		s.lanes[id] = l
	}
	return l
}

// pause stops or resumes fetching a topic, for backpressure.
func (s *Sender) pause(topic string, on bool) {
	s.mu.Lock()
	if s.paused[topic] == on {
		s.mu.Unlock()
		return
	}
	s.paused[topic] = on
	s.mu.Unlock()
	if on {
		s.cl.PauseFetchTopics(topic)
		s.log.Info("pausing a topic until its queue drains", zap.String("topic", topic))
	} else {
		s.cl.ResumeFetchTopics(topic)
	}
}

// acquire counts an item as in flight for its partition's grace period.
func (it *item) acquire() {
	if !it.active {
		it.active = true
		it.part.inflight.Add(1)
	}
}

// unhold stops counting it; the item is final, abandoned or waiting for a retry.
func (it *item) unhold() {
	if it.active {
		it.active = false
		it.part.inflight.Add(-1)
	}
}

// final records an item's outcome as final. A retry record holding its user's place
// releases it first: a crash in between leaves the record uncommitted but no longer
// pending, so its redelivered copy is skipped. Then the user's next record may go.
func (s *Sender) final(it *item) {
	if it.orderID != "" {
		s.orderDone(it)
	}
	it.part.mu.Lock()
	it.part.track.done(it.offset)
	it.part.mu.Unlock()
	it.unhold()
	if it.orderID != "" {
		if next := s.seqs.next(it); next != nil {
			s.delay.add(next, next.req.NotBefore)
		}
	}
}

func jitter() float64 { return rand.Float64() }
