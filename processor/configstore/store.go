// Package configstore keeps the workspace on the compacted Kafka topic actuate.config,
// one record per config object (key "destination/<id>", "source/<id>",
// "tracking_plan/<id>"; value the object as JSON; a tombstone deletes it), so every
// processor, sender and API process follows the same config and a change reaches all of
// them within seconds, without a restart.
//
// Each process consumes the topic from the start and, after every batch of records,
// compiles the whole set of objects into a new workspace and swaps it in at once: an
// instance is one object, so no event ever sees half of an instance's update, and a set
// of objects that does not compile is never applied (the last valid workspace stays).
//
// Writes are compare-and-set. Every writer shares one transactional id, so starting a
// write fences any other writer's transaction still open; the writer then reads the topic
// up to its last stable offset, checks the change against what it read, and commits.
// A writer that was fenced in between fails to commit and starts over. Versions are
// offsets: an object's version is the offset of the record that wrote it.
//
// Every committed write also appends an entry, with secrets redacted, to the
// actuate.config.history topic in the same transaction: the versioned history of changes.
package configstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Defaults of Config.
const (
	DefaultTopic           = schemas.TopicConfig
	DefaultHistoryTopic    = schemas.TopicConfigHistory
	DefaultTransactionalID = "actuate.config.writer"
)

// Config configures a Store.
type Config struct {
	Brokers         []string
	Topic           string
	HistoryTopic    string
	TransactionalID string
	Lookup          workspace.Lookup
	Logger          *zap.Logger
	// OnChange is called after a new workspace was swapped in.
	OnChange func(*workspace.Workspace)
	// ClientOptions are extra franz-go options (TLS, SASL, test tuning).
	ClientOptions []kgo.Opt
	// Secrets seals secret settings on the topic (seal.go); nil stores them as given and
	// refuses a topic that holds sealed ones.
	Secrets *Sealer
}

// Store follows the config topic. Workspace is the provider the router, the sender and
// the ingest handler read.
type Store struct {
	cfg  Config
	log  *zap.Logger
	cl   *kgo.Client
	adm  *kadm.Client
	live atomic.Pointer[workspace.Workspace]
	snap atomic.Pointer[Snapshot]

	mu       sync.Mutex
	topic    map[string]Object          // objects read from the topic
	overlay  map[string]json.RawMessage // objects from a --config file; they win
	position int64                      // offset past the last record read
	changed  chan struct{}              // closed and replaced whenever position moves
	writeMu  sync.Mutex                 // one write at a time from this process
	// unopened are objects whose latest record holds sealed secrets this process cannot
	// open; while any is left, no workspace is swapped in and waits fail with its error.
	unopened map[string]error
}

// New connects a store; Run follows the topic. initial, when not nil, is in force until
// the topic has been read (a --config file's workspace).
func New(cfg Config, initial *workspace.Workspace) (*Store, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("configstore: no brokers")
	}
	if cfg.Lookup == nil {
		return nil, errors.New("configstore: no destination lookup")
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.HistoryTopic == "" {
		cfg.HistoryTopic = DefaultHistoryTopic
	}
	if cfg.TransactionalID == "" {
		cfg.TransactionalID = DefaultTransactionalID
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumeTopics(cfg.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers take offsets too: seeing them is how the reader knows it
		// reached the last stable offset.
		kgo.KeepControlRecords(),
		kgo.FetchMaxWait(500 * time.Millisecond),
	}, cfg.ClientOptions...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("configstore: %w", err)
	}
	s := &Store{cfg: cfg, log: cfg.Logger, cl: cl, adm: kadm.NewClient(cl), topic: map[string]Object{}, changed: make(chan struct{}), unopened: map[string]error{}}
	if initial == nil {
		initial, err = Compile(nil, cfg.Lookup)
		if err != nil {
			cl.Close()
			return nil, err
		}
	}
	s.live.Store(initial)
	s.snap.Store(&Snapshot{objects: map[string]Object{}, Workspace: initial})
	return s, nil
}

