// Package router is the processor: it consumes events topics in the consumer group
// "actuate-processor" and, per partition and in order, applies Protocols, destination
// filters and triggers, renders and validates mappings, and produces the resulting action
// requests to per-instance delivery topics — in one Kafka transaction with the consumed
// offsets, so each (event, mapping) lands in its delivery topic exactly once.
package router

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/kgroup"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/route"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Defaults of Config.
const (
	DefaultGroup            = "actuate-processor"
	DefaultDLQTopic         = schemas.TopicDLQ
	DefaultSamplesTopic     = schemas.TopicSamples
	DefaultSamplesPerMinute = 10
)

// samplesRetention is the Delivery Overview's longest range; older samples are never shown.
const samplesRetention = 7 * 24 * time.Hour

// Config configures a Router.
type Config struct {
	Brokers []string
	// Group is the consumer group; every processor of a deployment shares it.
	Group string
	// TransactionalID must be unique per live process. Give each process a stable one
	// (a StatefulSet pod name, say) so a restart fences its predecessor's open
	// transaction at once; the default derives a fresh one from the host name and pid.
	TransactionalID string
	// Workspace returns the config in force. It is read once per transaction, so a change
	// applies between transactions and never to half of one.
	Workspace func() *workspace.Workspace
	DLQTopic  string
	// SamplesTopic receives samples of events discarded without a dead letter (filtered,
	// no matching mapping) for the Delivery Overview.
	SamplesTopic string
	// SamplesPerMinute bounds the samples of one (instance, reason) per minute and worker;
	// default DefaultSamplesPerMinute, negative for none.
	SamplesPerMinute int
	Limits           event.Limits
	Metrics          *metrics.Metrics
	Logger           *zap.Logger
	// Workers is how many partitions are routed at once; default GOMAXPROCS.
	Workers int
	// TopicPartitions is the partition count of topics the router creates (delivery
	// topics, the dead-letter topic); default 12.
	TopicPartitions int32
	// CommitInterval is the longest a transaction takes in records that arrive after its
	// first poll (below it, the linger follows the commits' cost: linger.go); default
	// DefaultCommitInterval.
	CommitInterval time.Duration
	// ClientOptions are extra franz-go options (TLS, SASL, test tuning).
	ClientOptions []kgo.Opt
	// Rows are the data model rows events are enriched with (processor/datamodel); nil
	// without data models.
	Rows route.Rows
	// Suppression holds the users privacy regulations suppress (processor/regulation);
	// their events are filtered with stage suppressed. Nil suppresses none.
	Suppression route.Suppression
	// Profiles keeps the profiles of the partitions this process routes, when the
	// workspace turns profiles on; nil: a new one in memory (Router.Profiles returns it).
	Profiles *profile.State
	// ProfilesChangelog and ProfilesRepartition name the profiles' topics; default
	// schemas.TopicProfilesChangelog and schemas.TopicProfilesRepartition (tests on a
	// shared broker use their own).
	ProfilesChangelog, ProfilesRepartition string
	// Lanes is how many transactions the process keeps going at once; default DefaultLanes.
	// Each lane is a member of the group with partitions and a transactional id of its own
	// (the first lane's is TransactionalID, the others' add "-lane<N>"), so one lane routes
	// while another waits for its commit (flush, offset commit, EndTxn round trips), which
	// a single transaction loop spends idle. The lanes share the process's fetch and
	// produce buffers' bound. With profiles on, only the first lane routes: a process
	// keeps its profiles in one state, which one transaction at a time commits.
	Lanes int
}

// DefaultLanes is Config.Lanes' default: on two cores shared with the broker, two lanes
// routed more events than one in about the same memory (bench/RESULTS.md has the figures).
const DefaultLanes = 2

// maxRecordsPerTransaction bounds one transaction's work, and with it the memory and the
// amount of routing an abort throws away; the lanes of a process share it (maxRecords).
const maxRecordsPerTransaction = 5000

// followInterval bounds how long a config change that adds topics waits to be followed.
const followInterval = time.Second

// Router is one processor process.
type Router struct {
	cfg     Config
	session *kgo.GroupTransactSession
	admin   *kadm.Client
	topics  map[string]bool // consumed events topics
	created map[string]bool // delivery topics known to exist
	// sampling is set once the samples topic exists: a sample that cannot be produced
	// would abort its transaction, and samples must never stall routing.
	sampling bool
	workers  []*worker
	// profiles is the state of the profiles of the partitions routed here (profiles.go);
	// profilesOn whether the session was made for a workspace with profiles on.
	profiles   *profileKeeper
	profilesOn bool
	// linger sets how long each transaction waits for more records (linger.go).
	linger linger
	// lane is this lane's number (Config.Lanes); the first lane's Router holds the others.
	lane  int
	lanes []*Router
}

