package profile

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/valyala/fastjson"
)

func apply(t *testing.T, old *Profile, event string) (*Profile, bool) {
	t.Helper()
	ev := fastjson.MustParse(event)
	var u Update
	UpdateOf(ev, &u)
	return Apply(old, &u)
}

func TestApplyKeepsTheLatestValueOfEachTrait(t *testing.T) {
	p, changed := apply(t, nil, `{"type":"identify","userId":"u1","traits":{"email":"a@x.com","plan":"free"},"context":{"traits":{"plan":"ignored: traits win","age":3}}}`)
	if !changed || string(p.JSON()) != `{"user_id":"u1","traits":{"plan":"free","age":3,"email":"a@x.com"}}` {
		t.Fatalf("after identify: %s (changed %v)", p.JSON(), changed)
	}
	same, changed := apply(t, p, `{"type":"track","userId":"u1","event":"x","context":{"traits":{"plan":"free"}}}`)
	if changed || same != p {
		t.Fatalf("a track repeating a trait changed the profile: %s", same.JSON())
	}
	// A track's traits (properties are not traits) and a group's traits (the group's) do
	// not count; its context.traits do.
	q, changed := apply(t, p, `{"type":"track","userId":"u1","event":"x","traits":{"plan":"no"},"properties":{"plan":"no"},"context":{"traits":{"plan":"pro","nested":{"a":[1,"é"]}}}}`)
	if !changed || string(q.JSON()) != `{"user_id":"u1","traits":{"plan":"pro","age":3,"email":"a@x.com","nested":{"a":[1,"é"]}}}` {
		t.Fatalf("after track: %s", q.JSON())
	}
	if string(p.JSON()) != `{"user_id":"u1","traits":{"plan":"free","age":3,"email":"a@x.com"}}` {
		t.Fatalf("the old profile changed: %s", p.JSON())
	}
	g, changed := apply(t, q, `{"type":"group","userId":"u1","groupId":"g","traits":{"plan":"group plan"}}`)
	if changed || g != q {
		t.Fatalf("a group's traits reached the user's profile: %s", g.JSON())
	}
	if v := q.Value().Get("traits", "email"); v == nil || string(v.GetStringBytes()) != "a@x.com" {
		t.Fatalf("value: %s", q.Value())
	}
	r, _ := apply(t, nil, `{"type":"identify","userId":"u2","traits":{"n":1.50,"o":{"a":[1,2]},"b":true,"z":null}}`)
	if same, changed := apply(t, r, `{"type":"identify","userId":"u2","traits":{"n":1.50,"o":{"a":[1,2]},"b":true,"z":null}}`); changed || same != r {
		t.Fatalf("repeating numbers, objects, booleans and null changed the profile: %s", same.JSON())
	}
	for _, change := range []string{`{"n":1.5}`, `{"o":{"a":[2,1]}}`, `{"b":false}`, `{"z":0}`, `{"n":"1.50"}`} {
		if _, changed := apply(t, r, `{"type":"identify","userId":"u2","traits":`+change+`}`); !changed {
			t.Errorf("%s changed nothing", change)
		}
	}
	anon, changed := apply(t, nil, `{"type":"page","anonymousId":"a1"}`)
	if changed || anon != nil {
		t.Fatalf("an event saying nothing made a profile: %v", anon)
	}
	num, _ := apply(t, nil, `{"type":"track","userId":42,"event":"x"}`)
	if string(num.JSON()) != `{"user_id":"42","traits":{}}` {
		t.Fatalf("numeric userId: %s", num.JSON())
	}
}

// Traits are written back as JSON whatever read them before: fastjson's own encoder quotes
// a string it has unescaped as Go does ("\x01"), which is not JSON.
func TestTraitsWithControlBytesStayJSON(t *testing.T) {
	old, _ := apply(t, nil, `{"type":"identify","userId":"u1","traits":{"name":"old"}}`)
	const event = `{"type":"identify","userId":"u1","traits":{"name":"a\u0001\"b","k\u0002\"":{"v":"\u0003\""}}}`
	p, changed := apply(t, old, event) // comparing with the old name reads the new one
	if !changed || !json.Valid(p.JSON()) {
		t.Fatalf("profile %s (changed %v) is not JSON", p.JSON(), changed)
	}
	if got := string(p.Value().GetStringBytes("traits", "name")); got != "a\x01\"b" {
		t.Errorf("name read back as %q", got)
	}
	if got := string(p.Value().GetStringBytes("traits", "k\x02\"", "v")); got != "\x03\"" {
		t.Errorf("nested value read back as %q", got)
	}
	d, err := Decode(p.JSON())
	if err != nil || string(d.JSON()) != string(p.JSON()) {
		t.Fatalf("decoded %s (%v), want %s", d.JSON(), err, p.JSON())
	}
	if same, changed := apply(t, d, event); changed || same != d {
		t.Errorf("repeating the traits changed the decoded profile: %s", same.JSON())
	}
}

