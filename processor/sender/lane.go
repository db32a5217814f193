package sender

import (
	"sync"
	"time"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
)

// lane is one destination instance's queue, batcher and worker pool. Lanes share nothing
// but the Kafka client, so a slow or failing instance only ever fills its own queue.
type lane struct {
	s  *Sender
	id string

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []*work
	batches map[string]*pendingBatch
	running int // workers alive
	target  int // workers wanted: the instance's Delivery.Concurrency
	queued  int // items taken and not yet through a worker
	topics  map[string]bool
	paused  bool
	closed  bool
}

// work is what one worker sends in one go: a single request, or a batch of requests
// for one action that share their batch keys.
type work struct {
	items []*item
	batch bool
}

type pendingBatch struct {
	w     *work
	max   int
	timer *time.Timer
}

func newLane(s *Sender, id string) *lane {
	l := &lane{s: s, id: id, batches: map[string]*pendingBatch{}, topics: map[string]bool{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// add queues an item, into a batch when its action has a batch form. It never blocks:
// backpressure is applied by pausing the lane's topics instead.
func (l *lane) add(it *item, inst *workspace.Instance) {
	limit := batchLimit(inst, it.action)
	var key string
	batched := false
	if limit > 1 {
		key, batched = batchKey(it)
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return // stopping: abandoned
	}
	l.queued++
	if !it.part.retry {
		l.topics[it.part.topic] = true
	}
	if batched {
		b := l.batches[key]
		if b == nil {
			b = &pendingBatch{w: &work{batch: true}, max: limit}
			l.batches[key] = b
			wait := inst.Delivery.BatchWait
			if wait <= 0 {
				wait = workspace.DefaultBatchWait
			}
			b.timer = time.AfterFunc(wait, func() { l.flush(key, b) })
		}
		b.w.items = append(b.w.items, it)
		if len(b.w.items) >= b.max {
			l.flushLocked(key, b)
		}
	} else {
		l.pushLocked(&work{items: []*item{it}})
	}
	l.scaleLocked(inst.Delivery.Concurrency)
	var pause []string
	if l.queued > l.s.cfg.MaxQueued && !l.paused {
		l.paused = true
		for t := range l.topics {
			pause = append(pause, t)
		}
	}
	l.mu.Unlock()
	for _, t := range pause {
		l.s.pause(t, true)
	}
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
	l.pushLocked(b.w)
}

func (l *lane) pushLocked(w *work) {
	l.queue = append(l.queue, w)
	l.cond.Signal()
}

// scaleLocked follows the instance's concurrency as the config changes: new workers
// start at once, surplus ones leave after their current request.
func (l *lane) scaleLocked(n int) {
	if n <= 0 {
		n = workspace.DefaultConcurrency
	}
	if n != l.target {
		l.target = n
		l.cond.Broadcast()
	}
	for l.running < l.target {
		l.running++
		l.s.workers.Add(1)
		go l.worker()
	}
}

func (l *lane) worker() {
	defer l.s.workers.Done()
	for {
		w := l.next()
		if w == nil {
			return
		}
		l.s.process(w)
		l.finished(len(w.items))
	}
}

func (l *lane) next() *work {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if l.closed || l.running > l.target {
			l.running--
			return nil
		}
		if len(l.queue) > 0 {
			w := l.queue[0]
			l.queue[0] = nil
			l.queue = l.queue[1:]
			return w
		}
		l.cond.Wait()
	}
}

func (l *lane) finished(n int) {
	l.mu.Lock()
	l.queued -= n
	var resume []string
	if l.paused && l.queued <= l.s.cfg.MaxQueued/2 {
		l.paused = false
		for t := range l.topics {
			resume = append(resume, t)
		}
	}
	l.mu.Unlock()
	for _, t := range resume {
		l.s.pause(t, false)
	}
}

// close abandons everything queued: none of it is final, so none of it is committed.
func (l *lane) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for _, b := range l.batches {
		b.timer.Stop()
	}
	l.batches = nil
	l.queue = nil
	l.cond.Broadcast()
}

// batchLimit is the largest batch for the action at this instance; 1 or less means the
// action is sent one request at a time. Delivery.BatchSize 1 turns batching off.
func batchLimit(inst *workspace.Instance, a *destkit.Action) int {
	if a == nil || a.Batch == nil || a.PerformBatch == nil {
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
// mapping may set them, as in Segment), the action's otherwise. A payload with
// enable_batching false is sent alone.
func batchKey(it *item) (string, bool) {
	p := batchParsers.Get()
	defer batchParsers.Put(p)
	v, err := p.ParseBytes(it.req.Payload)
	if err != nil {
		return "", false // the send reports the bad payload
	}
	if eb := v.Get("enable_batching"); eb != nil && eb.Type() == fastjson.TypeFalse {
		return "", false
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
	for _, k := range keys {
		b = append(b, 0)
		if x := v.Get(k); x != nil {
			b = x.MarshalTo(b)
		}
	}
	return string(b), true
}
