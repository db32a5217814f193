package schemas

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestActionRequestRoundTrip(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)
	for _, in := range []ActionRequest{
		{Instance: "amp", Mapping: "m1", Action: "logEvent", MessageID: "msg-1", Payload: []byte(`{"a":1}`), ConfigVersion: 7, ReceivedAt: at},
		{Instance: "amp", Mapping: "m1", Action: "logEvent", MessageID: "msg-1", Payload: []byte(`{}`), ConfigVersion: 7, ReceivedAt: at,
			Attempt: 3, FirstAttemptAt: at.Add(time.Second), NotBefore: at.Add(time.Minute), LastError: "HTTP 503"},
	} {
		data, err := AppendActionRequest(nil, &in)
		if err != nil {
			t.Fatal(err)
		}
		if !IsSingleObject(data) {
			t.Fatalf("record does not start with the single-object marker: % x", data[:4])
		}
		out, err := DecodeActionRequest(data)
		if err != nil {
			t.Fatal(err)
		}
		if out.Instance != in.Instance || out.Mapping != in.Mapping || out.Action != in.Action || out.MessageID != in.MessageID ||
			!bytes.Equal(out.Payload, in.Payload) || out.ConfigVersion != in.ConfigVersion || !out.ReceivedAt.Equal(in.ReceivedAt) ||
			out.Attempt != in.Attempt || !out.FirstAttemptAt.Equal(in.FirstAttemptAt) || !out.NotBefore.Equal(in.NotBefore) || out.LastError != in.LastError {
			t.Fatalf("round trip changed the record:\n in  %+v\n out %+v", in, *out)
		}
	}
}

// TestHandWrittenEncodingEqualsGoavro holds the hot-path encoder to goavro's output.
func TestHandWrittenEncodingEqualsGoavro(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)
	for _, r := range []ActionRequest{
		{},
		{Instance: "amp", Mapping: "m1", Action: "logEvent", MessageID: "msg-1", Payload: []byte(`{"a":1}`), ConfigVersion: 7, ReceivedAt: at},
		{Instance: "ünïcode", Mapping: strings.Repeat("m", 300), Action: "a", MessageID: "", Payload: bytes.Repeat([]byte("x"), 70000),
			ConfigVersion: -1 << 62, ReceivedAt: at.Add(-100 * 365 * 24 * time.Hour), Attempt: 1 << 30,
			FirstAttemptAt: at, NotBefore: at.Add(time.Hour), LastError: "HTTP 503"},
		{Attempt: -5, ConfigVersion: 1<<63 - 1, ReceivedAt: time.UnixMilli(0), LastError: "x"},
	} {
		got, err := AppendActionRequest([]byte("prefix"), &r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := appendActionRequestWithGoavro([]byte("prefix"), &r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("encodings differ for %+v:\n ours   % x\n goavro % x", r, got[:min(len(got), 80)], want[:min(len(want), 80)])
		}
	}
}

