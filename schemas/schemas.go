// Package schemas holds the Avro schemas of every record Actuate writes to an internal
// topic (action requests, retries, dead letters, discard and violation samples, Delivery
// Overview counts, and the Avro form of events), and typed encoders for them. The config
// topics hold the workspace's own objects as JSON, in the shape of the workspace file
// (package config). Records use Avro's single-object encoding (a two-byte
// marker and the schema's fingerprint before the body), so a reader can tell which
// version wrote a record without a schema registry.
package schemas

import (
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/linkedin/goavro/v2"
)

//go:embed *.avsc
var files embed.FS

var (
	codecsOnce sync.Once
	codecs     map[string]*goavro.Codec
	codecsErr  error
)

// Codec returns the codec of the named schema file ("action_request.v1").
func Codec(name string) (*goavro.Codec, error) {
	codecsOnce.Do(func() {
		codecs = map[string]*goavro.Codec{}
		entries, err := files.ReadDir(".")
		if err != nil {
			codecsErr = err
			return
		}
		for _, e := range entries {
			text, err := files.ReadFile(e.Name())
			if err != nil {
				codecsErr = err
				return
			}
			c, err := goavro.NewCodec(string(text))
			if err != nil {
				codecsErr = fmt.Errorf("schema %s: %w", e.Name(), err)
				return
			}
			codecs[e.Name()[:len(e.Name())-len(".avsc")]] = c
		}
	})
	if codecsErr != nil {
		return nil, codecsErr
	}
	c, ok := codecs[name]
	if !ok {
		return nil, fmt.Errorf("schemas: no schema named %q", name)
	}
	return c, nil
}

func mustCodec(name string) *goavro.Codec {
	c, err := Codec(name)
	if err != nil {
		// The schemas are compiled into the binary and covered by tests; a broken one is
		// a build defect, not bad input.
		panic(err)
	}
	return c
}

// ActionRequest is one mapping's validated payload for one event (action_request.v1).
type ActionRequest struct {
	Instance       string
	Mapping        string
	Action         string
	MessageID      string
	Payload        []byte
	ConfigVersion  int64
	ReceivedAt     time.Time
	Attempt        int32
	FirstAttemptAt time.Time // zero until the first attempt
	NotBefore      time.Time // zero when it may go at once
	LastError      string
}

// AppendActionRequest appends the encoded record to dst. The processor writes one per
// matching mapping of every event, so this is written out by hand, without the map
// goavro's encoder needs; a test holds it byte for byte to goavro's output, and readers
// decode with goavro.
func AppendActionRequest(dst []byte, r *ActionRequest) ([]byte, error) {
	header, err := singleObjectHeader("action_request.v1")
	if err != nil {
		return dst, err
	}
	dst = append(dst, header...)
	dst = appendAvroString(dst, r.Instance)
	dst = appendAvroString(dst, r.Mapping)
	dst = appendAvroString(dst, r.Action)
	dst = appendAvroString(dst, r.MessageID)
	dst = appendAvroBytes(dst, r.Payload)
	dst = appendAvroLong(dst, r.ConfigVersion)
	dst = appendAvroLong(dst, r.ReceivedAt.UnixMilli())
	dst = appendAvroLong(dst, int64(r.Attempt))
	dst = appendOptionalTime(dst, r.FirstAttemptAt)
	dst = appendOptionalTime(dst, r.NotBefore)
	if r.LastError == "" {
		dst = appendAvroLong(dst, 0) // the union's null branch
	} else {
		dst = appendAvroString(appendAvroLong(dst, 1), r.LastError)
	}
	return dst, nil
}

// appendActionRequestWithGoavro is the reference encoding the hand-written one must equal.
func appendActionRequestWithGoavro(dst []byte, r *ActionRequest) ([]byte, error) {
	return mustCodec("action_request.v1").SingleFromNative(dst, map[string]any{
		"instance":       r.Instance,
		"mapping":        r.Mapping,
		"action":         r.Action,
		"messageId":      r.MessageID,
		"payload":        r.Payload,
		"configVersion":  r.ConfigVersion,
		"receivedAt":     r.ReceivedAt,
		"attempt":        r.Attempt,
		"firstAttemptAt": optionalTime(r.FirstAttemptAt),
		"notBefore":      optionalTime(r.NotBefore),
		"lastError":      optionalString(r.LastError),
	})
}

var (
	headersMu sync.Mutex
	headers   = map[string][]byte{}
)

// singleObjectHeader returns the marker and fingerprint that start every record of the
// named schema, as goavro computes them.
func singleObjectHeader(name string) ([]byte, error) {
	headersMu.Lock()
	defer headersMu.Unlock()
	if h, ok := headers[name]; ok {
		return h, nil
	}
	c, err := Codec(name)
	if err != nil {
		return nil, err
	}
	h := make([]byte, 10)
	h[0], h[1] = 0xC3, 0x01
	binary.LittleEndian.PutUint64(h[2:], c.Rabin)
	headers[name] = h
	return h, nil
}

