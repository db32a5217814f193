package mapping

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/eventmemo"
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
		cache.Reset(ev)
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

// TestEventJSONServesItsEvent renders a value the EventJSON was not Reset with (a copy of
// the event that a filter edited, say): it is read afresh and leaves the memory as it was.
func TestEventJSONServesItsEvent(t *testing.T) {
	m, err := Compile([]byte(`{"props":{"@path":"$.properties"},"plan":{"@path":"$.properties.plan"}}`))
	if err != nil {
		t.Fatal(err)
	}
	ev := fastjson.MustParse(`{"properties":{"plan":"pro","n":1}}`)
	edited := fastjson.MustParse(`{"properties":{"n":1}}`)
	var cache EventJSON
	cache.Reset(ev)
	got, _, err := m.AppendJSONMembersCached(nil, ev, nil, &cache)
	if err != nil || string(got) != `{"props":{"plan":"pro","n":1},"plan":"pro"}` {
		t.Fatalf("the event: %s (%v)", got, err)
	}
	stored := len(cache.buf)
	got, _, err = m.AppendJSONMembersCached(nil, edited, nil, &cache)
	if err != nil || string(got) != `{"props":{"n":1}}` {
		t.Fatalf("the edited copy: %s (%v)", got, err)
	}
	if len(cache.buf) != stored {
		t.Fatal("rendering the copy changed the event's memory")
	}
}

// TestEventJSONSharedAcrossMappings renders every mapping of the Segment golden file over
// each of its events with one cache per event, as the router does for the mappings of all
// its destinations: paths the mappings share are resolved and escaped once per event, and
// every render must still equal the uncached one (or fail the same way). Paths read inside
// the event (@arrayPath items) are remembered by value and path, in a table small enough to
// see collisions here.
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
	memoised, memoisedInside := 0, 0
	for e, src := range g.Events {
		ev, err := parser.Parse(src)
		if err != nil {
			continue // the golden file's events include some that are not objects
		}
		cache.Reset(ev)
		for i, m := range mappings {
			want, _, wantErr := m.AppendJSONMembers(nil, ev, nil)
			got, _, gotErr := m.AppendJSONMembersCached(nil, ev, nil, &cache)
			if (wantErr == nil) != (gotErr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("event %d, mapping %d: cached render %s (%v), want %s (%v)", e, i, got, gotErr, want, wantErr)
			}
		}
		for id := int32(1); id < eventmemo.MaxIDs; id++ {
			if r := cache.paths.Get(id); r != nil && r.end > 0 {
				memoised++
			}
		}
		for _, r := range cache.inside {
			if r.stamp == cache.paths.Stamp() && r.end > 0 {
				memoisedInside++
			}
		}
	}
	if memoised == 0 || memoisedInside == 0 {
		t.Fatalf("%d paths of the root and %d inside it remembered with their JSON: the test does not exercise the memo", memoised, memoisedInside)
	}
}

// TestEventJSONInsideCollisions renders @arrayPath over more items, and over an item with more
// fields, than EventJSON.inside has slots, so that paths share slots: each must still read its
// own item's own field.
func TestEventJSONInsideCollisions(t *testing.T) {
	var ev bytes.Buffer
	ev.WriteString(`{"properties":{"products":[`)
	for i := range 5 * insideSlots {
		if i > 0 {
			ev.WriteByte(',')
		}
		fmt.Fprintf(&ev, `{"sku":"s%d","price":%d,"tags":{"a":%d}}`, i, i, i%3)
	}
	ev.WriteString(`]}}`)
	var mappings []*Mapping
	for _, src := range []string{
		`{"items":{"@arrayPath":["$.properties.products",{"id":{"@path":"$.sku"},"p":{"@path":"$.price"}}]}}`,
		`{"x":{"@arrayPath":["$.properties.products",{"p":{"@path":"$.price"},"t":{"@path":"$.tags.a"},"s":{"@template":"{{sku}}-{{price}}"}}]}}`,
	} {
		m, err := Compile([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		mappings = append(mappings, m)
	}
	// And one item with more fields than there are slots.
	var wide, shape bytes.Buffer
	wide.WriteString(`{"properties":{"products":[{`)
	shape.WriteString(`{"wide":{"@arrayPath":["$.properties.products",{`)
	for i := range 2 * insideSlots {
		if i > 0 {
			wide.WriteByte(',')
			shape.WriteByte(',')
		}
		fmt.Fprintf(&wide, `"f%d":%d`, i, i)
		fmt.Fprintf(&shape, `"g%d":{"@path":"$.f%d"}`, i, i)
	}
	wide.WriteString(`}]}}`)
	shape.WriteString(`}]}}`)
	m, err := Compile(shape.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	mappings = append(mappings, m)
	var parser fastjson.Parser
	var cache EventJSON
	for _, src := range [][]byte{ev.Bytes(), wide.Bytes()} {
		event, err := parser.ParseBytes(src)
		if err != nil {
			t.Fatal(err)
		}
		cache.Reset(event)
		for round := range 2 {
			for i, m := range mappings {
				want, _, _ := m.AppendJSONMembers(nil, event, nil)
				got, _, err := m.AppendJSONMembersCached(nil, event, nil, &cache)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("round %d, mapping %d: the cached render differs (%v)", round, i, err)
				}
			}
		}
	}
}