// Workspace returns the workspace in force.
func (s *Store) Workspace() *workspace.Workspace { return s.live.Load() }

// Snapshot returns the objects read so far.
func (s *Store) Snapshot() *Snapshot { return s.snap.Load() }

// SetOverlay replaces the objects of a --config file. They override the topic's objects
// of the same key in this process only; Seed writes them to the topic for the others.
func (s *Store) SetOverlay(objects map[string]json.RawMessage) {
	s.mu.Lock()
	s.overlay = objects
	s.rebuildLocked()
	s.mu.Unlock()
}

// EnsureTopics creates the config topic (one partition, so offsets order every change,
// compacted) and the history topic when they do not exist.
func (s *Store) EnsureTopics(ctx context.Context) error {
	for _, t := range []struct {
		name    string
		configs map[string]*string
	}{
		{s.cfg.Topic, map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}},
		{s.cfg.HistoryTopic, nil},
	} {
		resp, err := s.adm.CreateTopic(ctx, 1, -1, t.configs, t.name)
		if err == nil {
			err = resp.Err
		}
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("configstore: creating %s: %w", t.name, err)
		}
	}
	return nil
}

// Run reads the config topic until ctx ends.
func (s *Store) Run(ctx context.Context) error {
	defer s.cl.Close()
	if err := s.EnsureTopics(ctx); err != nil {
		s.log.Warn("config topics", zap.Error(err))
	}
	for {
		fetches := s.cl.PollFetches(ctx)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			s.log.Warn("reading config", zap.String("topic", topic), zap.Error(err))
		})
		s.mu.Lock()
		moved := false
		fetches.EachRecord(func(r *kgo.Record) {
			if r.Offset+1 > s.position {
				s.position = r.Offset + 1
				moved = true
			}
			if r.Attrs.IsControl() {
				return
			}
			key := string(r.Key)
			if _, _, ok := SplitKey(key); !ok {
				s.log.Warn("config record with an unknown key ignored", zap.String("key", key), zap.Int64("offset", r.Offset))
				return
			}
			delete(s.unopened, key) // superseded by this record
			if r.Value == nil {
				delete(s.topic, key)
				return
			}
			value, err := s.cfg.Secrets.Open(key, r.Value)
			if err != nil {
				s.unopened[key] = err
				delete(s.topic, key)
				return
			}
			s.topic[key] = Object{Key: key, Value: value, Version: r.Offset}
		})
		if moved {
			s.rebuildLocked()
		}
		s.mu.Unlock()
	}
}

// unopenedErrLocked is the error of an object whose secrets cannot be opened, or nil.
func (s *Store) unopenedErrLocked() error {
	for key, err := range s.unopened {
		return fmt.Errorf("configstore: %s: %w", key, err)
	}
	return nil
}

