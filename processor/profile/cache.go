package profile

import (
	"container/list"
	"sync"
)

// DefaultCacheProfiles bounds the decoded profiles a backend keeps by default.
const DefaultCacheProfiles = 50_000

// decoded keeps the most recently used decoded profiles, at most max: a backend stores
// profiles as their JSON, and decodes one (parses it into the value events carry) only
// when routing reads it, so memory holds a bounded number of decoded profiles however many
// are stored. Safe for concurrent use.
type decoded struct {
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

func newDecoded(max int) *decoded {
	if max <= 0 {
		max = DefaultCacheProfiles
	}
	return &decoded{max: max, lru: list.New(), parts: map[int32]map[string]*list.Element{}}
}

func (d *decoded) get(partition int32, key []byte) *Profile {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.parts[partition][string(key)]
	if !ok {
		return nil
	}
	d.lru.MoveToFront(e)
	return e.Value.(*entry).profile
}

func (d *decoded) put(partition int32, key string, p *Profile) {
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

// applied brings the cache in line with writes to partition: a profile written with its
// decoded form is cached (routing wrote it, and reads it next); one written as JSON only
// (a restore) or erased is dropped.
func (d *decoded) applied(partition int32, writes []Write) {
	for _, w := range writes {
		if w.Profile != nil {
			d.put(partition, w.Key, w.Profile)
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

func (d *decoded) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lru.Len()
}