type worker struct {
	pipeline *Pipeline
	tally    *Tally
	arena    arena
	// lastOutputs is how many outputs the previous chunk had.
	lastOutputs int
}

// New connects a router; Run starts it.
func New(cfg Config) (*Router, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("router: no brokers")
	}
	if cfg.Workspace == nil {
		return nil, errors.New("router: no workspace")
	}
	if cfg.Group == "" {
		cfg.Group = DefaultGroup
	}
	if cfg.DLQTopic == "" {
		cfg.DLQTopic = DefaultDLQTopic
	}
	if cfg.SamplesTopic == "" {
		cfg.SamplesTopic = DefaultSamplesTopic
	}
	if cfg.SamplesPerMinute == 0 {
		cfg.SamplesPerMinute = DefaultSamplesPerMinute
	}
	if cfg.TransactionalID == "" {
		host, _ := os.Hostname()
		cfg.TransactionalID = fmt.Sprintf("actuate-processor-%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.CommitInterval <= 0 {
		cfg.CommitInterval = DefaultCommitInterval
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.TopicPartitions <= 0 {
		cfg.TopicPartitions = schemas.DefaultPartitions
	}
	ws := cfg.Workspace()
	if cfg.ProfilesChangelog == "" {
		cfg.ProfilesChangelog = schemas.TopicProfilesChangelog
	}
	if cfg.ProfilesRepartition == "" {
		cfg.ProfilesRepartition = schemas.TopicProfilesRepartition
	}
	if cfg.Profiles == nil {
		cfg.Profiles = profile.NewState(nil)
	}
	if cfg.Lanes <= 0 {
		cfg.Lanes = DefaultLanes
	}
	r, err := newLane(cfg, ws, 0)
	if err != nil {
		return nil, err
	}
	for lane := 1; lane < cfg.Lanes; lane++ {
		laneCfg := cfg
		laneCfg.TransactionalID = fmt.Sprintf("%s-lane%d", cfg.TransactionalID, lane)
		// Never routed with: only the first lane routes while profiles are on.
		laneCfg.Profiles = profile.NewState(nil)
		l, err := newLane(laneCfg, ws, lane)
		if err != nil {
			r.closeLanes()
			return nil, err
		}
		r.lanes = append(r.lanes, l)
	}
	return r, nil
}

// closeLanes closes the sessions of a router that will not run.
func (r *Router) closeLanes() {
	for _, l := range append([]*Router{r}, r.lanes...) {
		l.closeSession()
	}
}

func (r *Router) closeSession() {
	if r.session != nil {
		kgroup.CloseWithin(r.session.Close, kgroup.LeaveTimeout, r.cfg.Logger)
		r.session = nil
	}
}

// newLane connects one lane; a lane past the first does not while profiles are on.
func newLane(cfg Config, ws *workspace.Workspace, lane int) (*Router, error) {
	r := &Router{cfg: cfg, topics: map[string]bool{}, created: map[string]bool{}, linger: linger{max: cfg.CommitInterval}, lane: lane}
	r.profiles = newProfileKeeper(cfg.Profiles)
	for _, t := range ws.Topics() {
		r.topics[t] = true
	}
	if r.routesProfiles(ws) {
		// Before the session subscribes to the repartition topic, which it would create
		// with the broker's default partition count.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := r.ensureProfileTopics(ctx)
		cancel()
		if err != nil {
			return nil, err
		}
	}
	if !r.aside(ws) {
		if err := r.connect(r.routesProfiles(ws)); err != nil {
			return nil, err
		}
	}
	for range cfg.Workers {
		tally := NewTally()
		p := NewPipeline(cfg.DLQTopic, cfg.Limits, tally)
		p.SetRows(cfg.Rows)
		p.SetSuppression(cfg.Suppression)
		p.SetProfiles(cfg.Profiles, r.profiles.partitionOf, cfg.ProfilesChangelog, cfg.ProfilesRepartition)
		r.workers = append(r.workers, &worker{pipeline: p, tally: tally})
	}
	return r, nil
}

// Profiles returns the profiles this process keeps.
func (r *Router) Profiles() *profile.State { return r.cfg.Profiles }

// connect starts a group transact session consuming the router's topics; with profiles,
// the repartition topic too, and partitions are assigned so that each process gets the
// same partitions of every topic (profiles.go).
func (r *Router) connect(profiles bool) error {
	topics := make([]string, 0, len(r.topics)+1)
	for t := range r.topics {
		topics = append(topics, t)
	}
	if profiles {
		topics = append(topics, r.cfg.ProfilesRepartition)
	}
	sort.Strings(topics)
	r.profilesOn = profiles
	r.profiles.releaseAll()
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(r.cfg.Brokers...),
		kgo.ConsumerGroup(r.cfg.Group),
		kgo.ConsumeTopics(topics...),
		kgo.TransactionalID(r.cfg.TransactionalID),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers in the events topics (the ingest API's, a transactional
		// producer's) come back as records, so the offsets committed with each transaction
		// go past them and Kafka's tools show a lag of 0 when idle; routing skips them.
		kgo.KeepControlRecords(),
		kgo.Balancers(balancer(profiles)),
		kgo.OnPartitionsRevoked(r.profiles.released),
		kgo.OnPartitionsLost(r.profiles.released),
		// Keys route requests to the same partitions as their events: per-user order holds.
		// Profile records name their partition, the event's.
		kgo.RecordPartitioner(partitioner{manual: []string{r.cfg.ProfilesChangelog, r.cfg.ProfilesRepartition}}),
		// Requests are JSON repeating the same field names: LZ4 cuts what the broker copies,
		// stores and serves to the senders several times over, for a little of the
		// processor's CPU (bench/RESULTS.md has the figures).
		kgo.ProducerBatchCompression(kgo.Lz4Compression()),
		kgo.AllowAutoTopicCreation(),
		// A crashed process's open transaction holds read_committed readers back until it
		// times out (unless a restart with the same TransactionalID fences it at once):
		// keep that short.
		kgo.TransactionTimeout(10 * time.Second),
		// Bound what a backlog can make the client buffer: memory stays flat however far
		// behind the processor is (the lanes share the bound).
		kgo.FetchMaxBytes(8 << 20 / int32(r.cfg.Lanes)),
		// Delivery topics are created as instances appear, and the first records to a topic
		// the client has no metadata for wait for a refresh, which franz-go spaces by
		// MetadataMinAge (default 5 s): transactions stalled 4 s after start-up.
		kgo.MetadataMinAge(250 * time.Millisecond),
		// A transaction produces several records per consumed event; a buffer that holds
		// them all lets routing run on while earlier records are being acknowledged.
		kgo.MaxBufferedRecords(8 * r.maxRecords()),
		kgo.WithLogger(kgroup.Logger(r.cfg.Logger)),
	}, r.cfg.ClientOptions...)
	sess, err := kgo.NewGroupTransactSession(opts...)
	if err != nil {
		return fmt.Errorf("router: %w", err)
	}
	r.session = sess
	r.admin = kadm.NewClient(sess.Client())
	return nil
}

