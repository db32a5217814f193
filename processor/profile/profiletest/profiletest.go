// Package profiletest holds the checks every profile backend and state must pass, shared
// by processor/profile's tests and its disk backend's.
package profiletest

import (
	"fmt"
	"testing"

	"github.com/actuate/actuate/processor/profile"
)

// State checks that s (empty) applies only committed writes, hides uncommitted ones from
// readers, and keeps its partitions' positions and claims.
func State(t *testing.T, s *profile.State) {
	p := s.Partition(3)
	a := profile.New("u1", nil, []profile.Trait{{Name: "plan", Value: []byte(`"free"`)}})
	p.Put([]byte("u1"), a)
	if p.Profile([]byte("u1")) != a {
		t.Fatal("the open transaction does not see its own write")
	}
	if s.Lookup([]byte("u1")) != nil {
		t.Fatal("a reader sees an uncommitted profile")
	}
	if recs := p.Drain(); len(recs) != 1 || string(recs[0].Key) != "u1" || string(recs[0].Value) != string(a.JSON()) {
		t.Fatalf("changelog records %q", recs)
	}
	s.Abort()
	if p.Profile([]byte("u1")) != nil {
		t.Fatal("an aborted write is still seen")
	}
	p.Put([]byte("u1"), a)
	p.Put([]byte("u2"), a)
	p.Put([]byte("u2"), nil)
	if err := s.Commit(map[int32]int64{3: 17}); err != nil {
		t.Fatal(err)
	}
	if string(s.Lookup([]byte("u1")).JSON()) != string(a.JSON()) || s.Lookup([]byte("u2")) != nil || p.Next() != 17 || p.Len() != 1 {
		t.Fatalf("after commit: u1 %v, u2 %v, next %d, len %d", s.Lookup([]byte("u1")), s.Lookup([]byte("u2")), p.Next(), p.Len())
	}
	if s.Holds(3) {
		t.Fatal("a partition never claimed is held")
	}
	p.Claim()
	if !s.Holds(3) {
		t.Fatal("a claimed partition is not held")
	}
	s.Release(3)
	if s.Holds(3) || string(s.Lookup([]byte("u1")).JSON()) != string(a.JSON()) {
		t.Fatal("a released partition is held, or lost its profiles")
	}
}

// CachedBackend is a backend that says how many decoded profiles it holds.
type CachedBackend interface {
	profile.Backend
	Cached() int
}

// ManyProfiles checks that d (empty, with a cache of 100) keeps 5,000 profiles written as
// a restore writes them, decodes at most 100 at once, and updates and erases cached ones.
func ManyProfiles(t *testing.T, d CachedBackend) {
	// As a restore writes them: JSON only.
	var writes []profile.Write
	for i := range 5000 {
		writes = append(writes, profile.Write{Key: fmt.Sprint("u", i), JSON: profile.New(fmt.Sprint("u", i), nil, []profile.Trait{{Name: "n", Value: []byte(fmt.Sprint(i))}}).JSON()})
	}
	if err := d.Apply(7, writes); err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		p := d.Get(7, []byte(fmt.Sprint("u", i)))
		if p == nil || string(p.Trait("n")) != fmt.Sprint(i) {
			t.Fatalf("u%d: %v", i, p)
		}
		if d.Get(8, []byte(fmt.Sprint("u", i))) != nil {
			t.Fatalf("u%d is in partition 8 too", i)
		}
	}
	if n := d.Cached(); n != 100 {
		t.Fatalf("the cache holds %d decoded profiles, want its bound 100", n)
	}
	if n := d.Len(7); n != 5000 {
		t.Fatalf("partition 7 holds %d profiles", n)
	}
	// A cached profile is updated and erased with the store.
	d.Get(7, []byte("u1"))
	if err := d.Apply(7, []profile.Write{{Key: "u1", Profile: profile.New("u1", nil, nil)}, {Key: "u4999"}}); err != nil {
		t.Fatal(err)
	}
	if p := d.Get(7, []byte("u1")); p == nil || len(p.Traits) != 0 {
		t.Fatalf("u1 after the update: %v", p)
	}
	if d.Get(7, []byte("u4999")) != nil || d.Len(7) != 4999 {
		t.Fatal("u4999 outlived its erasure")
	}
}