func TestDeadLetterRoundTrip(t *testing.T) {
	in := DeadLetter{Stage: StageDecode, Reason: "malformed JSON", Error: "invalid event: malformed JSON: …", Original: []byte("{nope"),
		Topic: "events", Partition: 3, Offset: 42, Source: "web", Instance: "amp", Mapping: "m1", Action: "logEvent", Attempts: 2,
		OccurredAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	data, err := AppendDeadLetter(nil, &in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeDeadLetter(data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Stage != in.Stage || out.Reason != in.Reason || out.Error != in.Error || !bytes.Equal(out.Original, in.Original) ||
		out.Topic != in.Topic || out.Partition != in.Partition || out.Offset != in.Offset || out.Source != in.Source ||
		out.Instance != in.Instance || out.Mapping != in.Mapping || out.Action != in.Action || out.Attempts != in.Attempts || !out.OccurredAt.Equal(in.OccurredAt) {
		t.Fatalf("round trip changed the record:\n in  %+v\n out %+v", in, *out)
	}
}

func TestDeadLetterRejectsUnknownStage(t *testing.T) {
	_, err := AppendDeadLetter(nil, &DeadLetter{Stage: "elsewhere", OccurredAt: time.Now()})
	if err == nil {
		t.Fatal("an unknown stage was encoded")
	}
}

func TestEventEnvelope(t *testing.T) {
	data, err := AppendEventEnvelope(nil, &EventEnvelope{WriteKey: "wk", Event: []byte(`{"type":"track"}`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeEventEnvelope(data)
	if err != nil || out.WriteKey != "wk" || string(out.Event) != `{"type":"track"}` {
		t.Fatalf("got %+v, %v", out, err)
	}
	if IsSingleObject([]byte(`{"type":"track"}`)) {
		t.Fatal("plain JSON taken for Avro")
	}
}

func TestDecodeRejectsOtherSchemasAndGarbage(t *testing.T) {
	dl, _ := AppendDeadLetter(nil, &DeadLetter{Stage: StageRender, OccurredAt: time.Now()})
	if _, err := DecodeActionRequest(dl); err == nil || !strings.Contains(err.Error(), "action_request.v1") {
		t.Fatalf("a dead letter decoded as an action request: %v", err)
	}
	if _, err := DecodeEventEnvelope([]byte{0xC3, 0x01, 1, 2, 3}); err == nil {
		t.Fatal("garbage decoded")
	}
}

func BenchmarkAppendActionRequest(b *testing.B) {
	r := &ActionRequest{Instance: "amplitude-prod", Mapping: "page-calls", Action: "logEvent", MessageID: "msg-00000001",
		Payload: bytes.Repeat([]byte("x"), 600), ConfigVersion: 3, ReceivedAt: time.Now()}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = AppendActionRequest(buf[:0], r)
	}
}

func BenchmarkAppendActionRequestGoavro(b *testing.B) {
	r := &ActionRequest{Instance: "amplitude-prod", Mapping: "page-calls", Action: "logEvent", MessageID: "msg-00000001",
		Payload: bytes.Repeat([]byte("x"), 600), ConfigVersion: 3, ReceivedAt: time.Now()}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = appendActionRequestWithGoavro(buf[:0], r)
	}
}

// FuzzDecodeActionRequest holds the hand-written decoder to goavro's: the same records
// decode to the same values, and what one rejects the other rejects.
func FuzzDecodeActionRequest(f *testing.F) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)
	for _, r := range []ActionRequest{
		{},
		{Instance: "amp", Mapping: "m1", Action: "logEvent", MessageID: "msg-1", Payload: []byte(`{"a":1}`), ConfigVersion: 7, ReceivedAt: at},
		{Instance: "ü", Payload: []byte("x"), ConfigVersion: -1 << 62, Attempt: -5, FirstAttemptAt: at, NotBefore: at.Add(time.Hour), LastError: "HTTP 503"},
	} {
		data, err := AppendActionRequest(nil, &r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)-1])
		f.Add(append(data, 0))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := DecodeActionRequest(data)
		want, wantErr := decodeActionRequestWithGoavro(data)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("decoders disagree on % x: ours %v, goavro %v", data, gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		if got.Instance != want.Instance || got.Mapping != want.Mapping || got.Action != want.Action || got.MessageID != want.MessageID ||
			!bytes.Equal(got.Payload, want.Payload) || got.ConfigVersion != want.ConfigVersion || !got.ReceivedAt.Equal(want.ReceivedAt) ||
			got.Attempt != want.Attempt || !got.FirstAttemptAt.Equal(want.FirstAttemptAt) || !got.NotBefore.Equal(want.NotBefore) || got.LastError != want.LastError {
			t.Fatalf("decoders disagree on % x:\n ours   %+v\n goavro %+v", data, *got, *want)
		}
	})
}

// BenchmarkDecodeActionRequest compares the hand-written decoder with goavro's on one
// record (go test -bench DecodeActionRequest ./schemas/).
func BenchmarkDecodeActionRequest(b *testing.B) {
	data, _ := AppendActionRequest(nil, &ActionRequest{Instance: "amp", Mapping: "m1", Action: "logEvent", MessageID: "msg-1",
		Payload: bytes.Repeat([]byte("x"), 1000), ConfigVersion: 7, ReceivedAt: time.Now()})
	for _, d := range []struct {
		name   string
		decode func([]byte) (*ActionRequest, error)
	}{{"hand", DecodeActionRequest}, {"goavro", decodeActionRequestWithGoavro}} {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
