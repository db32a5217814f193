package profile

import (
	"bytes"
	"sync"
)

// Record is one changelog record: a profile's key and its JSON (nil: a tombstone, the
// profile erased).
type Record struct {
	Key   []byte
	Value []byte
}

// Backend keeps the committed profiles: what the changelog says up to each partition's
// position. Memory (NewMemory) or disk (processor/profile/disk).
type Backend interface {
	// Get returns the committed profile of key on partition, nil when none.
	Get(partition int32, key []byte) *Profile
	// Apply writes profiles (nil deletes) to partition, in order.
	Apply(partition int32, writes []Write) error
	// Len returns how many profiles partition holds.
	Len(partition int32) int
	Close() error
}

// Write is one profile written to a Backend: its changelog value (JSON; nil with a nil
// Profile erases it) and, when the writer has it (routing, not a restore), its decoded
// form.
type Write struct {
	Key     string
	JSON    []byte
	Profile *Profile
}

// Value returns the profile's JSON, nil for an erasure.
func (w *Write) Value() []byte {
	if w.Profile != nil {
		return w.Profile.JSON()
	}
	return w.JSON
}

// State is the profiles of the partitions one processor routes: per partition, the
// committed profiles (the Backend, restored from the changelog) and the writes of the
// open transaction, which a commit applies and an abort throws away. It is safe for
// concurrent use as the router uses it: one worker at a time per partition, between
// transactions Commit, Abort and the restore; readers (the Event Tester, the control API)
// see committed profiles only.
type State struct {
	backend Backend
	mu      sync.Mutex
	parts   map[int32]*Partition
	// partitionOf, when set, says which partition holds a key (Lookup).
	partitionOf func(key []byte) int32
}

// NewState returns profiles kept in backend (nil: NewMemory()).
func NewState(backend Backend) *State {
	if backend == nil {
		backend = NewMemory()
	}
	return &State{backend: backend, parts: map[int32]*Partition{}}
}

// Close closes the backend.
func (s *State) Close() error { return s.backend.Close() }

// SetPartitioner says which partition holds each key: Lookup then reads only that one.
func (s *State) SetPartitioner(fn func(key []byte) int32) {
	s.mu.Lock()
	s.partitionOf = fn
	s.mu.Unlock()
}

// Partition returns the state of partition id, created empty (not restored) if new.
func (s *State) Partition(id int32) *Partition {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.parts[id]
	if p == nil {
		p = &Partition{state: s, id: id, pending: map[string]*Profile{}}
		s.parts[id] = p
	}
	return p
}

// Lookup returns the committed profile of key, nil when none (or when its partition is not
// held here).
func (s *State) Lookup(key []byte) *Profile {
	s.mu.Lock()
	fn := s.partitionOf
	ids := make([]int32, 0, len(s.parts))
	for id := range s.parts {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	if fn != nil {
		return s.backend.Get(fn(key), key)
	}
	for _, id := range ids {
		if p := s.backend.Get(id, key); p != nil {
			return p
		}
	}
	return nil
}

// Holds reports whether partition id is restored and routed here.
func (s *State) Holds(id int32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.parts[id]
	return p != nil && p.owned
}

// Commit applies the open transaction's writes, which the broker committed; ends gives,
// per changelog partition written, the offset past the last record written.
func (s *State) Commit(ends map[int32]int64) error {
	s.mu.Lock()
	parts := make([]*Partition, 0, len(s.parts))
	for _, p := range s.parts {
		parts = append(parts, p)
	}
	s.mu.Unlock()
	for _, p := range parts {
		if len(p.writes) > 0 {
			if err := s.backend.Apply(p.id, p.writes); err != nil {
				return err
			}
		}
		if end, ok := ends[p.id]; ok && end > p.next {
			p.next = end
		}
		p.reset()
	}
	return nil
}

// Abort throws away the open transaction's writes.
func (s *State) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.parts {
		p.reset()
	}
}

// Release marks partitions as no longer routed here (revoked or lost): before routing
// one again, the router reads what others wrote to its changelog meanwhile. The profiles
// stay, so that catching up reads only the records after Next.
func (s *State) Release(ids ...int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if p := s.parts[id]; p != nil {
			p.owned = false
		}
	}
}

// ReleaseAll releases every partition (a new session: all are caught up again).
func (s *State) ReleaseAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.parts {
		p.owned = false
	}
}

