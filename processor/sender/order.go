package sender

import "time"

// Per-user order inside a lane. Invariant: a user's requests (of one instance, with
// delivery.ordering per_user, the default) reach the destination in the order the lane
// took them in — which is partition order — also when one of them is retried in
// process: while a request of a user waits for its retry (the user's head), the user's
// later requests are parked, in order, and hold no worker; other users go on.
//
// A user's requests are "out" while they are in a worker's queue, in a batch or being
// sent. More may go out behind them only where they cannot overtake: single requests
// all queue on the user's worker (a FIFO), and batched ones join the same batch while it
// is still filling. Otherwise, and always while the user is held, they are parked. When
// the head settles (delivered, dead-lettered, handed to the retry topic), the parked
// requests go back, in order, to the front of the user's worker queue or into a batch.
//
// Parked requests and heads stay counted in the lane's queue (backpressure) and are not
// final, so the commit point holds them: a crash or a rebalance redelivers them in order.
type line struct {
	out    int     // requests handed to a worker and not yet back
	via    *work   // where they are: nil, the user's worker queue; else that batch
	head   *item   // waiting for an in-process retry
	parked []*item // the user's later requests, in order
	// early counts the parked requests taken off the worker queue because the user was
	// held (parked[:early]); they are older than the user's requests still queued, so
	// they go back as soon as the head settles, ahead of those.
	early int
}

func (l *lane) lineLocked(it *item) *line {
	u := l.users[it.lineKey]
	if u == nil {
		u = &line{}
		l.users[it.lineKey] = u
	}
	return u
}

func (l *lane) isHeadLocked(it *item) bool {
	if !it.ordered {
		return false
	}
	u := l.users[it.lineKey]
	return u != nil && u.head == it
}

// mayGo reports whether it may go out now rather than be parked.
func (u *line) mayGo(l *lane, it *item) bool {
	if u.head != nil {
		return u.head == it
	}
	return len(u.parked) == 0 && u.follows(l, it)
}

// follows reports whether it, going out now, cannot overtake the user's requests out.
func (u *line) follows(l *lane, it *item) bool {
	if u.out == 0 {
		return true
	}
	if !it.batched {
		return u.via == nil
	}
	b := l.batches[it.batchKey]
	return b != nil && u.via == b.w && !b.w.flushed
}

// overtakenLocked is called for each unit a worker takes from its queue: a single
// request of a user who became held after it was queued is parked instead of sent.
func (l *lane) overtakenLocked(w *work) bool {
	if w.batch || len(w.items) != 1 || !w.items[0].ordered {
		return false
	}
	it := w.items[0]
	u := l.users[it.lineKey]
	if u == nil || u.head == nil || u.head == it {
		return false
	}
	u.out--
	u.parked = append(u.parked, nil)
	copy(u.parked[u.early+1:], u.parked[u.early:])
	u.parked[u.early] = it
	u.early++
	return true
}

// settledLocked takes a unit of work back and returns how many of its requests left the
// lane. A request that is to be retried in process (retryIn, set by Sender.retry)
// becomes its user's head and is routed again when due; the user's other requests of
// the same batch that are to be retried wait right behind it, ahead of the parked ones.
func (l *lane) settledLocked(w *work) int {
	left := 0
	touched := l.settling[:0]
	var back map[*line][]*item
	for _, it := range w.items {
		if !it.ordered {
			left++
			continue
		}
		k := it.lineKey
		u := l.users[k]
		if u == nil { // the lane was closed meanwhile
			if d := it.retryIn; d > 0 {
				it.retryIn = 0
				time.AfterFunc(d, func() { l.s.route(it) })
			}
			left++
			continue
		}
		u.out--
		switch {
		case it.retryIn > 0 && (u.head == nil || u.head == it):
			u.head, it.holder = it, l
			d := it.retryIn
			it.retryIn = 0
			time.AfterFunc(d, func() { l.s.route(it) })
		case it.retryIn > 0:
			it.retryIn = 0
			if back == nil {
				back = map[*line][]*item{}
			}
			back[u] = append(back[u], it)
		default:
			left++
			if u.head == it {
				u.head, it.holder = nil, nil
			}
		}
		touched = append(touched, settledLine{k, u})
	}
	for u, its := range back {
		// Batched: they go back when the head settled, through follows, so that they
		// are never in two batches out at once.
		u.parked = append(its, u.parked...)
	}
	for _, t := range touched {
		l.releaseLocked(t.key, t.u)
	}
	clear(touched)
	l.settling = touched[:0]
	return left
}

type settledLine struct {
	key string
	u   *line
}

// releaseLocked lets a user's parked requests go, once nothing holds them.
func (l *lane) releaseLocked(key string, u *line) {
	if l.users[key] != u {
		return // already released and removed
	}
	if u.head == nil && len(u.parked) > 0 {
		var front []*work
		if u.early > 0 { // single requests, all for the user's worker queue
			early := u.parked[:u.early:u.early]
			u.parked, u.early = u.parked[u.early:], 0
			for _, it := range early {
				l.placeLocked(it, &front, true)
			}
		}
		for len(u.parked) > 0 && u.follows(l, u.parked[0]) {
			it := u.parked[0]
			u.parked[0] = nil
			u.parked = u.parked[1:]
			l.placeLocked(it, &front, true)
		}
		l.pushFrontLocked(front)
	}
	if u.out == 0 && u.head == nil && len(u.parked) == 0 {
		delete(l.users, key)
	}
}

// pushFrontLocked puts single requests that waited already at the head of their
// worker's queue, in order.
func (l *lane) pushFrontLocked(ws []*work) {
	if len(ws) == 0 || l.closed {
		return
	}
	by := map[*shard][]*work{}
	for _, w := range ws {
		sh := l.shards[w.hash%uint64(l.target)]
		by[sh] = append(by[sh], w)
	}
	for sh, front := range by {
		sh.queue = append(front, sh.queue...)
		select {
		case sh.wake <- struct{}{}:
		default:
		}
	}
}

// unheld is called when a head will not come back to the lane (dead-lettered before
// reaching it, or its partition revoked): its user's parked requests go on.
func (l *lane) unheld(it *item) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := it.lineKey
	if u := l.users[k]; u != nil && u.head == it {
		u.head, it.holder = nil, nil
		l.queued--
		l.releaseLocked(k, u)
		l.resumeLocked()
	}
}

// dropRevoked forgets parked requests and heads of revoked partitions: their next owner
// redelivers them.
func (l *lane) dropRevoked() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, u := range l.users {
		if u.head != nil && u.head.part.revoked.Load() {
			u.head.holder, u.head = nil, nil
			l.queued--
		}
		kept := u.parked[:0]
		for i, it := range u.parked {
			if it.part.revoked.Load() {
				l.queued--
				if i < u.early {
					u.early--
				}
				continue
			}
			kept = append(kept, it)
		}
		clear(u.parked[len(kept):])
		u.parked = kept
		l.releaseLocked(k, u)
	}
	l.resumeLocked() // no worker may be left to notice that the queue drained
}