func appendAvroLong(dst []byte, v int64) []byte {
	return binary.AppendUvarint(dst, uint64(v<<1)^uint64(v>>63)) // zigzag
}

func appendAvroString(dst []byte, s string) []byte {
	return append(appendAvroLong(dst, int64(len(s))), s...)
}

func appendAvroBytes(dst []byte, b []byte) []byte {
	return append(appendAvroLong(dst, int64(len(b))), b...)
}

func appendOptionalTime(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return appendAvroLong(dst, 0)
	}
	return appendAvroLong(appendAvroLong(dst, 1), t.UnixMilli())
}

// DecodeActionRequest decodes a record written by AppendActionRequest. Senders decode one
// per request, so it reads the record by hand like AppendActionRequest writes it; a test
// holds it to goavro's decoding (decodeActionRequestWithGoavro).
func DecodeActionRequest(data []byte) (*ActionRequest, error) {
	const name = "action_request.v1"
	header, err := singleObjectHeader(name)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, header) {
		return nil, fmt.Errorf("decoding %s: not a record of this schema", name)
	}
	d := avroReader{b: data[len(header):]}
	r := &ActionRequest{
		Instance:  d.string(),
		Mapping:   d.string(),
		Action:    d.string(),
		MessageID: d.string(),
		Payload:   bytes.Clone(d.bytes()), // the record's buffer belongs to the consumer
	}
	r.ConfigVersion = d.long()
	r.ReceivedAt = time.UnixMilli(d.long()).UTC()
	r.Attempt = d.int()
	r.FirstAttemptAt = d.optionalTime()
	r.NotBefore = d.optionalTime()
	if d.unionBranch() == 1 {
		r.LastError = d.string()
	}
	switch {
	case d.err != nil:
		return nil, fmt.Errorf("decoding %s: %w", name, d.err)
	case len(d.b) != 0:
		return nil, fmt.Errorf("decoding %s: %w", name, errTrailing)
	}
	return r, nil
}

// decodeActionRequestWithGoavro is the reference decoding the hand-written one must equal.
func decodeActionRequestWithGoavro(data []byte) (*ActionRequest, error) {
	native, err := decodeSingle("action_request.v1", data)
	if err != nil {
		return nil, err
	}
	return &ActionRequest{
		Instance:       native["instance"].(string),
		Mapping:        native["mapping"].(string),
		Action:         native["action"].(string),
		MessageID:      native["messageId"].(string),
		Payload:        bytes.Clone(native["payload"].([]byte)),
		ConfigVersion:  native["configVersion"].(int64),
		ReceivedAt:     native["receivedAt"].(time.Time),
		Attempt:        native["attempt"].(int32),
		FirstAttemptAt: timeFromUnion(native["firstAttemptAt"]),
		NotBefore:      timeFromUnion(native["notBefore"]),
		LastError:      stringFromUnion(native["lastError"]),
	}, nil
}

// avroReader reads Avro binary values; the first problem sticks and later reads return
// zero values.
type avroReader struct {
	b   []byte
	err error
}

var (
	errShort    = errors.New("record cut short")
	errNegative = errors.New("negative length")
	errBranch   = errors.New("union branch out of range")
)

func (d *avroReader) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

// long reads a zigzag varint the way goavro does: as many bytes as carry the continuation
// bit, bits beyond 64 dropped.
func (d *avroReader) long() int64 {
	if d.err != nil {
		return 0
	}
	var u uint64
	var shift uint
	for i, c := range d.b {
		u |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			d.b = d.b[i+1:]
			return int64(u>>1) ^ -int64(u&1)
		}
		shift += 7
	}
	d.fail(errShort)
	return 0
}

// int reads an Avro int; like goavro, it keeps the low 32 bits of an overlong one.
func (d *avroReader) int() int32 { return int32(d.long()) }

