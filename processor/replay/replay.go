package replay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/route"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Config is where a replay reads and writes.
type Config struct {
	Brokers   []string
	Workspace func() *workspace.Workspace
	// DLQTopic, MarkerTopic and OverviewTopic default to schemas.TopicDLQ,
	// schemas.TopicReplay and schemas.TopicOverview.
	DLQTopic      string
	MarkerTopic   string
	OverviewTopic string
	Limits        event.Limits
	// Rows, when set, are the data model rows replayed events are enriched with, as the
	// pipeline's are (route.Router.SetRows); without them enrichments are empty.
	Rows route.Rows
	// Suppression, when set, filters the events of users privacy regulations suppress, as
	// the pipeline does (they are skipped, "filtered by suppressed").
	Suppression route.Suppression
	// Counter, when set, is actuate_replay_outcomes_total (NewCounter), counted after
	// each committed batch.
	Counter *prometheus.CounterVec
	// BatchSize is how many dead letters one transaction replays; default 500.
	BatchSize     int
	Logger        *zap.Logger
	ClientOptions []kgo.Opt
}

// Request is one replay.
type Request struct {
	// ID names the replay in its markers and counts; generated when empty.
	ID          string
	Destination string
	Filter
	Mode   Mode // "" is ModeAuto
	DryRun bool
}

// Result counts what a replay did (or, in a dry run, would do).
type Result struct {
	ID          string `json:"id"`
	Destination string `json:"destination"`
	Mode        Mode   `json:"mode"`
	DryRun      bool   `json:"dry_run"`
	// Scanned counts the dead letters read; Selected those of the destination that pass
	// the filter.
	Scanned  int64 `json:"scanned"`
	Selected int64 `json:"selected"`
	// Outcomes counts the selected dead letters by Outcome*.
	Outcomes map[string]int64 `json:"outcomes"`
	// Skipped counts the skipped ones by reason.
	Skipped map[string]int64 `json:"skipped"`
	// Requests counts the action requests written.
	Requests int64 `json:"requests"`
}

// ErrUnknownDestination is returned for a destination the workspace does not have.
var ErrUnknownDestination = errors.New("unknown destination")

// ErrInvalid wraps a request that cannot run (a bad mode or range).
var ErrInvalid = errors.New("invalid replay")

// NewCounter returns actuate_replay_outcomes_total, to register with a process's registry.
func NewCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: metrics.NameReplayOutcomes, Help: "Dead letters taken by replays, per destination instance and outcome.",
	}, []string{"instance", "outcome"})
}

// marker is the value of a marker record.
type marker struct {
	Replay  string    `json:"replay"`
	Outcome string    `json:"outcome"`
	At      time.Time `json:"at"`
}

// markerKey names a dead letter of instance on the marker topic.
func markerKey(instance string, r *kgo.Record) string {
	return instance + "/" + r.Topic + "/" + strconv.Itoa(int(r.Partition)) + "/" + strconv.FormatInt(r.Offset, 10)
}

// Run replays the request's dead letters (doc.go) and returns the counts.
func Run(ctx context.Context, cfg Config, req Request) (*Result, error) {
	cfg.defaults()
	if req.Mode == "" {
		req.Mode = ModeAuto
	}
	if req.Mode != ModeAuto && req.Mode != ModeRoute && req.Mode != ModeStored {
		return nil, fmt.Errorf("%w: mode %q is not auto, route or stored", ErrInvalid, req.Mode)
	}
	if !req.Since.IsZero() && !req.Until.IsZero() && !req.Until.After(req.Since) {
		return nil, fmt.Errorf("%w: until is not after since", ErrInvalid)
	}
	if req.ID == "" {
		var b [6]byte
		rand.Read(b[:])
		req.ID = "r-" + hex.EncodeToString(b[:])
	}
	ws := cfg.Workspace()
	if ws == nil || ws.Instance(req.Destination) == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownDestination, req.Destination)
	}
	log := cfg.Logger.With(zap.String("replay", req.ID), zap.String("destination", req.Destination))
	res := &Result{ID: req.ID, Destination: req.Destination, Mode: req.Mode, DryRun: req.DryRun,
		Outcomes: map[string]int64{}, Skipped: map[string]int64{}}

	plain, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, cfg.ClientOptions...)...)
	if err != nil {
		return nil, err
	}
	defer plain.Close()
	var txn *kgo.Client
	if !req.DryRun {
		if err := ensureMarkerTopic(ctx, plain, cfg.MarkerTopic); err != nil {
			return nil, err
		}
		txn, err = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...), kgo.AllowAutoTopicCreation(),
			kgo.TransactionalID("actuate-replay-" + req.Destination), kgo.TransactionTimeout(time.Minute)}, cfg.ClientOptions...)...)
		if err != nil {
			return nil, err
		}
		defer txn.Close()
		// Fence any replay of this destination still running before reading the markers:
		// its open transaction is aborted, so the markers read below are final.
		if _, _, err := txn.ProducerID(ctx); err != nil {
			return nil, fmt.Errorf("opening the replay's transactional producer: %w", err)
		}
	}

	done := map[string]bool{}
	prefix := req.Destination + "/"
	if err := readToEnd(ctx, cfg, cfg.MarkerTopic, func(r *kgo.Record) {
		if k := string(r.Key); strings.HasPrefix(k, prefix) {
			done[k] = r.Value != nil
		}
	}); err != nil {
		return nil, fmt.Errorf("reading replay markers: %w", err)
	}

	b := &batch{cfg: &cfg, req: &req, res: res, txn: txn, plain: plain, from: time.Now().UTC()}
	dec := NewDecider(cfg.DLQTopic, cfg.Limits)
	if cfg.Rows != nil {
		dec.route.SetRows(cfg.Rows)
	}
	dec.route.SetSuppression(cfg.Suppression)
	seen := map[string]bool{}
	var failed error
	err = readToEnd(ctx, cfg, cfg.DLQTopic, func(r *kgo.Record) {
		if failed != nil {
			return
		}
		dl, err := schemas.DecodeDeadLetter(r.Value)
		if err != nil {
			return
		}
		res.Scanned++
		if !req.Filter.Matches(req.Destination, dl) {
			return
		}
		res.Selected++
		mkey := markerKey(req.Destination, r)
		if done[mkey] {
			b.count(OutcomeAlreadyReplayed, "", 0)
			return
		}
		dk := dedupKey(dl)
		if seen[dk] {
			b.add(mkey, Decision{Outcome: OutcomeDuplicate})
		} else {
			seen[dk] = true
			b.add(mkey, dec.Decide(cfg.Workspace(), req.Destination, req.Mode, dl, r.Key))
		}
		if b.size >= cfg.BatchSize {
			failed = b.commit(ctx)
		}
	})
	if err == nil {
		err = failed
	}
	if err == nil {
		err = b.commit(ctx)
	}
	if err != nil {
		return res, err
	}
	log.Info("replay finished", zap.Bool("dry_run", req.DryRun), zap.Int64("selected", res.Selected),
		zap.Any("outcomes", res.Outcomes), zap.Int64("requests", res.Requests))
	return res, nil
}

