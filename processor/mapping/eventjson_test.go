package mapping

import (
	"bytes"
	"testing"

	"github.com/valyala/fastjson"
)

// TestEventJSONFollowsTheEvent renders two mappings copying the same objects over events
// parsed one after the other by one parser, which reuses its values: with Reset between
// events, every cached render equals the uncached one.
func TestEventJSONFollowsTheEvent(t *testing.T) {
	var mappings []*Mapping
	for _, src := range []string{
		`{"props":{"@path":"$.properties"},"traits":{"@path":"$.context.traits"},"items":{"@path":"$.properties.items"}}`,
		`{"p":{"@path":"$.properties"},"name":{"@path":"$.event"},"t":{"@path":"$.context.traits"}}`,
	} {
		m, err := Compile([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		mappings = append(mappings, m)
	}
	events := []string{
		`{"type":"track","event":"A","properties":{"a":1,"items":[1,2]},"context":{"traits":{"x":"y"}}}`,
		`{"type":"track","event":"B","properties":{"b":"two","items":[{"c":3}]},"context":{"traits":{"z":null}}}`,
		`{"type":"track","event":"C","properties":{"2":"index first","a":"\u2028"},"context":{}}`,
	}
	var parser fastjson.Parser
	var cache EventJSON
	stored := 0
	for _, src := range events {
		ev, err := parser.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		cache.Reset()
		for i, m := range mappings {
			want, _, err := m.AppendJSONMembers(nil, ev, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := m.AppendJSONMembersCached(nil, ev, nil, &cache)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("event %s, mapping %d: cached render %s, want %s (%v)", src, i, got, want, err)
			}
		}
		stored += len(cache.entries)
	}
	if stored == 0 {
		t.Fatal("the renders cached nothing: the test does not exercise the cache")
	}
}

// TestEventJSONSharedAcrossMappings renders every mapping of the Segment golden file over
// each of its events with one cache per event, as the router does for the mappings of all
// its destinations: paths the mappings share are resolved and escaped once per event, and
// every render must still equal the uncached one (or fail the same way).
func TestEventJSONSharedAcrossMappings(t *testing.T) {
	g := fuzzSeeds(t)
	var mappings []*Mapping
	for _, c := range g.Cases {
		if m, err := Compile([]byte(c.MappingText)); err == nil {
			mappings = append(mappings, m)
		}
	}
	var parser fastjson.Parser
	var cache EventJSON
	memoised := 0
	for e, src := range g.Events {
		ev, err := parser.Parse(src)
		if err != nil {
			continue // the golden file's events include some that are not objects
		}
		cache.Reset()
		for i, m := range mappings {
			want, _, wantErr := m.AppendJSONMembers(nil, ev, nil)
			got, _, gotErr := m.AppendJSONMembersCached(nil, ev, nil, &cache)
			if (wantErr == nil) != (gotErr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("event %d, mapping %d: cached render %s (%v), want %s (%v)", e, i, got, gotErr, want, wantErr)
			}
		}
		for _, r := range cache.paths {
			if r.gen == cache.gen+1 && r.end > 0 {
				memoised++
			}
		}
	}
	if memoised == 0 {
		t.Fatal("no path's JSON was remembered: the test does not exercise the memo")
	}
}