// rebuildLocked compiles the current objects and swaps the workspace in when they are
// valid.
func (s *Store) rebuildLocked() {
	if err := s.unopenedErrLocked(); err != nil {
		// Running without an object's secrets would send requests without credentials,
		// or drop the destination: keep the running workspace.
		s.log.Error("config change not applied", zap.Error(err))
		close(s.changed)
		s.changed = make(chan struct{})
		return
	}
	objects := make(map[string]Object, len(s.topic)+len(s.overlay))
	values := make(map[string]json.RawMessage, len(objects))
	for k, o := range s.topic {
		objects[k] = o
		values[k] = o.Value
	}
	for k, v := range s.overlay {
		objects[k] = Object{Key: k, Value: v, FromFile: true}
		values[k] = v
	}
	prev := s.snap.Load()
	snap := &Snapshot{Revision: s.position, objects: objects, Workspace: prev.Workspace}
	ws, err := Compile(values, s.cfg.Lookup)
	if err != nil {
		snap.Problems = err
		if prev.Problems == nil || prev.Problems.Error() != err.Error() {
			// Problems name paths and reasons, never setting values.
			s.log.Error("config change rejected; the running config stays", zap.Int64("revision", s.position), zap.Error(err))
		}
	} else {
		snap.Workspace = ws
		if old := s.live.Load(); old == nil || old.Version != ws.Version {
			s.live.Store(ws)
			s.log.Info("config applied", zap.Int64("revision", s.position), zap.Int64("version", ws.Version))
			if s.cfg.OnChange != nil {
				s.cfg.OnChange(ws)
			}
		}
	}
	s.snap.Store(snap)
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor waits until the store has read every record before offset.
func (s *Store) WaitFor(ctx context.Context, offset int64) error {
	for {
		s.mu.Lock()
		pos, ch, failed := s.position, s.changed, s.unopenedErrLocked()
		s.mu.Unlock()
		if pos >= offset {
			if failed != nil {
				return failed
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("configstore: waiting for the config topic to reach offset %d (at %d): %w", offset, pos, ctx.Err())
		case <-ch:
		}
	}
}

// CatchUp waits until every change committed before the call has been read.
func (s *Store) CatchUp(ctx context.Context) error {
	end, err := s.stableOffset(ctx, s.adm)
	if err != nil {
		return err
	}
	return s.WaitFor(ctx, end)
}

func (s *Store) stableOffset(ctx context.Context, adm *kadm.Client) (int64, error) {
	offsets, err := adm.ListCommittedOffsets(ctx, s.cfg.Topic)
	if err != nil {
		return 0, fmt.Errorf("configstore: listing offsets: %w", err)
	}
	o, ok := offsets.Lookup(s.cfg.Topic, 0)
	if !ok {
		return 0, fmt.Errorf("configstore: topic %s does not exist yet", s.cfg.Topic)
	}
	if o.Err != nil {
		return 0, fmt.Errorf("configstore: listing offsets: %w", o.Err)
	}
	return o.Offset, nil
}

// ErrConflict is returned by Update when another writer kept winning.
var ErrConflict = errors.New("configstore: another writer is changing the config; retry")

// Meta describes a write for the history.
type Meta struct {
	Actor   string
	Message string
}

// HistoryEntry is one committed write.
type HistoryEntry struct {
	// Revision is the offset in the config topic of the write's first record.
	Revision int64           `json:"revision"`
	Time     time.Time       `json:"time"`
	Actor    string          `json:"actor,omitempty"`
	Message  string          `json:"message,omitempty"`
	Changes  []HistoryChange `json:"changes"`
}

// HistoryChange is one object a write put or deleted; secrets redacted.
type HistoryChange struct {
	Key     string          `json:"key"`
	Op      string          `json:"op"` // put or delete
	Version int64           `json:"version"`
	Value   json.RawMessage `json:"value,omitempty"`
}

// Update runs fn on the latest snapshot and commits the changes it returns, only if no
// other write committed in between (else fn runs again on the newer snapshot). fn
// validates; an error from it is returned as is and nothing is written. Update returns
// once this process has applied the write, so a read right after sees it.
func (s *Store) Update(ctx context.Context, meta Meta, fn func(*Snapshot) ([]Change, error)) (*Snapshot, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	const attempts = 10
	for attempt := range attempts {
		snap, done, err := s.tryUpdate(ctx, meta, fn)
		if done || err != nil {
			return snap, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(25*(1<<attempt)+rand.IntN(50)) * time.Millisecond):
		}
	}
	return nil, ErrConflict
}

// tryUpdate makes one attempt; done false means it was fenced and may be retried.
func (s *Store) tryUpdate(ctx context.Context, meta Meta, fn func(*Snapshot) ([]Change, error)) (*Snapshot, bool, error) {
	w, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.TransactionalID(s.cfg.TransactionalID),
		kgo.TransactionTimeout(30 * time.Second),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
	}, s.cfg.ClientOptions...)...)
	if err != nil {
		return nil, false, fmt.Errorf("configstore: %w", err)
	}
	defer w.Close()
	// Taking the producer id fences every other writer and ends its open transaction,
	// so the stable offset read next covers everything that may commit before us.
	if _, _, err := w.ProducerID(ctx); err != nil {
		return nil, false, fmt.Errorf("configstore: starting a write: %w", err)
	}
	end, err := s.stableOffset(ctx, kadm.NewClient(w))
	if err != nil {
		return nil, false, err
	}
	if err := s.WaitFor(ctx, end); err != nil {
		return nil, false, err
	}
	snap := s.Snapshot()
	changes, err := fn(snap)
	if err != nil || len(changes) == 0 {
		return snap, true, err
	}
	if err := w.BeginTransaction(); err != nil {
		return nil, false, fmt.Errorf("configstore: %w", err)
	}
	entry := HistoryEntry{Time: time.Now().UTC(), Actor: meta.Actor, Message: meta.Message}
	records := make([]*kgo.Record, len(changes))
	for i, c := range changes {
		value, err := s.cfg.Secrets.Seal(c.Key, c.Value)
		if err != nil {
			w.EndTransaction(ctx, kgo.TryAbort)
			return nil, true, fmt.Errorf("configstore: sealing secrets: %w", err)
		}
		records[i] = &kgo.Record{Topic: s.cfg.Topic, Key: []byte(c.Key), Value: value}
	}
	results := w.ProduceSync(ctx, records...)
	if err := results.FirstErr(); err != nil {
		w.EndTransaction(ctx, kgo.TryAbort)
		return nil, !retryable(err), errUnlessRetryable(err)
	}
	last := int64(0)
	for i, r := range results {
		op := "put"
		if changes[i].Value == nil {
			op = "delete"
		}
		if i == 0 {
			entry.Revision = r.Record.Offset
		}
		last = r.Record.Offset
		entry.Changes = append(entry.Changes, HistoryChange{Key: changes[i].Key, Op: op, Version: r.Record.Offset,
			Value: Redact(changes[i].Key, changes[i].Value, s.cfg.Lookup)})
	}
	hist, _ := json.Marshal(entry)
	if err := w.ProduceSync(ctx, &kgo.Record{Topic: s.cfg.HistoryTopic, Value: hist}).FirstErr(); err != nil {
		w.EndTransaction(ctx, kgo.TryAbort)
		return nil, !retryable(err), errUnlessRetryable(err)
	}
	if err := w.EndTransaction(ctx, kgo.TryCommit); err != nil {
		if fenced(err) {
			return nil, false, nil
		}
		// The commit may or may not have happened. Writing again would apply fn twice
		// (fn need not be idempotent): find out instead.
		committed, rerr := s.committed(ctx, changes[0], results[0].Record.Offset)
		if rerr != nil {
			return nil, true, fmt.Errorf("configstore: writing: %w (whether it committed is unknown: %v)", err, rerr)
		}
		if !committed {
			return nil, false, nil
		}
	}
	if err := s.WaitFor(ctx, last+1); err != nil {
		return nil, true, err
	}
	return s.Snapshot(), true, nil
}