// Run routes until ctx is cancelled or the broker rejects the process for good. Its lanes
// run together; when one stops, the others are stopped too.
func (r *Router) Run(ctx context.Context) error {
	if len(r.lanes) == 0 {
		return r.run(ctx)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lanes := append([]*Router{r}, r.lanes...)
	errs := make(chan error, len(lanes))
	for _, l := range lanes {
		go func() {
			err := l.run(ctx)
			cancel()
			errs <- err
		}()
	}
	var all []error
	for range lanes {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// run is one lane's loop: poll, route in a transaction, commit, again.
func (r *Router) run(ctx context.Context) error {
	defer r.closeSession()
	log := r.cfg.Logger.With(zap.Int("lane", r.lane))
	if r.session != nil {
		if err := r.ensureTopics(ctx, r.cfg.Workspace()); err != nil {
			log.Warn("creating topics", zap.Error(err))
		}
	}
	committedTally := NewTally()
	var followed *workspace.Workspace
	for {
		if r.lane > 0 {
			aside, err := r.stepAside(ctx)
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
			if aside {
				followed = nil
				continue
			}
		}
		// A config change may add topics while every consumed topic is idle: poll with a
		// deadline so the loop comes round to follow it.
		pollCtx, cancelPoll := context.WithTimeout(ctx, followInterval)
		fetches := r.session.PollRecords(pollCtx, r.maxRecords())
		cancelPoll()
		if ctx.Err() != nil {
			return nil
		}
		if fetches.IsClientClosed() {
			return nil
		}
		r.logFetchErrors(fetches)
		ws := r.cfg.Workspace()
		if r.aside(ws) {
			continue // stepAside closes the session: what was polled is polled again
		}
		if ws.Profiles != r.profilesOn {
			// Profiles change how partitions are assigned and what is consumed: a new
			// session (what was polled and not committed is polled again).
			log.Info("profiles turned on or off; joining the group again", zap.Bool("profiles", ws.Profiles))
			r.closeSession()
			if ws.Profiles {
				if err := r.ensureProfileTopics(ctx); err != nil {
					log.Warn("creating the profiles' topics", zap.Error(err))
				}
			}
			if err := r.connect(ws.Profiles); err != nil {
				return err
			}
			followed = nil
			continue
		}
		if ws != followed {
			if err := r.follow(ctx, ws); err != nil {
				log.Warn("following config change", zap.Error(err))
			} else {
				followed = ws
			}
		}
		if fetches.NumRecords() == 0 {
			continue
		}
		if r.profilesOn {
			if err := r.restoreProfiles(ctx, fetches); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// What was polled cannot be routed without its profiles, and must not be
				// committed unrouted: a new session polls it again.
				log.Warn("restoring profiles failed; starting a new session", zap.Error(err))
				r.closeSession()
				if err := r.connect(ws.Profiles); err != nil {
					return err
				}
				continue
			}
		}
		if err := r.session.Begin(); err != nil {
			return fmt.Errorf("router: beginning a transaction: %w", err)
		}
		promise := kgo.AbortingFirstErrPromise(r.session.Client())
		r.profiles.begin()
		r.fillTransaction(ctx, ws, fetches, promise)
		internalErr := r.mergeTallies(committedTally)
		commit := kgo.TransactionEndTry(promise.Err() == nil && internalErr == nil)
		ending := time.Now()
		committed, err := r.session.End(ctx, commit)
		r.linger.committed(time.Since(ending))
		switch {
		case err != nil:
			// No error of End is retryable (franz-go): the session's transactional state is
			// unknown, and the next Begin would fail. A new session with the same
			// transactional id fences this one, so its open transaction is aborted and the
			// events it consumed are routed again (seen with the broker away for 8 s).
			if ctx.Err() != nil {
				return nil // shutting down: the deferred close ends this session
			}
			log.Warn("ending the transaction failed; starting a new session", zap.Error(err))
			// Whether it committed is unknown: the profiles of this transaction are thrown
			// away, and the new session reads what the changelog says before routing.
			r.profiles.abort()
			r.closeSession()
			if err := r.connect(r.profilesOn); err != nil {
				return err
			}
		case committed:
			if err := r.profiles.commit(); err != nil {
				// The changelog has the profiles; this process's copy does not: read them
				// again before routing on.
				log.Warn("applying committed profiles failed; reading them again", zap.Error(err))
				r.profiles.releaseAll()
			}
			committedTally.Publish(r.cfg.Metrics)
		default:
			r.profiles.abort()
			log.Info("transaction aborted; its records will be routed again",
				zap.NamedError("produce_error", promise.Err()), zap.NamedError("internal_error", internalErr))
		}
		committedTally.Reset()
	}
}

// stepAside keeps a lane past the first out of the group while profiles are on (Config.Lanes)
// and brings it back when they are off; it says whether the lane is aside.
func (r *Router) stepAside(ctx context.Context) (bool, error) {
	ws := r.cfg.Workspace()
	if !r.aside(ws) {
		if r.session != nil {
			return false, nil
		}
		for _, t := range ws.Topics() {
			r.topics[t] = true
		}
		r.cfg.Logger.Info("profiles are off; the lane joins the group", zap.Int("lane", r.lane))
		return false, r.connect(false)
	}
	if r.session != nil {
		r.cfg.Logger.Info("profiles are on; the lane leaves the group to the first lane", zap.Int("lane", r.lane))
		r.closeSession()
	}
	select {
	case <-ctx.Done():
	case <-time.After(followInterval):
	}
	return true, nil
}

// aside says whether the lane keeps out of the group under ws: a lane past the first while
// profiles are on (Config.Lanes).
func (r *Router) aside(ws *workspace.Workspace) bool { return r.lane > 0 && ws.Profiles }

// routesProfiles says whether the lane routes with profiles under ws: the first, when on.
func (r *Router) routesProfiles(ws *workspace.Workspace) bool { return r.lane == 0 && ws.Profiles }

// maxRecords is the most records one of the process's lanes routes in a transaction: with
// the lanes' transactions in flight together, the process holds what one lane would.
func (r *Router) maxRecords() int { return maxRecordsPerTransaction / r.cfg.Lanes }

// DefaultCommitInterval is the longest a transaction takes in records that arrive after its
// first poll (Kafka Streams' commit interval with exactly-once); how long it takes below that
// follows the cost of a commit (linger.go). Under a steady flow each poll returns a handful of
// records, and a transaction per handful spends the processor and the broker on transaction
// round trips rather than on events (bench/RESULTS.md has the figures).
const DefaultCommitInterval = 100 * time.Millisecond

// fillTransaction routes fetches and then whatever arrives within the commit interval, up
// to maxRecords records, all in the open transaction.
func (r *Router) fillTransaction(ctx context.Context, ws *workspace.Workspace, fetches kgo.Fetches, promise *kgo.FirstErrPromise) {
	deadline := time.Now().Add(r.linger.next())
	n := 0
	for {
		r.route(ctx, ws, fetches, promise)
		n += fetches.NumRecords()
		if n >= r.maxRecords() || ctx.Err() != nil || !time.Now().Before(deadline) {
			return
		}
		pollCtx, cancel := context.WithDeadline(ctx, deadline)
		fetches = r.session.PollRecords(pollCtx, r.maxRecords()-n)
		cancel()
		if fetches.IsClientClosed() {
			return
		}
		r.logFetchErrors(fetches)
		if fetches.NumRecords() == 0 {
			return
		}
		if r.profilesOn {
			// Partitions assigned during the transaction (which then aborts: a rebalance
			// revoked what it consumed) are restored before they are routed all the same.
			if err := r.restoreProfiles(ctx, fetches); err != nil {
				r.cfg.Logger.Warn("restoring profiles failed; aborting the transaction", zap.Error(err))
				promise.Promise()(nil, err)
				return
			}
		}
	}
}

func (r *Router) logFetchErrors(fetches kgo.Fetches) {
	fetches.EachError(func(topic string, partition int32, err error) {
		if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			r.cfg.Logger.Warn("fetch failed", zap.String("topic", topic), zap.Int32("partition", partition), zap.Error(err))
		}
	})
}

// chunkRecords is how many consecutive records of one partition a worker routes at a time.
// A poll often returns records of only one or two partitions; cutting them into chunks
// keeps every worker busy whatever the poll holds.
const chunkRecords = 250

// chunk is a run of one partition's records and, once routed, their outputs in order.
type chunk struct {
	records []*kgo.Record
	outputs []*kgo.Record
	done    chan struct{}
	// after, when set, is closed once the chunk before this one of the same partition is
	// routed (with profiles).
	after chan struct{}
}

// arenaBlock is the size of the blocks outputs are copied into: large enough that a block
// holds a few hundred requests, small enough that a chunk's tail wastes little.
const arenaBlock = 256 << 10

// arena copies outputs into blocks that are never moved or reused, so a record can point
// into one as soon as it is written and keep it alive until the producer is done with it.
// (Growing one buffer per chunk instead copied every byte again at each doubling.)
type arena struct{ block []byte }

func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.block)-len(a.block) {
		a.block = make([]byte, 0, max(arenaBlock, len(b)))
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// route routes the records of fetches on all workers at once and produces the outputs in
// the records' order: chunks of a partition may be routed in parallel, but their outputs
// are produced one chunk after the other, so per-partition (and so per-user) order holds
// in the delivery topics.
func (r *Router) route(ctx context.Context, ws *workspace.Workspace, fetches kgo.Fetches, promise *kgo.FirstErrPromise) {
	var chunks []*chunk
	// With profiles, a partition's events read and update its profiles one after the
	// other: each chunk waits for the one before it of the same partition number (of any
	// topic: they share the partition's profiles).
	last := map[int32]chan struct{}{}
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		for recs := p.Records; len(recs) > 0; {
			n := min(chunkRecords, len(recs))
			c := &chunk{records: recs[:n], done: make(chan struct{})}
			if r.profilesOn {
				c.after = last[p.Partition]
				last[p.Partition] = c.done
			}
			chunks = append(chunks, c)
			recs = recs[n:]
		}
	})
	todo := make(chan *chunk, len(chunks))
	for _, c := range chunks {
		todo <- c
	}
	close(todo)
	var wg sync.WaitGroup
	for _, w := range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				if c.after != nil {
					<-c.after
				}
				w.routeChunk(ws, c)
				close(c.done)
			}
		}()
	}
	for _, c := range chunks {
		<-c.done
		for _, rec := range c.outputs {
			if rec.Topic == r.cfg.ProfilesChangelog {
				r.session.Produce(ctx, rec, r.profiles.written(promise.Promise()))
				continue
			}
			r.session.Produce(ctx, rec, promise.Promise())
		}
		c.outputs = nil
	}
	wg.Wait()
}