func (c *Config) defaults() {
	if c.DLQTopic == "" {
		c.DLQTopic = schemas.TopicDLQ
	}
	if c.MarkerTopic == "" {
		c.MarkerTopic = schemas.TopicReplay
	}
	if c.OverviewTopic == "" {
		c.OverviewTopic = schemas.TopicOverview
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	c.Logger = c.Logger.Named("replay")
}

// batch is the dead letters of one transaction: their outputs and markers, and counts
// that reach the Result only once the transaction commits.
type batch struct {
	cfg   *Config
	req   *Request
	res   *Result
	txn   *kgo.Client // nil in a dry run
	plain *kgo.Client
	from  time.Time

	records []*kgo.Record
	size    int
	// A backfill marks ranges of offsets, not each record: it leaves out the markers,
	// adds its own to the transaction (extra) and learns when they committed.
	noMarkers bool
	extra     func() []*kgo.Record
	committed func()
	outcomes  map[string]int64
	skipped   map[string]int64
	requests  int64
}

func (b *batch) count(outcome, reason string, requests int64) {
	if b.outcomes == nil {
		b.outcomes, b.skipped = map[string]int64{}, map[string]int64{}
	}
	b.outcomes[outcome]++
	if reason != "" {
		b.skipped[reason]++
	}
	b.requests += requests
}

func (b *batch) add(mkey string, d Decision) {
	var requests int64
	for _, o := range d.Outputs {
		if o.Topic != b.cfg.DLQTopic {
			requests++
		}
		b.records = append(b.records, &kgo.Record{Topic: o.Topic, Key: o.Key, Value: o.Value})
	}
	b.count(d.Outcome, d.Reason, requests)
	b.size++
	if d.Outcome == OutcomeSkipped || b.noMarkers {
		return // nothing sent: a later replay may try it again
	}
	value, _ := json.Marshal(marker{Replay: b.req.ID, Outcome: d.Outcome, At: time.Now().UTC()})
	b.records = append(b.records, &kgo.Record{Topic: b.cfg.MarkerTopic, Key: []byte(mkey), Value: value})
}

// commit writes the batch in one transaction, then counts it.
func (b *batch) commit(ctx context.Context) error {
	if b.outcomes == nil {
		return nil
	}
	if b.extra != nil && b.txn != nil {
		b.records = append(b.records, b.extra()...)
	}
	if b.txn != nil && len(b.records) > 0 {
		if err := b.txn.BeginTransaction(); err != nil {
			return err
		}
		err := b.txn.ProduceSync(ctx, b.records...).FirstErr()
		end := kgo.TryCommit
		if err != nil {
			end = kgo.TryAbort
		}
		if endErr := b.txn.EndTransaction(ctx, end); err == nil {
			err = endErr
		}
		if err != nil {
			return fmt.Errorf("replay transaction: %w", err)
		}
	}
	if b.committed != nil && b.txn != nil {
		b.committed()
	}
	now := time.Now().UTC()
	deltas := schemas.OverviewDeltas{Process: "replay/" + b.req.ID, From: b.from, To: now}
	for outcome, n := range b.outcomes {
		b.res.Outcomes[outcome] += n
		if b.req.DryRun {
			continue
		}
		if b.cfg.Counter != nil {
			b.cfg.Counter.WithLabelValues(b.req.Destination, outcome).Add(float64(n))
		}
		deltas.Deltas = append(deltas.Deltas, schemas.Delta{Metric: metrics.NameReplayOutcomes,
			Labels: map[string]string{"instance": b.req.Destination, "outcome": outcome}, Value: float64(n)})
	}
	for reason, n := range b.skipped {
		b.res.Skipped[reason] += n
	}
	b.res.Requests += b.requests
	if len(deltas.Deltas) > 0 {
		// Outside the transaction: a lost count costs the overview, never a delivery.
		if value, err := schemas.AppendOverviewDeltas(nil, &deltas); err == nil {
			if err := b.plain.ProduceSync(ctx, &kgo.Record{Topic: b.cfg.OverviewTopic, Key: []byte(deltas.Process), Value: value}).FirstErr(); err != nil {
				b.cfg.Logger.Warn("publishing replay counts to the Delivery Overview", zap.Error(err))
			}
		}
	}
	b.records, b.size, b.outcomes, b.skipped, b.requests, b.from = nil, 0, nil, nil, 0, now
	return nil
}

func ensureMarkerTopic(ctx context.Context, cl *kgo.Client, topic string) error {
	resp, err := kadm.NewClient(cl).CreateTopic(ctx, int32(schemas.DefaultPartitions), -1,
		map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("replay marker topic %s: %w", topic, err)
	}
	return nil
}

// readToEnd calls fn with each committed record of topic, up to each partition's last
// stable offset when it starts. A topic that does not exist is empty.
func readToEnd(ctx context.Context, cfg Config, topic string, fn func(*kgo.Record)) error {
	from, to, err := offsets(ctx, cfg, topic, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	return readRange(ctx, cfg, topic, from, to, fn)
}

// offsets returns, per partition of topic, the first offset at or after since (the log
// start when zero) and the offset before which records are older than until (the last
// stable offset when zero, and never beyond it).
func offsets(ctx context.Context, cfg Config, topic string, since, until time.Time) (from, to map[int32]int64, err error) {
	admCl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, cfg.ClientOptions...)...)
	if err != nil {
		return nil, nil, err
	}
	defer admCl.Close()
	adm := kadm.NewClient(admCl)
	var starts, ends kadm.ListedOffsets
	if since.IsZero() {
		starts, err = adm.ListStartOffsets(ctx, topic)
	} else {
		starts, err = adm.ListOffsetsAfterMilli(ctx, since.UnixMilli(), topic)
	}
	if err != nil {
		return nil, nil, err
	}
	if ends, err = adm.ListCommittedOffsets(ctx, topic); err != nil {
		return nil, nil, err
	}
	var bounds kadm.ListedOffsets
	if !until.IsZero() {
		if bounds, err = adm.ListOffsetsAfterMilli(ctx, until.UnixMilli(), topic); err != nil {
			return nil, nil, err
		}
	}
	from, to = map[int32]int64{}, map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil || o.Topic != topic {
			return
		}
		s, ok := starts.Lookup(topic, o.Partition)
		if !ok || s.Err != nil {
			return
		}
		end := o.Offset
		if b, ok := bounds.Lookup(topic, o.Partition); ok && b.Err == nil && b.Offset >= 0 && b.Offset < end {
			end = b.Offset
		}
		if s.Offset >= 0 && end > s.Offset {
			from[o.Partition], to[o.Partition] = s.Offset, end
		}
	})
	return from, to, nil
}