func fenced(err error) bool {
	return errors.Is(err, kerr.ProducerFenced) || errors.Is(err, kerr.InvalidProducerEpoch) ||
		errors.Is(err, kerr.ConcurrentTransactions) || errors.Is(err, kerr.InvalidTxnState)
}

// retryable tells the errors of a write that fails before its commit which are worth
// another attempt. Such a write is aborted (or its producer fenced), so nothing of it ever
// becomes visible and trying again is safe. The broker answers UNKNOWN_SERVER_ERROR to a
// writer fenced by another in the middle of its transaction (seen once in CI, under load).
func retryable(err error) bool {
	return fenced(err) || kerr.IsRetriable(err) || errors.Is(err, kerr.UnknownServerError)
}

func errUnlessRetryable(err error) error {
	if retryable(err) {
		return nil
	}
	return fmt.Errorf("configstore: writing: %w", err)
}

// committed tells whether the write whose first change was written at offset committed.
// Taking the producer id again fences the writer and settles its transaction (a prepared
// commit completes, anything else aborts); once the store has read up to the stable offset,
// the topic's objects show which it was.
func (s *Store) committed(ctx context.Context, first Change, offset int64) (bool, error) {
	w, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(s.cfg.Brokers...), kgo.TransactionalID(s.cfg.TransactionalID)},
		s.cfg.ClientOptions...)...)
	if err != nil {
		return false, err
	}
	defer w.Close()
	if _, _, err := w.ProducerID(ctx); err != nil {
		return false, err
	}
	end, err := s.stableOffset(ctx, kadm.NewClient(w))
	if err != nil {
		return false, err
	}
	if err := s.WaitFor(ctx, end); err != nil {
		return false, err
	}
	// The topic's own objects, not the snapshot: a config file may override the key.
	s.mu.Lock()
	o, ok := s.topic[first.Key]
	s.mu.Unlock()
	if first.Value == nil {
		return !ok, nil
	}
	return ok && o.Version == offset, nil
}

