package sender

import (
	"hash/fnv"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
)

// lane is one destination instance's queues, batcher and workers. Lanes share nothing
// but the Kafka client, so a slow or failing instance only ever fills its own queues.
//
// Each worker has its own queue and requests are assigned by user key, so two requests of
// one user are never in flight at once and reach the destination in the order of their
// partition. The price is head-of-line blocking among the users that share a worker,
// which is why a free worker does not steal from a busy one. Batches go round the
// workers; with per-user ordering (order.go) a user's requests wait while an earlier one
// is being retried or is in a batch that has not settled.
type lane struct {
	batchSeq uint64 // spreads batches over the workers
	s        *Sender
	id       string

	mu      sync.Mutex
	shards  []*shard
	target  int // workers wanted: the instance's Delivery.Concurrency
	batches map[string]*pendingBatch
	users   map[string]*line // per-user order (order.go): users with requests out or waiting
	// settling is settledLocked's list of the lines a unit touched, kept between calls so
	// that settling a request does not allocate.
	settling []settledLine
	queued   int // items the lane holds: queued, batched, being sent, parked or waiting for a retry
	pauseAt  int // queued items at which the lane's topics are paused (for the latest item's action); resumed at half
	topics   map[string]bool
	paused   bool
	closed   bool
	used     time.Time // last add
}

type shard struct {
	queue []*work
	alive bool
	wake  chan struct{}
}

// work is what one worker sends in one go: a single request, or a batch of requests
// for one action that share their batch keys.
type work struct {
	items   []*item
	batch   bool
	flushed bool // a batch handed to a worker: no more items join it
	hash    uint64
}

type pendingBatch struct {
	w     *work
	max   int
	timer *time.Timer
}

func newLane(s *Sender, id string) *lane {
	return &lane{s: s, id: id, batches: map[string]*pendingBatch{}, users: map[string]*line{}, topics: map[string]bool{}}
}