// readRange calls fn with each committed record of topic in [from, to) per partition.
// Control records are read (and not passed on) so the end of a partition that ends in a
// transaction marker is seen.
func readRange(ctx context.Context, cfg Config, topic string, from, to map[int32]int64, fn func(*kgo.Record)) error {
	if len(to) == 0 {
		return nil
	}
	remaining := map[int32]int64{}
	start := map[int32]kgo.Offset{}
	for p, end := range to {
		remaining[p] = end
		start[p] = kgo.NewOffset().At(from[p])
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: start}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords()}, cfg.ClientOptions...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	for len(remaining) > 0 {
		// A partition whose last records were compacted away never shows its end: a
		// long quiet poll ends the read.
		pollCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		fetches := cl.PollFetches(pollCtx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fetches.Empty() && pollCtx.Err() != nil {
			cfg.Logger.Warn("reading stopped before the end offsets", zap.String("topic", topic), zap.Any("remaining", remaining))
			return nil
		}
		var ferr error
		fetches.EachError(func(_ string, _ int32, err error) {
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				ferr = err
			}
		})
		if ferr != nil {
			return fmt.Errorf("reading %s: %w", topic, ferr)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			end, ok := remaining[r.Partition]
			if !ok || r.Offset >= end {
				return
			}
			if !r.Attrs.IsControl() {
				fn(r)
			}
			if r.Offset+1 >= end {
				delete(remaining, r.Partition)
			}
		})
	}
	return nil
}