// History returns up to limit entries, newest first, with revision below before (0: no
// bound).
func (s *Store) History(ctx context.Context, limit int, before int64) ([]HistoryEntry, error) {
	if limit <= 0 {
		limit = 50
	}
	offsets, err := s.adm.ListEndOffsets(ctx, s.cfg.HistoryTopic)
	if err != nil {
		return nil, fmt.Errorf("configstore: %w", err)
	}
	o, ok := offsets.Lookup(s.cfg.HistoryTopic, 0)
	if !ok || o.Err != nil {
		return nil, nil
	}
	start, err := s.adm.ListStartOffsets(ctx, s.cfg.HistoryTopic)
	if err != nil {
		return nil, fmt.Errorf("configstore: %w", err)
	}
	first, _ := start.Lookup(s.cfg.HistoryTopic, 0)
	end := o.Offset
	if end <= first.Offset {
		return nil, nil
	}
	// Entries are small and writes rare: reading back a window of records (with room
	// for transaction markers and bounded by before) is simpler than an index.
	from := max(first.Offset, end-int64(limit)*4-64)
	if before > 0 {
		from = first.Offset
	}
	r, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{s.cfg.HistoryTopic: {0: kgo.NewOffset().At(from)}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.FetchMaxWait(200 * time.Millisecond),
	}, s.cfg.ClientOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("configstore: %w", err)
	}
	defer r.Close()
	var out []HistoryEntry
	for pos := from; pos < end; {
		fetches := r.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := fetches.Err(); err != nil {
			return nil, fmt.Errorf("configstore: reading history: %w", err)
		}
		fetches.EachRecord(func(rec *kgo.Record) {
			pos = rec.Offset + 1
			if rec.Attrs.IsControl() {
				return
			}
			var e HistoryEntry
			if json.Unmarshal(rec.Value, &e) == nil && (before <= 0 || e.Revision < before) {
				out = append(out, e)
			}
		})
		if fetches.Empty() && pos < end {
			// the end may hold only an open transaction's records; do not wait for them
			if lso, err := s.adm.ListCommittedOffsets(ctx, s.cfg.HistoryTopic); err == nil {
				if l, ok := lso.Lookup(s.cfg.HistoryTopic, 0); ok && l.Offset <= pos {
					break
				}
			}
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Seed writes the given objects (a --config file's) to the topic where the topic's
// value differs, so processes started without the file follow it too.
func (s *Store) Seed(ctx context.Context, objects map[string]json.RawMessage, meta Meta) error {
	_, err := s.Update(ctx, meta, func(snap *Snapshot) ([]Change, error) {
		var changes []Change
		for k, v := range objects {
			s.mu.Lock()
			cur, ok := s.topic[k]
			s.mu.Unlock()
			if !ok || !jsonEqual(cur.Value, v) {
				changes = append(changes, Change{Key: k, Value: v})
			}
		}
		return changes, nil
	})
	return err
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
