package sender

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
)

// Per-user order through the retry topic. Invariant: once a request of a user goes to
// the retry topic, every later request of that user (same instance) follows it there,
// and the retry side sends a user's retry records one at a time, in the order of the
// retry partition, each only after the one before it is final. Which users are held is
// in the OrderStore, so that it outlives restarts and is known to whichever process owns
// the delivery partition; the retry record names its pending id in headers.
const (
	headerOrderPart = "actuate-order-partition" // the delivery partition, "<topic>/<partition>"
	headerOrderID   = "actuate-order-id"        // the request's pending id (its delivery offset)
	headerOrderDL   = "actuate-order"           // on a dead letter: "broken", the user's next requests went on
)

var errOrderStore = errors.New("the order store failed within the last second")

func (p *partition) orderKey() string { return p.topic + "/" + strconv.Itoa(int(p.id)) }

func orderHeaders(r *kgo.Record) (part, id string) {
	for _, h := range r.Headers {
		switch h.Key {
		case headerOrderPart:
			part = string(h.Value)
		case headerOrderID:
			id = string(h.Value)
		}
	}
	if part == "" {
		id = ""
	}
	return part, id
}

// orderCtx bounds one call to the order store.
func (s *Sender) orderCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.work, 3*time.Second)
}

// inRetry reports whether a delivery-topic request's user is held in the retry topic.
// Users this process never saw held cost a map lookup; a held one costs a look at the
// store, which has the truth (the retry side releases them, maybe in another process).
func (s *Sender) inRetry(it *item) (bool, error) {
	p, user := it.part, string(it.key)
	p.omu.Lock()
	if !p.heldLoaded {
		if time.Since(p.heldFailed) < time.Second {
			// The store failed just now: the workers of the partition do not all wait
			// for it again.
			p.omu.Unlock()
			return false, errOrderStore
		}
		ctx, cancel := s.orderCtx()
		m, err := s.order.Held(ctx, p.orderKey())
		cancel()
		if err != nil {
			p.heldFailed = time.Now()
			p.omu.Unlock()
			return false, err
		}
		p.held, p.heldLoaded = m, true
	}
	n := p.held[user]
	p.omu.Unlock()
	if n == 0 {
		return false, nil
	}
	ctx, cancel := s.orderCtx()
	defer cancel()
	c, err := s.order.Count(ctx, p.orderKey(), user)
	if err != nil {
		return false, err
	}
	p.omu.Lock()
	if c == 0 {
		delete(p.held, user)
	} else {
		p.held[user] = c
	}
	p.omu.Unlock()
	return c > 0, nil
}

// holdInRetry makes a delivery-topic request pending in the store before its retry
// record is produced, so that its user's later requests follow it. fresh is false for a
// request that already went through the retry topic and is final there: a copy fetched
// again after a crash or a rebalance, before its forwarding was committed.
func (s *Sender) holdInRetry(it *item, ttl time.Duration) (part, id kgo.RecordHeader, fresh bool, err error) {
	p, user, oid := it.part, string(it.key), strconv.FormatInt(it.offset, 10)
	ctx, cancel := s.orderCtx()
	defer cancel()
	if fresh, err = s.order.Add(ctx, p.orderKey(), user, oid, ttl); err != nil || !fresh {
		return part, id, fresh, err
	}
	p.omu.Lock()
	if p.held == nil {
		p.held = map[string]int{}
	}
	p.held[user]++
	p.omu.Unlock()
	return kgo.RecordHeader{Key: headerOrderPart, Value: []byte(p.orderKey())}, kgo.RecordHeader{Key: headerOrderID, Value: []byte(oid)}, true, nil
}

// orderDone releases a retry record's pending id once its outcome is final: a copy of
// it fetched again (after a crash or a rebalance) is then skipped. A failure leaves the
// user held longer (its requests keep going through the retry topic) and is retried.
func (s *Sender) orderDone(it *item) {
	for i := range 3 {
		ctx, cancel := s.orderCtx()
		err := s.order.Done(ctx, it.orderPart, it.orderID)
		cancel()
		if err == nil {
			return
		}
		if i == 2 || s.work.Err() != nil {
			s.log.Warn("releasing a request's place in the retry topic failed; its user stays held until it expires",
				zap.String("partition", it.orderPart), zap.String("id", it.orderID), zap.Error(err))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// retrySeqs holds the retry records that hold their users' places, per delivery
// partition and user, in retry-partition order: only the head is scheduled.
type retrySeqs struct {
	mu sync.Mutex
	m  map[string][]*item
	n  int
}

func newRetrySeqs() *retrySeqs { return &retrySeqs{m: map[string][]*item{}} }

func seqKey(it *item) string { return it.orderPart + "\x00" + string(it.key) }

// add appends it to its user's sequence and reports whether it is the head.
func (q *retrySeqs) add(it *item) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := seqKey(it)
	q.m[k] = append(q.m[k], it)
	q.n++
	return len(q.m[k]) == 1
}

// next takes the final head it off its sequence and returns the new head, or nil.
func (q *retrySeqs) next(it *item) *item {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := seqKey(it)
	seq := q.m[k]
	if len(seq) == 0 || seq[0] != it {
		return nil
	}
	q.n--
	seq[0] = nil
	if seq = seq[1:]; len(seq) == 0 {
		delete(q.m, k)
		return nil
	}
	q.m[k] = seq
	return seq[0]
}

func (q *retrySeqs) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// drop forgets the sequences of revoked partitions (a user's records share one).
func (q *retrySeqs) drop(f func(*item) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for k, seq := range q.m {
		if f(seq[0]) {
			q.n -= len(seq)
			delete(q.m, k)
		}
	}
}

// fire routes a retry record that is due. One that holds its user's place is first
// checked to be still pending: if not, it is a copy of a request already final.
func (s *Sender) fire(it *item) {
	if it.orderID != "" && it.part.retry && !it.part.revoked.Load() {
		ctx, cancel := s.orderCtx()
		ok, err := s.order.Pending(ctx, it.orderPart, it.orderID)
		cancel()
		if err != nil {
			s.log.Warn("checking a retry record's place failed; trying again", zap.Error(err))
			s.delay.add(it, time.Now().Add(time.Second))
			return
		}
		if !ok {
			s.log.Debug("skipping a retry record already final", zap.String("partition", it.orderPart), zap.String("id", it.orderID))
			s.final(it)
			return
		}
	}
	s.route(it)
}

// delayed counts the retry records waiting in this process, for backpressure.
func (s *Sender) delayed() int { return s.delay.len() + s.seqs.len() }