// Partition is one partition's profiles, as one router worker reads and updates them
// while routing the partition's events. It is route.Profiles.
type Partition struct {
	state *State
	id    int32
	owned bool
	// next is the changelog offset past the last record applied.
	next int64
	// pending holds the open transaction's profiles by key (Deleted for an erased one);
	// writes the same in order, for the backend.
	pending map[string]*Profile
	writes  []Write
	// out is the changelog records to produce, drained by the pipeline after each event.
	out []Record
}

// Deleted stands for an erased profile among the pending ones.
var deleted = &Profile{}

// ID returns the partition's number.
func (p *Partition) ID() int32 { return p.id }

// Next returns the changelog offset past the last record applied: where catching up
// starts.
func (p *Partition) Next() int64 { return p.next }

// Profile returns the profile of key as the open transaction sees it, nil when none.
func (p *Partition) Profile(key []byte) *Profile {
	if v, ok := p.pending[string(key)]; ok {
		if v == deleted {
			return nil
		}
		return v
	}
	return p.state.backend.Get(p.id, key)
}

// Put sets the profile of key (nil erases it) in the open transaction and queues its
// changelog record.
func (p *Partition) Put(key []byte, prof *Profile) {
	k := string(key)
	rec := Record{Key: []byte(k)}
	if prof == nil {
		p.pending[k] = deleted
	} else {
		p.pending[k] = prof
		rec.Value = prof.JSON()
	}
	p.writes = append(p.writes, Write{Key: k, Profile: prof})
	p.out = append(p.out, rec)
}

// Drain returns the changelog records queued since the last call; they are valid until
// the next Put.
func (p *Partition) Drain() []Record {
	out := p.out
	p.out = p.out[:0]
	return out
}

func (p *Partition) reset() {
	clear(p.pending)
	p.writes = p.writes[:0]
	p.out = p.out[:0]
}

// Restore applies committed changelog records read from offset on (a nil value erases);
// end is the offset past the last one read (control records included).
func (p *Partition) Restore(records []Write, end int64) error {
	if len(records) > 0 {
		if err := p.state.backend.Apply(p.id, records); err != nil {
			return err
		}
	}
	if end > p.next {
		p.next = end
	}
	return nil
}

// Claim marks the partition as restored and routed here.
func (p *Partition) Claim() {
	p.state.mu.Lock()
	p.owned = true
	p.state.mu.Unlock()
}

// Len returns how many committed profiles the partition holds.
func (p *Partition) Len() int { return p.state.backend.Len(p.id) }

// Memory is a Backend in memory: each profile as its JSON, the most recently used ones
// decoded too (a bounded number).
type Memory struct {
	mu    sync.RWMutex
	parts map[int32]map[string][]byte
	cache *Cache
}

// NewMemory returns an empty in-memory backend that keeps at most cacheProfiles decoded
// (0: DefaultCacheProfiles).
func NewMemory(cacheProfiles ...int) *Memory {
	n := 0
	if len(cacheProfiles) > 0 {
		n = cacheProfiles[0]
	}
	return &Memory{parts: map[int32]map[string][]byte{}, cache: NewCache(n)}
}

func (m *Memory) Get(partition int32, key []byte) *Profile {
	if p := m.cache.Get(partition, key); p != nil {
		return p
	}
	m.mu.RLock()
	data, ok := m.parts[partition][string(key)]
	m.mu.RUnlock()
	if !ok {
		return nil
	}
	p, err := Decode(data)
	if err != nil {
		return nil // only the processor writes the changelog: not expected
	}
	m.cache.Put(partition, string(key), p)
	return p
}

func (m *Memory) Apply(partition int32, writes []Write) error {
	m.mu.Lock()
	part := m.parts[partition]
	if part == nil {
		part = map[string][]byte{}
		m.parts[partition] = part
	}
	for i := range writes {
		if v := writes[i].Value(); v != nil {
			if writes[i].Profile == nil {
				// A restore's record points into its fetch's buffer: keeping it would keep
				// the whole buffer.
				v = bytes.Clone(v)
			}
			part[writes[i].Key] = v
		} else {
			delete(part, writes[i].Key)
		}
	}
	m.mu.Unlock()
	m.cache.Applied(partition, writes)
	return nil
}

func (m *Memory) Len(partition int32) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.parts[partition])
}

// Cached returns how many decoded profiles the backend holds.
func (m *Memory) Cached() int { return m.cache.Len() }

func (m *Memory) Close() error { return nil }
