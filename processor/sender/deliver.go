package sender

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// process sends one unit of work and settles each of its requests.
func (s *Sender) process(w *work) {
	// The config is read again: the instance may have been disabled or changed while
	// these requests waited.
	ws := s.cfg.Workspace()
	var inst *workspace.Instance
	live := make([]*item, 0, len(w.items))
	for _, it := range w.items {
		if it.part.revoked.Load() || s.stopping.Load() {
			continue // abandoned: the partition's next owner sends it
		}
		it.acquire()
		in, a, stage, why := s.resolve(ws, it)
		if why != "" {
			s.deadLetter(it, in, stage, why, s.whyText(it, why))
			continue
		}
		inst, it.action = in, a
		if it.ordered && !it.part.retry {
			held, err := s.inRetry(it)
			if err != nil {
				// Unknown whether an earlier request of the user waits in the retry topic:
				// the lane holds this one (and the user's next) until the store answers.
				if !errors.Is(err, errOrderStore) { // said once a second per partition, not per request
					s.log.Warn("reading the users held in the retry topic failed; holding the request", zap.String("instance", in.ID), zap.Error(err))
				}
				it.unhold()
				it.retryIn = time.Second
				continue
			}
			if held {
				// Behind its user's earlier request in the retry topic, due at once.
				s.produceRetry(ws, in, it, time.Now(), 0)
				continue
			}
		}
		live = append(live, it)
	}
	if len(live) == 0 {
		return
	}
	// Waiting for a slot ends at shutdown (intake): nothing new starts then. A request
	// already at the destination keeps s.work until the grace period is over.
	release, err := s.limiter.Acquire(s.intake, inst.ID,
		ratelimit.Limit{PerSecond: inst.Delivery.RequestsPerSecond, Concurrency: inst.Delivery.Concurrency})
	if err != nil {
		for _, it := range live {
			it.unhold()
		}
		return
	}
	// The wait may have been long; partitions given up meanwhile are someone else's now.
	kept := live[:0]
	for _, it := range live {
		if it.part.dead.Load() {
			it.unhold()
			continue
		}
		kept = append(kept, it)
	}
	if live = kept; len(live) == 0 {
		release()
		return
	}
	start := time.Now()
	for _, it := range live {
		it.attempts++
		if it.first.IsZero() {
			it.first = start
		}
	}
	a := live[0].action
	if w.batch {
		payloads := make([][]byte, len(live))
		for i, it := range live {
			payloads[i] = it.req.Payload
		}
		errs := s.dest.SendBatch(s.work, inst.Dest, a, payloads)
		release()
		s.cfg.Metrics.RequestDuration.WithLabelValues(inst.ID, a.Key).Observe(time.Since(start).Seconds())
		for i, it := range live {
			s.settle(ws, inst, it, errs[i])
		}
		return
	}
	err = s.dest.Send(s.work, inst.Dest, a, live[0].req.Payload)
	release()
	s.cfg.Metrics.RequestDuration.WithLabelValues(inst.ID, a.Key).Observe(time.Since(start).Seconds())
	s.settle(ws, inst, live[0], err)
}

// settle turns an attempt's result into the request's next step.
func (s *Sender) settle(ws *workspace.Workspace, inst *workspace.Instance, it *item, err error) {
	if it.part.dead.Load() || s.work.Err() != nil {
		it.unhold() // the grace period is over: someone else owns the outcome now
		return
	}
	v := destkit.Classify(err)
	switch v.Outcome {
	case destkit.Delivered:
		s.count(it, metrics.SendDelivered, "")
		s.final(it)
	case destkit.Retry:
		s.retry(ws, inst, it, err, v.RetryAfter)
	default:
		// Reauthenticate cannot reach here for OAuth destinations (the client refreshes
		// once and returns an AuthError); anywhere else a 401 needs a person.
		s.deadLetter(it, inst, schemas.StageDeliver, reason(err), s.errText(inst, err))
	}
}

