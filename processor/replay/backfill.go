package replay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/workspace"
)

// BackfillRequest sends a time range of a source's events through one destination's
// current mappings (a newly added destination, say).
type BackfillRequest struct {
	ID          string
	Source      string
	Destination string
	// Since and Until bound the events' record timestamps; zero for the topic's start
	// or its end when the backfill starts.
	Since, Until time.Time
	// Rate bounds the events read per second; 0 for no bound. Delivery is then rate
	// limited by the senders like live traffic, as the requests go through the
	// destination's delivery topic.
	Rate   float64
	DryRun bool
}

// span is a range of offsets, both ends included, that a backfill has done.
type span [2]int64

// backfillKey names a partition's done spans for a destination on the marker topic.
func backfillKey(instance, topic string, partition int32) string {
	return "backfill/" + instance + "/" + topic + "/" + strconv.Itoa(int(partition))
}

// Backfill routes the source's events in the range through the destination's enabled
// mappings, as the pipeline routes live events today, and writes their action requests
// to the destination's delivery topic. Offsets done are marked per partition (spans on
// the marker topic, in the same transaction as the requests), so an event is backfilled
// to a destination at most once however often a range is run; an event that is filtered
// or matches no mapping counts as done too. The counts are a Result, with Outcomes as in
// a replay (already_replayed: backfilled before).
func Backfill(ctx context.Context, cfg Config, req BackfillRequest) (*Result, error) {
	cfg.defaults()
	if req.ID == "" {
		var b [6]byte
		rand.Read(b[:])
		req.ID = "b-" + hex.EncodeToString(b[:])
	}
	if !req.Since.IsZero() && !req.Until.IsZero() && !req.Until.After(req.Since) {
		return nil, fmt.Errorf("%w: until is not after since", ErrInvalid)
	}
	if req.Rate < 0 {
		return nil, fmt.Errorf("%w: a negative rate", ErrInvalid)
	}
	ws := cfg.Workspace()
	if ws == nil || ws.Instance(req.Destination) == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownDestination, req.Destination)
	}
	var src *workspace.Source
	for _, s := range ws.Sources {
		if s.ID == req.Source {
			src = s
		}
	}
	if src == nil {
		return nil, fmt.Errorf("%w: unknown source %q", ErrInvalid, req.Source)
	}
	if !slices.Contains(src.Instances, ws.Instance(req.Destination)) {
		return nil, fmt.Errorf("%w: destination %q is not connected to source %q", ErrInvalid, req.Destination, req.Source)
	}
	res := &Result{ID: req.ID, Destination: req.Destination, Mode: ModeRoute, DryRun: req.DryRun, Outcomes: map[string]int64{}, Skipped: map[string]int64{}}
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
			kgo.TransactionalID("actuate-backfill-" + req.Destination), kgo.TransactionTimeout(time.Minute)}, cfg.ClientOptions...)...)
		if err != nil {
			return nil, err
		}
		defer txn.Close()
		if _, _, err := txn.ProducerID(ctx); err != nil {
			return nil, fmt.Errorf("opening the backfill's transactional producer: %w", err)
		}
	}
	done := map[string][]span{}
	prefix := "backfill/" + req.Destination + "/"
	if err := readToEnd(ctx, cfg, cfg.MarkerTopic, func(r *kgo.Record) {
		if strings.HasPrefix(string(r.Key), prefix) {
			var spans []span
			if json.Unmarshal(r.Value, &spans) == nil {
				done[string(r.Key)] = spans
			}
		}
	}); err != nil {
		return nil, fmt.Errorf("reading backfill markers: %w", err)
	}

	rreq := Request{ID: req.ID, Destination: req.Destination, DryRun: req.DryRun}
	b := &batch{cfg: &cfg, req: &rreq, res: res, txn: txn, plain: plain, from: time.Now().UTC(), noMarkers: true}
	// This run's span per partition, from its first offset to its last.
	run := map[string]span{}
	b.extra = func() []*kgo.Record {
		var recs []*kgo.Record
		for key, sp := range run {
			value, _ := json.Marshal(mergeSpan(done[key], sp))
			recs = append(recs, &kgo.Record{Topic: cfg.MarkerTopic, Key: []byte(key), Value: value})
		}
		return recs
	}
	b.committed = func() {
		for key, sp := range run {
			done[key] = mergeSpan(done[key], sp)
		}
	}
	dec := NewDecider(cfg.DLQTopic, cfg.Limits)
	if cfg.Rows != nil {
		dec.route.SetRows(cfg.Rows)
	}
	dec.route.SetSuppression(cfg.Suppression)
	var pace time.Duration
	if req.Rate > 0 {
		pace = time.Duration(float64(time.Second) / req.Rate)
	}
	next := time.Now()
	var failed error
	for _, topic := range src.Topics {
		from, to, err := offsets(ctx, cfg, topic, req.Since, req.Until)
		if err != nil {
			return res, err
		}
		err = readRange(ctx, cfg, topic, from, to, func(r *kgo.Record) {
			if failed != nil || ctx.Err() != nil {
				return
			}
			if pace > 0 {
				if wait := time.Until(next); wait > 0 {
					select {
					case <-ctx.Done():
						return
					case <-time.After(wait):
					}
				}
				next = maxTime(next, time.Now().Add(-pace)).Add(pace)
			}
			res.Scanned++
			res.Selected++
			key := backfillKey(req.Destination, r.Topic, r.Partition)
			if covered(done[key], r.Offset) {
				b.count(OutcomeAlreadyReplayed, "", 0)
				return
			}
			writeKey := ""
			for _, h := range r.Headers {
				if h.Key == "write_key" {
					writeKey = string(h.Value)
				}
			}
			b.add("", dec.Event(cfg.Workspace(), req.Source, req.Destination, r.Value, writeKey, r.Topic, r.Partition, r.Offset, r.Key))
			sp, ok := run[key]
			if !ok {
				sp[0] = r.Offset
			}
			sp[1] = r.Offset
			run[key] = sp
			if b.size >= cfg.BatchSize {
				failed = b.commit(ctx)
			}
		})
		if err == nil {
			err = failed
		}
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return res, err
		}
	}
	if err := b.commit(ctx); err != nil {
		return res, err
	}
	cfg.Logger.Info("backfill finished", zap.String("backfill", req.ID), zap.String("source", req.Source), zap.String("destination", req.Destination),
		zap.Bool("dry_run", req.DryRun), zap.Int64("events", res.Scanned), zap.Any("outcomes", res.Outcomes), zap.Int64("requests", res.Requests))
	return res, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// covered reports whether offset is in one of spans.
func covered(spans []span, offset int64) bool {
	for _, s := range spans {
		if offset >= s[0] && offset <= s[1] {
			return true
		}
	}
	return false
}

// mergeSpan adds s to spans, merging those that overlap or touch, in order.
func mergeSpan(spans []span, s span) []span {
	all := append(slices.Clone(spans), s)
	slices.SortFunc(all, func(a, b span) int { return int(min(max(a[0]-b[0], -1), 1)) })
	out := all[:1]
	for _, x := range all[1:] {
		last := &out[len(out)-1]
		if x[0] <= last[1]+1 {
			last[1] = max(last[1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}