// An event repeating what the profile holds allocates nothing, whatever its traits' types.
func TestApplyUnchangedAllocatesNothing(t *testing.T) {
	const event = `{"type":"identify","userId":"u1","traits":{"s":"x\u00e9","n":1.50,"o":{"a":[1,"Z\u00fcrich"]},"b":true}}`
	p, _ := apply(t, nil, event)
	ev := fastjson.MustParse(event)
	var u Update
	UpdateOf(ev, &u)
	allocs := testing.AllocsPerRun(100, func() {
		if same, changed := Apply(p, &u); changed || same != p {
			t.Fatalf("repeating the traits changed the profile: %s", same.JSON())
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per unchanged event", allocs)
	}
}

func TestDecodeReadsWhatJSONWrites(t *testing.T) {
	p := New("u\"1\u2028", []string{"a1", "a2"}, []Trait{{"email", []byte(`"x@y.z"`)}, {"n", []byte(`1.5`)}, {"o", []byte(`{"k":null}`)}})
	d, err := Decode(p.JSON())
	if err != nil {
		t.Fatal(err)
	}
	if string(d.JSON()) != string(p.JSON()) || d.UserID != p.UserID || len(d.AnonymousIDs) != 2 {
		t.Fatalf("decoded %s, want %s", d.JSON(), p.JSON())
	}
	for _, bad := range []string{`[]`, `{"traits":1}`, `{"user_id":1,"traits":{}}`, `{`, `{"anonymous_ids":[1],"traits":{}}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s) succeeded", bad)
		}
	}
}

func TestMergeKeepsTheUsersValues(t *testing.T) {
	user := New("u1", nil, []Trait{{"email", []byte(`"new@x.com"`)}})
	anon := New("", []string{"a0"}, []Trait{{"email", []byte(`"old@x.com"`)}, {"plan", []byte(`"pro"`)}})
	m := Merge(user, anon, "a1")
	if string(m.JSON()) != `{"user_id":"u1","anonymous_ids":["a0","a1"],"traits":{"email":"new@x.com","plan":"pro"}}` {
		t.Fatalf("merged %s", m.JSON())
	}
	if m := Merge(nil, nil, "a1"); string(m.JSON()) != `{"anonymous_ids":["a1"],"traits":{}}` {
		t.Fatalf("merged nothing: %s", m.JSON())
	}
}

func TestPartitionOfIsKafkasPartitioning(t *testing.T) {
	keyed := kgo.StickyKeyPartitioner(nil).ForTopic("t")
	for i := range 2000 {
		key := []byte(strings.Repeat("k", i%7) + fmt.Sprint(i) + "é")
		for _, n := range []int32{1, 3, 12, 50} {
			if got, want := PartitionOf(key, n), int32(keyed.Partition(&kgo.Record{Key: key}, int(n))); got != want {
				t.Fatalf("PartitionOf(%q, %d) = %d; franz-go says %d", key, n, got, want)
			}
		}
	}
}

func TestCommandsRoundTrip(t *testing.T) {
	for _, c := range []Command{{Op: OpForward, Into: "u\"1"}, {Op: OpErase}, {Op: OpMerge, From: "a1", Profile: []byte(`{"traits":{}}`)}} {
		got, err := DecodeCommand(EncodeCommand(c))
		if err != nil || got.Op != c.Op || got.Into != c.Into || got.From != c.From || string(got.Profile) != string(c.Profile) {
			t.Fatalf("%+v came back as %+v (%v)", c, got, err)
		}
	}
	for _, bad := range []string{`{"op":"forward"}`, `{"op":"merge"}`, `{"op":"x"}`, `[`} {
		if _, err := DecodeCommand([]byte(bad)); err == nil {
			t.Errorf("DecodeCommand(%s) succeeded", bad)
		}
	}
}
