package profile

import (
	"container/list"
	"sync"
)

// DefaultCacheProfiles bounds the decoded profiles a backend keeps by default.
const DefaultCacheProfiles = 50_000

// Cache keeps the most recently used decoded profiles, at most max: a backend stores
// profiles as their JSON, and decodes one (parses it into the value events carry) only
// when routing reads it, so memory holds a bounded number of decoded profiles however many
// are stored. Safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	max   int
	lru   *list.List // of *entry, most recent first
	parts map[int32]map[string]*list.Element
}

type entry struct {
	partition int32
	key       string
	profile   *Profile
}

// NewCache returns a cache of at most max decoded profiles (0: DefaultCacheProfiles).
func NewCache(max int) *Cache {
	if max <= 0 {
		max = DefaultCacheProfiles
	}
	return &Cache{max: max, lru: list.New(), parts: map[int32]map[string]*list.Element{}}
}

// Get returns the cached profile of key in partition, nil when not cached.
func (d *Cache) Get(partition int32, key []byte) *Profile {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.parts[partition][string(key)]
	if !ok {
		return nil
	}
	d.lru.MoveToFront(e)
	return e.Value.(*entry).profile
}

// Put caches p as the profile of key in partition.
func (d *Cache) Put(partition int32, key string, p *Profile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	part := d.parts[partition]
	if part == nil {
		part = map[string]*list.Element{}
		d.parts[partition] = part
	}
	if e, ok := part[key]; ok {
		e.Value.(*entry).profile = p
		d.lru.MoveToFront(e)
		return
	}
	part[key] = d.lru.PushFront(&entry{partition: partition, key: key, profile: p})
	for d.lru.Len() > d.max {
		last := d.lru.Back()
		d.lru.Remove(last)
		old := last.Value.(*entry)
		delete(d.parts[old.partition], old.key)
	}
}

// Applied brings the cache in line with writes to partition: a profile written with its
// decoded form is cached (routing wrote it, and reads it next); one written as JSON only
// (a restore) or erased is dropped.
func (d *Cache) Applied(partition int32, writes []Write) {
	for _, w := range writes {
		if w.Profile != nil {
			d.Put(partition, w.Key, w.Profile)
			continue
		}
		d.mu.Lock()
		if e, ok := d.parts[partition][w.Key]; ok {
			d.lru.Remove(e)
			delete(d.parts[partition], w.Key)
		}
		d.mu.Unlock()
	}
}

// Len returns how many profiles the cache holds.
func (d *Cache) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lru.Len()
}