// routeChunk routes c's records into c.outputs. The pipeline reuses its buffers, so each
// output's key and value are copied into the worker's arena.
func (w *worker) routeChunk(ws *workspace.Workspace, c *chunk) {
	// Sized after the previous chunk: growing the slice would copy every record again.
	records := make([]kgo.Record, 0, w.lastOutputs+w.lastOutputs/4+16)
	// One function for the chunk: the pipeline holds on to it while routing an event, so
	// a function made per record would be allocated per record.
	emit := func(out Output) {
		records = append(records, kgo.Record{Topic: out.Topic, Partition: out.Partition})
		rec := &records[len(records)-1]
		if out.Value != nil { // a nil value is a tombstone
			rec.Value = w.arena.copy(out.Value)
		}
		if len(out.Key) > 0 { // an empty key stays null, as the pipeline means it
			rec.Key = w.arena.copy(out.Key)
		}
	}
	for _, rec := range c.records {
		if rec.Attrs.IsControl() {
			continue // a transaction marker: only its offset counts, committed with the transaction
		}
		in := inputFromRecord(rec)
		w.pipeline.Process(ws, &in, emit)
	}
	c.outputs = make([]*kgo.Record, len(records))
	for i := range records {
		c.outputs[i] = &records[i]
	}
	w.lastOutputs = len(records)
}