func (s *Sender) retry(ws *workspace.Workspace, inst *workspace.Instance, it *item, err error, retryAfter time.Duration) {
	it.lastErr = s.errText(inst, err)
	d := s.cfg.Backoff.Delay(int(it.attempts), retryAfter, jitter)
	at := time.Now().Add(d)
	if s.expired(it, inst, at) {
		s.deadLetter(it, inst, schemas.StageExpire, ReasonMaxAge,
			fmt.Sprintf("gave up after %d attempts: the next one (in %v) would be past the max age of %v; last error: %s",
				it.attempts, d.Round(time.Millisecond), maxAge(inst), it.lastErr))
		return
	}
	s.count(it, metrics.SendRetried, reason(err))
	s.log.Debug("retrying", zap.String("instance", it.req.Instance), zap.String("mapping", it.req.Mapping),
		zap.Int32("attempts", it.attempts), zap.Duration("in", d), zap.String("reason", reason(err)))
	if it.orderID != "" {
		// A retry record holding its user's place waits here, however long: produced
		// again it would land behind the user's later requests. Unsettled, it holds its
		// partition's commit point, so a restart finds it again.
		it.unhold()
		it.retryIn = d
		return
	}
	if d <= s.cfg.InlineRetryMax {
		if it.ordered {
			// The lane holds it, and its user's later requests behind it (order.go).
			it.unhold()
			it.retryIn = d
			return
		}
		s.retryInline(it, d)
		return
	}
	s.produceRetry(ws, inst, it, at, d)
}

// retryInline brings the item back to its lane after d. Waiting holds no worker and does
// not count as in flight: a revocation abandons it.
func (s *Sender) retryInline(it *item, d time.Duration) {
	it.unhold()
	time.AfterFunc(d, func() { s.route(it) })
}

// produceRetry hands a request to the retry topic, due at `at`. With per-user ordering
// a delivery-topic request first takes its place in the order store (retryorder.go): its
// user's later requests follow it into the retry topic.
func (s *Sender) produceRetry(ws *workspace.Workspace, inst *workspace.Instance, it *item, at time.Time, d time.Duration) {
	next := *it.req
	next.Attempt, next.FirstAttemptAt, next.NotBefore, next.LastError = it.attempts, it.first, at, it.lastErr
	val, err := schemas.AppendActionRequest(nil, &next)
	if err != nil {
		s.deadLetter(it, inst, schemas.StageDeliver, ReasonRetryEncoding, err.Error())
		return
	}
	rec := &kgo.Record{Topic: s.cfg.RetryTopic, Key: it.key, Value: val}
	placed := it.ordered && !it.part.retry
	if placed {
		part, id, fresh, err := s.holdInRetry(it, maxAge(inst)+time.Hour)
		if err == nil && !fresh {
			s.log.Debug("skipping a request already final through the retry topic",
				zap.String("instance", it.req.Instance), zap.String("topic", it.part.topic), zap.Int64("offset", it.offset))
			s.final(it)
			return
		}
		if err != nil {
			// Its user cannot be held across processes: it waits here instead, holding
			// the user in the lane and its partition's commit point.
			s.log.Warn("recording a request's place in the retry topic failed; retrying in-process",
				zap.String("instance", it.req.Instance), zap.Error(err))
			it.unhold()
			it.retryIn = max(d, time.Second)
			return
		}
		rec.Headers = []kgo.RecordHeader{part, id}
	}
	s.produceRetryRecord(it, rec, placed, d)
}

func (s *Sender) produceRetryRecord(it *item, rec *kgo.Record, placed bool, d time.Duration) {
	s.cl.Produce(s.work, rec, func(_ *kgo.Record, err error) {
		if err == nil {
			s.final(it)
			return
		}
		if it.part.dead.Load() || s.stopping.Load() {
			it.unhold()
			return
		}
		if placed {
			// Its place is taken and its user's next requests may be following it: it
			// must get there, not be sent from here.
			s.log.Warn("producing a retry record failed; trying again", zap.String("instance", it.req.Instance), zap.Error(err))
			rec.Partition, rec.Offset = 0, 0
			time.AfterFunc(time.Second, func() { s.produceRetryRecord(it, rec, placed, d) })
			return
		}
		// The request is not lost: it waits in-process instead, and the offset stays
		// uncommitted until it ends somewhere final.
		s.log.Warn("producing a retry record failed; retrying in-process", zap.String("instance", it.req.Instance), zap.Error(err))
		s.retryInline(it, d)
	})
}

