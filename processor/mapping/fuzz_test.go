package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/valyala/fastjson"
)

// Crashers found by fuzzing are kept under testdata/fuzz/<Target>/ and run
// as ordinary regression cases by `go test`.

func fuzzSeeds(t testing.TB) goldenFile {
	b, err := os.ReadFile(filepath.Join("testdata", "segment_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g goldenFile
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// checkRender renders ev with m both ways and insists on agreement and on
// well-formed JSON. Errors are fine; panics and garbage are not.
func checkRender(t *testing.T, m *Mapping, ev *fastjson.Value) {
	out, err := m.AppendJSON(nil, ev)
	v, err2 := m.Render(ev)
	if errors.Is(err, ErrUndefined) {
		if err2 != nil || !v.IsAbsent() {
			t.Fatalf("AppendJSON undefined, Render: %v %v", err2, v.Kind())
		}
		return
	}
	if (err == nil) != (err2 == nil) {
		t.Fatalf("AppendJSON err %v, Render err %v", err, err2)
	}
	if err != nil {
		return
	}
	if !json.Valid(out) {
		t.Fatalf("invalid JSON output: %q", out)
	}
	if alt := v.AppendJSON(nil); !bytes.Equal(alt, out) {
		t.Fatalf("AppendJSON and Render disagree:\n  %s\n  %s", out, alt)
	}
	checkMembers(t, m, ev, out)
}

// checkMembers holds AppendJSONMembers to AppendJSON's output, and its member list to
// the output's top-level members, parsed.
func checkMembers(t *testing.T, m *Mapping, ev *fastjson.Value, want []byte) {
	t.Helper()
	prefix := []byte("xx")
	out, members, err := m.AppendJSONMembers(prefix, ev, nil)
	if err != nil || !bytes.Equal(out[len(prefix):], want) {
		t.Fatalf("AppendJSONMembers: %v\n  %s\n  %s", err, out, want)
	}
	// With a cache, twice: the second render writes the event's objects from the cache.
	var cache EventJSON
	cache.Reset(ev)
	for i := range 2 {
		cached, _, err := m.AppendJSONMembersCached(prefix, ev, nil, &cache)
		if err != nil || !bytes.Equal(cached, out) {
			t.Fatalf("AppendJSONMembersCached, render %d: %v\n  %s\n  %s", i+1, err, cached, out)
		}
	}
	if _, isObject := m.root.(*objectNode); !isObject {
		if len(members) != 0 {
			t.Fatalf("members of a root that is not an object: %v", members)
		}
		return
	}
	parsed := fastjson.MustParseBytes(want)
	i := 0
	parsed.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		if i >= len(members) {
			t.Fatalf("member %q not listed", k)
		}
		mb := members[i]
		span, err := fastjson.ParseBytes(out[mb.Start:mb.End])
		if mb.Key != string(k) || err != nil || !bytes.Equal(span.MarshalTo(nil), v.MarshalTo(nil)) {
			t.Fatalf("member %d: listed %q = %s, output has %q = %s", i, mb.Key, out[mb.Start:mb.End], k, v.MarshalTo(nil))
		}
		i++
	})
	if i != len(members) {
		t.Fatalf("%d members listed, output has %d", len(members), i)
	}
}

func FuzzCompile(f *testing.F) {
	g := fuzzSeeds(f)
	for _, c := range g.Cases {
		f.Add([]byte(c.MappingText))
	}
	f.Add([]byte(`{"a":{"@template":"{{{a}}}{{b}}"}}`))
	f.Add([]byte(`{"__segment_internal_directive":{"@transform":{"apply":{"x":{"@path":"$."}}}},"y":{"@path":"$.x"}}`))
	var events []*fastjson.Value
	for _, e := range g.Events {
		v, err := fastjson.Parse(e)
		if err != nil {
			f.Fatal(err)
		}
		events = append(events, v)
	}
	f.Fuzz(func(t *testing.T, mapping []byte) {
		m, err := Compile(mapping)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) == 0 {
				t.Fatalf("Compile error is not a *ValidationError with errors: %v", err)
			}
			if Validate(mapping) == nil {
				t.Fatal("Validate accepts what Compile rejects")
			}
			return
		}
		for _, ev := range events {
			checkRender(t, m, ev)
		}
		checkRender(t, m, nil)
	})
}

// fuzzMappings are fixed mappings that between them touch every directive
// and reach deep into the event.
var fuzzMappings = []string{
	`{"all":{"@path":"$."},"t":{"@template":"{{type}} {{{event}}} {{properties.a}} {{ context }}"},"json":{"@json":{"mode":"encode","value":{"@path":"$."}}}}`,
	`{"flat":{"@flatten":{"value":{"@path":"$."},"separator":"."}},"flat2":{"@flatten":{"value":{"@path":"$.properties"},"separator":"_","omitArrays":true}}}`,
	`{"m":{"@merge":{"direction":"left","objects":[{"@path":"$.properties"},{"@path":"$.traits"},{"@path":"$.event"},{"@path":"$.context"}]}}}`,
	`{"a":{"@arrayPath":["$.properties.products",{"id":{"@path":"$.id"},"n":{"@template":"{{name}}/{{0}}/{{length}}"},"x":{"@excludeWhenNull":{"@path":"$."}}}]},"b":{"@arrayPath":["$.properties",{"@path":"$.a"}]}}`,
	`{"c":{"@case":{"operator":"upper","value":{"@path":"$.event"}}},"r":{"@replace":{"pattern":"a","replacement":"$&$'","pattern2":"B","ignorecase":true,"value":{"@path":"$.event"}}},"d":{"@json":{"mode":"decode","value":{"@path":"$.properties.json"}}}}`,
	`{"i":{"@if":{"blank":{"@path":"$.properties.a"},"then":{"@path":"$.properties.a.b.c"},"else":{"@path":"$.traits"}}},"x":{"@excludeWhenNull":{"@path":"$.properties"}},"t":{"@transform":{"apply":{"p":{"@path":"$.properties"}},"mapping":{"q":{"@path":"$.p.a"}}}}}`,
	`{"l":{"@liquid":"{{ event | upcase }} {% if properties.a %}{{ properties.a }}{% endif %} {{ traits }}"}}`,
}

func FuzzRender(f *testing.F) {
	g := fuzzSeeds(f)
	for _, e := range g.Events {
		f.Add([]byte(e))
	}
	f.Add([]byte(`{"event":"a","properties":{"a":{"b":{"c":"\ud83d"}},"json":"{\"1\":2,\"a\":[1e400]}","products":[{"id":1e2},null,"s"]}}`))
	var ms []*Mapping
	seeds := append([]string{}, fuzzMappings...)
	for _, name := range []string{"amplitude21", "heavy"} {
		b, err := os.ReadFile(filepath.Join("testdata", "bench", name+".mapping.json"))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	for _, s := range seeds {
		m, err := Compile([]byte(s))
		if err != nil {
			f.Fatalf("%s: %v", s, err)
		}
		ms = append(ms, m)
	}
	f.Fuzz(func(t *testing.T, event []byte) {
		var p fastjson.Parser
		ev, err := p.ParseBytes(event)
		if err != nil {
			return
		}
		for _, m := range ms {
			checkRender(t, m, ev)
		}
	})
}