func (r *Router) mergeTallies(into *Tally) error {
	for _, w := range r.workers {
		into.Merge(w.tally)
		w.tally.Reset()
	}
	return into.Err()
}

func inputFromRecord(rec *kgo.Record) Input {
	in := Input{Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset, Key: rec.Key, Value: rec.Value, Timestamp: rec.Timestamp}
	for _, h := range rec.Headers {
		if h.Key == WriteKeyHeader {
			in.WriteKey = string(h.Value)
		}
	}
	return in
}

// follow starts consuming topics a config change added and makes sure delivery topics
// exist before anything is produced to them.
func (r *Router) follow(ctx context.Context, ws *workspace.Workspace) error {
	var added []string
	for _, t := range ws.Topics() {
		if !r.topics[t] {
			r.topics[t] = true
			added = append(added, t)
		}
	}
	if len(added) > 0 {
		r.session.Client().AddConsumeTopics(added...)
	}
	return r.ensureTopics(ctx, ws)
}

func (r *Router) ensureTopics(ctx context.Context, ws *workspace.Workspace) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var errs []error
	if r.cfg.SamplesPerMinute > 0 && !r.sampling {
		errs = append(errs, r.createTopics(ctx, map[string]*string{"retention.ms": kadm.StringPtr(fmt.Sprint(samplesRetention.Milliseconds()))}, r.cfg.SamplesTopic))
		if r.created[r.cfg.SamplesTopic] {
			// Between transactions: no worker is routing.
			for _, w := range r.workers {
				w.pipeline.EnableSamples(r.cfg.SamplesTopic, r.cfg.SamplesPerMinute)
			}
			r.sampling = true
		}
	}
	errs = append(errs, r.createTopics(ctx, nil, append([]string{r.cfg.DLQTopic}, deliveryTopics(ws)...)...))
	if ws.Profiles {
		errs = append(errs, r.ensureProfileTopics(ctx))
	}
	return errors.Join(errs...)
}

func (r *Router) createTopics(ctx context.Context, configs map[string]*string, topics ...string) error {
	var missing []string
	for _, t := range topics {
		if !r.created[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	resp, err := r.admin.CreateTopics(ctx, r.cfg.TopicPartitions, -1, configs, missing...)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range resp.Sorted() {
		if t.Err == nil || errors.Is(t.Err, kerr.TopicAlreadyExists) {
			r.created[t.Topic] = true
			continue
		}
		errs = append(errs, fmt.Errorf("topic %s: %w", t.Topic, t.Err))
	}
	return errors.Join(errs...)
}

func deliveryTopics(ws *workspace.Workspace) []string {
	topics := make([]string, 0, len(ws.Instances))
	for _, inst := range ws.Instances {
		topics = append(topics, inst.Topic)
	}
	return topics
}