func (d *avroReader) bytes() []byte {
	n := d.long()
	switch {
	case d.err != nil:
		return nil
	case n < 0:
		d.fail(errNegative)
		return nil
	case n > int64(len(d.b)):
		d.fail(errShort)
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *avroReader) string() string { return string(d.bytes()) }

// unionBranch reads the branch of a two-branch union whose first branch is null.
func (d *avroReader) unionBranch() int64 {
	b := d.long()
	if b != 0 && b != 1 {
		d.fail(errBranch)
		return 0
	}
	return b
}

func (d *avroReader) optionalTime() time.Time {
	if d.unionBranch() == 0 {
		return time.Time{}
	}
	return time.UnixMilli(d.long()).UTC()
}

// Stage names where in the pipeline an event was given up on.
type Stage string

// The stages of dead_letter.v1.
const (
	StageDecode    Stage = "decode"
	StageSource    Stage = "source"
	StageProtocols Stage = "protocols"
	StageFilter    Stage = "filter"
	StageRender    Stage = "render"
	StageValidate  Stage = "validate"
	StageDeliver   Stage = "deliver"
	StageExpire    Stage = "expire"
)

// Stages at which an event is given up on for one instance without a dead letter: no
// trigger matched, or every matched mapping failed (each failure has its own dead letter
// at StageRender or StageValidate). They label outcomes in metrics and the Delivery
// Overview beside the stages above.
const (
	StageTrigger Stage = "trigger"
	StageMapping Stage = "mapping"
	// StageConsent: the event's consent preferences do not grant the instance's
	// categories. StageIntegrations: the event's integrations object excludes the
	// instance. Both count as filtered at the destination.
	StageConsent      Stage = "consent"
	StageIntegrations Stage = "integrations"
)

// ControlName is what the Delivery Overview and discard samples call a per-event control
// that filtered an event ("filtered by consent"), or "" for other stages.
func (s Stage) ControlName() string {
	switch s {
	case StageConsent:
		return "consent"
	case StageIntegrations:
		return "integrations object"
	}
	return ""
}

// DeadLetter is a record of the dead-letter topic (dead_letter.v1).
type DeadLetter struct {
	Stage      Stage
	Reason     string
	Error      string
	Original   []byte
	Topic      string
	Partition  int32
	Offset     int64
	Source     string
	Instance   string
	Mapping    string
	Action     string
	Attempts   int32
	OccurredAt time.Time
}

// AppendDeadLetter appends the encoded record to dst.
func AppendDeadLetter(dst []byte, d *DeadLetter) ([]byte, error) {
	return mustCodec("dead_letter.v1").SingleFromNative(dst, map[string]any{
		"stage":      string(d.Stage),
		"reason":     d.Reason,
		"error":      d.Error,
		"original":   d.Original,
		"topic":      d.Topic,
		"partition":  d.Partition,
		"offset":     d.Offset,
		"source":     optionalString(d.Source),
		"instance":   optionalString(d.Instance),
		"mapping":    optionalString(d.Mapping),
		"action":     optionalString(d.Action),
		"attempts":   d.Attempts,
		"occurredAt": d.OccurredAt,
	})
}

// DecodeDeadLetter decodes a record written by AppendDeadLetter.
func DecodeDeadLetter(data []byte) (*DeadLetter, error) {
	native, err := decodeSingle("dead_letter.v1", data)
	if err != nil {
		return nil, err
	}
	return &DeadLetter{
		Stage:      Stage(native["stage"].(string)),
		Reason:     native["reason"].(string),
		Error:      native["error"].(string),
		Original:   bytes.Clone(native["original"].([]byte)),
		Topic:      native["topic"].(string),
		Partition:  native["partition"].(int32),
		Offset:     native["offset"].(int64),
		Source:     stringFromUnion(native["source"]),
		Instance:   stringFromUnion(native["instance"]),
		Mapping:    stringFromUnion(native["mapping"]),
		Action:     stringFromUnion(native["action"]),
		Attempts:   native["attempts"].(int32),
		OccurredAt: native["occurredAt"].(time.Time),
	}, nil
}

// EventEnvelope is an event produced as Avro to an events topic (event.v1).
type EventEnvelope struct {
	WriteKey string
	Event    []byte // Segment-spec JSON
}

// AppendEventEnvelope appends the encoded record to dst.
func AppendEventEnvelope(dst []byte, e *EventEnvelope) ([]byte, error) {
	return mustCodec("event.v1").SingleFromNative(dst, map[string]any{
		"writeKey": optionalString(e.WriteKey),
		"event":    string(e.Event),
	})
}

// IsSingleObject reports whether data starts with Avro's single-object marker; events
// topics accept both plain JSON (which starts with '{' or whitespace) and Avro.
func IsSingleObject(data []byte) bool {
	return len(data) >= 10 && data[0] == 0xC3 && data[1] == 0x01
}

// DecodeEventEnvelope decodes an Avro event written by AppendEventEnvelope.
func DecodeEventEnvelope(data []byte) (*EventEnvelope, error) {
	native, err := decodeSingle("event.v1", data)
	if err != nil {
		return nil, err
	}
	return &EventEnvelope{WriteKey: stringFromUnion(native["writeKey"]), Event: []byte(native["event"].(string))}, nil
}

var errTrailing = errors.New("trailing bytes after the record")

func decodeSingle(name string, data []byte) (map[string]any, error) {
	native, rest, err := mustCodec(name).NativeFromSingle(data)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", name, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("decoding %s: %w", name, errTrailing)
	}
	m, ok := native.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decoding %s: not a record", name)
	}
	return m, nil
}

func optionalString(s string) any {
	if s == "" {
		return nil
	}
	return goavro.Union("string", s)
}

func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return goavro.Union("long.timestamp-millis", t)
}

func stringFromUnion(v any) string {
	if m, ok := v.(map[string]any); ok {
		s, _ := m["string"].(string)
		return s
	}
	return ""
}

func timeFromUnion(v any) time.Time {
	if m, ok := v.(map[string]any); ok {
		t, _ := m["long.timestamp-millis"].(time.Time)
		return t.UTC()
	}
	return time.Time{}
}