// add queues an item, into a batch when its action has a batch form. It never blocks:
// backpressure is applied by pausing the lane's topics instead. It returns false when the
// lane is closed; the caller then uses a fresh lane.
func (l *lane) add(it *item, inst *workspace.Instance) bool {
	limit := batchLimit(inst, it.action)
	it.batchKey, it.batched, it.batchMax = "", false, limit
	if limit > 1 {
		var size int
		it.batchKey, it.batched, size = batchKey(it, inst)
		if size > 0 && size < it.batchMax {
			it.batchMax = size
		}
	}
	it.batchWait = inst.Delivery.BatchWait
	if it.batchWait <= 0 {
		it.batchWait = workspace.DefaultBatchWait
	}
	if it.holder == nil { // a head stays ordered until it settles
		// A retry record that holds its user's place in the retry topic is ordered
		// whatever the instance says now: only it can let the user's next one go.
		it.ordered = (!inst.Delivery.Unordered || it.orderID != "") && len(it.key) > 0
		it.lineKey = ""
		if it.ordered {
			it.lineKey = string(it.key) // only ordered items have a line
		}
		if it.ordered && it.part.retry {
			// Retry records are ordered by their sequence (retryorder.go); their lane line
			// is apart from the delivery topic's, whose requests of a user held in the
			// retry topic are forwarded there rather than parked here.
			it.lineKey = "\x00retry\x00" + it.lineKey
		}
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.used = time.Now()
	l.scaleLocked(inst.Delivery.Concurrency)
	head := l.isHeadLocked(it)
	if !head {
		l.queued++ // a head back from its retry wait was counted all along
	}
	if !it.part.retry {
		l.topics[it.part.topic] = true
	}
	if head {
		var front []*work // it waited already: ahead of its user's requests still queued
		l.placeLocked(it, &front, false)
		l.pushFrontLocked(front)
	} else {
		l.placeLocked(it, nil, false)
	}
	l.pauseAt = pauseThreshold(l.s.cfg.MaxQueued, l.target, limit)
	if l.queued > l.pauseAt && !l.paused {
		l.setPausedLocked(true)
	}
	l.mu.Unlock()
	return true
}

// placeLocked hands an item to a worker's queue or to a batch, or, with per-user
// ordering, parks it behind its user's earlier requests (unless release says that it
// goes now). With front, a single request is collected there instead, for the caller to
// put at the head of its worker's queue.
func (l *lane) placeLocked(it *item, front *[]*work, release bool) {
	var u *line
	if it.ordered {
		u = l.lineLocked(it)
		if !release && !u.mayGo(l, it) {
			u.parked = append(u.parked, it)
			return
		}
		u.out++
	}
	if it.batched {
		b := l.batches[it.batchKey]
		if b == nil {
			// Batches go round the workers: hashing the batch key would put every batch of
			// an instance's busiest key on one worker, one batch in flight at a time.
			l.batchSeq++
			b = &pendingBatch{w: &work{batch: true, hash: l.batchSeq}, max: it.batchMax}
			l.batches[it.batchKey] = b
			key := it.batchKey
			b.timer = time.AfterFunc(it.batchWait, func() { l.flush(key, b) })
		}
		b.w.items = append(b.w.items, it)
		if u != nil {
			u.via = b.w
		}
		if len(b.w.items) >= b.max {
			l.flushLocked(it.batchKey, b)
		}
		return
	}
	h := hashOf(it.key)
	if len(it.key) == 0 {
		h = uint64(it.offset) // no user: no order to keep, spread them
	}
	if u != nil {
		u.via = nil
	}
	w := &work{items: []*item{it}, hash: h}
	if front != nil {
		*front = append(*front, w)
		return
	}
	l.pushLocked(w)
}

// setPausedLocked pauses or resumes fetching the lane's topics. It acts under the lane's
// lock: a resume decided by a worker and a pause decided by add must reach the consumer in
// the order they were decided, or a topic can stay paused with nothing left to resume it.
func (l *lane) setPausedLocked(on bool) {
	l.paused = on
	for t := range l.topics {
		l.s.pause(t, on)
	}
}

// pauseThreshold is how many items a lane of workers sending batches of up to batch items
// may hold before its topics are paused. Batching lanes hold up to two full batches per
// worker (paused at MaxQueued, a lane of 32 workers and batches of 100 had its workers
// half idle; bench/RESULTS.md, "Sender batching"), within 4 × maxQueued so that batches
// of 1,000 do not hold a lane's memory unbounded.
func pauseThreshold(maxQueued, workers, batch int) int {
	return max(maxQueued, min(2*workers*batch, 4*maxQueued))
}

func hashOf(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func (l *lane) flush(key string, b *pendingBatch) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.batches[key] == b {
		l.flushLocked(key, b)
	}
}

func (l *lane) flushLocked(key string, b *pendingBatch) {
	delete(l.batches, key)
	b.timer.Stop()
	b.w.flushed = true
	l.pushLocked(b.w)
}

func (l *lane) pushLocked(w *work) {
	if l.closed {
		return
	}
	sh := l.shards[w.hash%uint64(l.target)]
	sh.queue = append(sh.queue, w)
	select {
	case sh.wake <- struct{}{}:
	default:
	}
}

// scaleLocked follows the instance's concurrency as the config changes. Queued work is
// redistributed over the new set of queues in its current order, so a change can reorder
// only requests that were already waiting in different queues.
func (l *lane) scaleLocked(n int) {
	if n <= 0 {
		n = workspace.DefaultConcurrency
	}
	if n == l.target {
		return
	}
	var pending []*work
	for _, sh := range l.shards {
		pending = append(pending, sh.queue...)
		sh.queue = nil
	}
	for len(l.shards) < n {
		l.shards = append(l.shards, &shard{wake: make(chan struct{}, 1)})
	}
	l.target = n
	for i, sh := range l.shards {
		if i >= n {
			select { // let a surplus worker see that it should leave
			case sh.wake <- struct{}{}:
			default:
			}
			continue
		}
		if !sh.alive {
			sh.alive = true
			l.s.workers.Add(1)
			go l.worker(i)
		}
	}
	for _, w := range pending {
		l.pushLocked(w)
	}
}

func (l *lane) worker(i int) {
	defer l.s.workers.Done()
	for {
		w := l.next(i)
		if w == nil {
			return
		}
		l.s.process(w)
		l.finished(w)
	}
}

func (l *lane) next(i int) *work {
	for {
		l.mu.Lock()
		sh := l.shards[i]
		if l.closed || i >= l.target {
			sh.alive = false
			l.mu.Unlock()
			return nil
		}
		if len(sh.queue) > 0 {
			w := sh.queue[0]
			sh.queue[0] = nil
			sh.queue = sh.queue[1:]
			if l.overtakenLocked(w) {
				l.mu.Unlock()
				continue
			}
			l.mu.Unlock()
			return w
		}
		l.mu.Unlock()
		<-sh.wake
	}
}

// finished takes a unit of work back from its worker: requests that settled leave the
// lane; with per-user ordering a request waiting for an in-process retry stays, holding
// its user (order.go).
func (l *lane) finished(w *work) {
	l.mu.Lock()
	l.queued -= l.settledLocked(w)
	l.resumeLocked()
	l.mu.Unlock()
}

// resumeLocked resumes the lane's topics once its queue has drained to half.
func (l *lane) resumeLocked() {
	if l.paused && l.queued <= l.pauseAt/2 {
		l.setPausedLocked(false)
	}
}

// closeIfIdle closes the lane if nothing was added for idle and nothing is queued or
// being sent, so instances removed from the config do not keep their workers.
func (l *lane) closeIfIdle(idle time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.queued > 0 || len(l.batches) > 0 || time.Since(l.used) < idle {
		return false
	}
	l.closeLocked()
	return true
}

// close abandons everything queued: none of it is final, so none of it is committed.
func (l *lane) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closeLocked()
}

