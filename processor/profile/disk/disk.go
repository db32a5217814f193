// Package disk keeps profiles on disk, for more profiles than memory: a
// processor/profile Backend in an embedded Pebble store.
package disk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"github.com/cockroachdb/pebble/v2"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/profile"
)

// Disk is a Backend on disk, for more profiles than memory: the committed profiles live in
// an embedded Pebble store (an LSM tree, as Kafka Streams keeps its state in RocksDB),
// with the most recently used ones decoded in a cache of bounded size. Memory stays
// bounded: the cache's entries, Pebble's block cache and its memtables.
//
// The store is a copy of the changelog and nothing more: it is emptied when opened, and
// the processor restores each partition from the changelog before routing it, so a crash
// never leaves it ahead of or behind the committed transactions. Writes are not synced
// for the same reason.
type Disk struct {
	db    *pebble.DB
	cache *profile.Cache
}

// Options size a Disk.
type Options struct {
	// CacheProfiles bounds the decoded profiles kept in memory; default
	// profile.DefaultCacheProfiles.
	CacheProfiles int
	// BlockCacheBytes is Pebble's block cache; default 32 MiB.
	BlockCacheBytes int64
	// MemTableBytes is the size of each of Pebble's memtables; default 8 MiB.
	MemTableBytes uint64
	// Logger hears Pebble's errors; its routine lines (flushes, compactions) are dropped.
	Logger *zap.Logger
}

// Open opens a store in dir, emptied first.
func Open(dir string, opts Options) (*Disk, error) {
	if opts.BlockCacheBytes <= 0 {
		opts.BlockCacheBytes = 32 << 20
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.MemTableBytes == 0 {
		opts.MemTableBytes = 8 << 20
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("profile store: emptying %s: %w", dir, err)
	}
	cache := pebble.NewCache(opts.BlockCacheBytes)
	defer cache.Unref() // the store holds its own reference
	db, err := pebble.Open(dir, &pebble.Options{
		Cache:        cache,
		MemTableSize: opts.MemTableBytes,
		// Profiles are rebuilt from the changelog: the write-ahead log would only double
		// the writes.
		DisableWAL: true,
		Logger:     pebbleLogger{opts.Logger},
	})
	if err != nil {
		return nil, fmt.Errorf("profile store: opening the store in %s: %w", dir, err)
	}
	return &Disk{db: db, cache: profile.NewCache(opts.CacheProfiles)}, nil
}

// storeKey is the partition (4 bytes, big-endian, so a partition's keys are contiguous)
// then the profile's key.
func storeKey(dst []byte, partition int32, key []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst[:0], uint32(partition))
	return append(dst, key...)
}

// Get is Backend's.
func (d *Disk) Get(partition int32, key []byte) *profile.Profile {
	if p := d.cache.Get(partition, key); p != nil {
		return p
	}
	var buf [64]byte
	value, closer, err := d.db.Get(storeKey(buf[:0], partition, key))
	if err != nil {
		return nil // pebble.ErrNotFound, or a closed store
	}
	p, err := profile.Decode(value)
	closer.Close()
	if err != nil {
		return nil // only the processor writes the changelog: not expected
	}
	d.cache.Put(partition, string(key), p)
	return p
}

// Apply is Backend's: one Pebble batch.
func (d *Disk) Apply(partition int32, writes []profile.Write) error {
	b := d.db.NewBatch()
	defer b.Close()
	var k []byte
	for i := range writes {
		k = storeKey(k, partition, []byte(writes[i].Key))
		var err error
		if v := writes[i].Value(); v != nil {
			err = b.Set(k, v, nil)
		} else {
			err = b.Delete(k, nil)
		}
		if err != nil {
			return fmt.Errorf("profile store: writing the store: %w", err)
		}
	}
	if err := b.Commit(pebble.NoSync); err != nil {
		return fmt.Errorf("profile store: writing the store: %w", err)
	}
	d.cache.Applied(partition, writes)
	return nil
}

// Len is Backend's: it counts the partition's profiles in the store.
func (d *Disk) Len(partition int32) int {
	lower := storeKey(nil, partition, nil)
	upper := storeKey(nil, partition+1, nil)
	it, err := d.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return 0
	}
	defer it.Close()
	n := 0
	for it.First(); it.Valid(); it.Next() {
		n++
	}
	return n
}

// Cached returns how many decoded profiles the cache holds.
func (d *Disk) Cached() int { return d.cache.Len() }

// Close is Backend's.
func (d *Disk) Close() error {
	if d.db == nil {
		return errors.New("profile store: the store is closed")
	}
	err := d.db.Close()
	d.db = nil
	return err
}

// pebbleLogger passes Pebble's errors on and drops its informational lines.
type pebbleLogger struct{ log *zap.Logger }

func (pebbleLogger) Infof(string, ...any) {}
func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error("profile store: " + fmt.Sprintf(format, args...))
}
func (pebbleLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("profile store: "+format, args...))
}