// deadLetter writes the item to the dead-letter topic; the item is final once the broker
// has it. inst may be nil (unknown instance, undecodable record).
func (s *Sender) deadLetter(it *item, inst *workspace.Instance, stage schemas.Stage, why, text string) {
	it.acquire()
	dl := &schemas.DeadLetter{
		Stage: stage, Reason: why, Error: text, Original: it.raw,
		Topic: it.part.topic, Partition: it.part.id, Offset: it.offset,
		Attempts: it.attempts, OccurredAt: time.Now(),
	}
	if it.req != nil {
		dl.Original, dl.Instance, dl.Mapping, dl.Action = it.req.Payload, it.req.Instance, it.req.Mapping, it.req.Action
		if inst != nil {
			// A mapping may hold a secret as a literal (an SFTP password): dead letters
			// never carry one. Replaying such a dead letter routes the event again.
			dl.Original = inst.Masker().MaskBytes(dl.Original)
		}
	}
	if it.ordered || it.orderID != "" {
		dl.Error += "; per-user order broken here: the user's later requests are sent without this one"
	}
	val, err := schemas.AppendDeadLetter(nil, dl)
	if err != nil {
		// Only a defect in our own schema gets here; the record stays uncommitted.
		s.log.Error("encoding a dead letter failed", zap.Error(err))
		it.unhold()
		return
	}
	s.produceDeadLetter(it, dl, val)
}

func (s *Sender) produceDeadLetter(it *item, dl *schemas.DeadLetter, val []byte) {
	rec := &kgo.Record{Topic: s.cfg.DLQTopic, Key: it.key, Value: val}
	if it.ordered || it.orderID != "" {
		rec.Headers = []kgo.RecordHeader{{Key: headerOrderDL, Value: []byte("broken")}}
	}
	s.cl.Produce(s.work, rec, func(_ *kgo.Record, err error) {
		if err == nil {
			s.count(it, metrics.SendDeadLettered, dl.Reason)
			s.log.Warn("dead letter",
				zap.String("stage", string(dl.Stage)), zap.String("reason", dl.Reason), zap.String("error", dl.Error),
				zap.String("instance", dl.Instance), zap.String("mapping", dl.Mapping), zap.String("action", dl.Action),
				zap.String("topic", dl.Topic), zap.Int32("partition", dl.Partition), zap.Int64("offset", dl.Offset),
				zap.Int32("attempts", dl.Attempts))
			s.final(it)
			return
		}
		if it.part.dead.Load() || s.stopping.Load() {
			it.unhold()
			return
		}
		s.log.Warn("producing a dead letter failed; trying again", zap.Error(err))
		time.AfterFunc(time.Second, func() { s.produceDeadLetter(it, dl, val) })
	})
}

func (s *Sender) count(it *item, outcome, why string) {
	var inst, mapping string
	if it.req != nil {
		inst, mapping = it.req.Instance, it.req.Mapping
	}
	s.cfg.Metrics.SendOutcomes.WithLabelValues(inst, mapping, outcome, why).Inc()
}

// errText renders err without the instance's secrets, including OAuth tokens refreshed
// since the config was written.
func (s *Sender) errText(inst *workspace.Instance, err error) string {
	var secrets []string
	if inst != nil {
		secrets = inst.Secrets()
	}
	if inst != nil && inst.Definition.Auth.IsOAuth() {
		ctx, cancel := context.WithTimeout(s.work, time.Second)
		if t, ok, gerr := s.cfg.Tokens.Get(ctx, inst.ID); gerr == nil && ok {
			secrets = append(secrets, t.AccessToken, t.RefreshToken)
		}
		cancel()
	}
	return scrub(err, secrets)
}