func (l *lane) closeLocked() {
	l.closed = true
	for _, b := range l.batches {
		b.timer.Stop()
	}
	l.batches = nil
	l.users = map[string]*line{}
	for _, sh := range l.shards {
		sh.queue = nil
		select {
		case sh.wake <- struct{}{}:
		default:
		}
	}
}

// batchLimit is the largest batch for the action at this instance; 1 or less means the
// action is sent one request at a time. Delivery.BatchSize 1 turns batching off.
func batchLimit(inst *workspace.Instance, a *destkit.Action) int {
	if a == nil || a.Batch == nil || !a.Batches() {
		return 0
	}
	n := a.Batch.MaxSize
	if n <= 0 {
		n = 1000 // Segment's default batch_size
	}
	if d := inst.Delivery.BatchSize; d > 0 && d < n {
		n = d
	}
	return n
}

var batchParsers fastjson.ParserPool

// batchKey groups requests that may share a batch: same mapping and action, and equal
// values of the batch keys — the payload's own batch_keys when it lists them (the
// mapping may set them, as in Segment), the action's otherwise.
//
// Batching is opt-in, as on Segment's platform: a payload is batched when its mapping sets
// enable_batching to true, or when the instance's delivery.batch_size asks for batches.
// Otherwise a mapping written for Segment would see its requests change shape (a webhook
// would receive an array instead of the object it was getting).
//
// size is the mapping's own batch_size (Segment's field of that name, which caps its
// subscription's batches), 0 when it gives none; the caller keeps the smaller of it and
// batchLimit. It is part of the key, so payloads asking for different sizes never share a
// batch.
func batchKey(it *item, inst *workspace.Instance) (key string, batched bool, size int) {
	p := batchParsers.Get()
	defer batchParsers.Put(p)
	v, err := p.ParseBytes(it.req.Payload)
	if err != nil {
		return "", false, 0 // the send reports the bad payload
	}
	switch eb := v.Get("enable_batching"); {
	case eb != nil && eb.Type() == fastjson.TypeTrue:
	case eb == nil && inst.Delivery.BatchSize > 1:
	default:
		return "", false, 0
	}
	if bs := v.Get("batch_size"); bs != nil && bs.Type() == fastjson.TypeNumber {
		if f := bs.GetFloat64(); f >= 1 && f <= math.MaxInt32 {
			size = int(f)
		}
	}
	keys := it.action.Batch.Keys
	if arr := v.GetArray("batch_keys"); arr != nil {
		keys = keys[:0:0]
		for _, k := range arr {
			if s, err := k.StringBytes(); err == nil {
				keys = append(keys, string(s))
			}
		}
	}
	b := make([]byte, 0, 64)
	b = append(b, it.req.Mapping...)
	b = append(b, 0)
	b = append(b, it.action.Key...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(size), 10)
	for _, k := range keys {
		b = append(b, 0)
		if x := v.Get(k); x != nil {
			b = x.MarshalTo(b)
		}
	}
	return string(b), true, size
}
