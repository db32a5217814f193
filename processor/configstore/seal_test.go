package configstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testenv"
)

func mustSealer(t *testing.T, key string, old ...string) *Sealer {
	t.Helper()
	k, err := ParseSecretKey(key)
	if err != nil {
		t.Fatal(err)
	}
	var olds [][]byte
	for _, o := range old {
		ok, err := ParseSecretKey(o)
		if err != nil {
			t.Fatal(err)
		}
		olds = append(olds, ok)
	}
	s, err := NewSealer(destinations.Get, k, olds...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpensOnlyWhereItSealed(t *testing.T) {
	s := mustSealer(t, NewSecretKey())
	value := json.RawMessage(`{"id":"amp","type":"amplitude","settings":{"apiKey":"key-123456","secretKey":"sec-654321","endpoint":"north_america","n":12345678901234567},"oauth":null}`)
	sealed, err := s.Seal("destination/amp", value)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"key-123456", "sec-654321"} {
		if strings.Contains(string(sealed), secret) {
			t.Fatalf("sealed value holds %s: %s", secret, sealed)
		}
	}
	if !strings.Contains(string(sealed), `"endpoint":"north_america"`) || !strings.Contains(string(sealed), "12345678901234567") {
		t.Errorf("settings that are not secret changed: %s", sealed)
	}
	opened, err := s.Open("destination/amp", sealed)
	if err != nil || !strings.Contains(string(opened), `"apiKey":"key-123456"`) || !strings.Contains(string(opened), `"secretKey":"sec-654321"`) {
		t.Fatalf("open: %s, %v", opened, err)
	}
	// Moved to another object, a sealed value does not open.
	if _, err := s.Open("destination/other", sealed); err == nil || !strings.Contains(err.Error(), "moved") {
		t.Errorf("a value moved to another object opened: %v", err)
	}
	// Without a key, a sealed topic is refused; other kinds pass untouched.
	var none *Sealer
	if _, err := none.Open("destination/amp", sealed); !errors.Is(err, ErrSecretKey) {
		t.Errorf("no key: %v", err)
	}
	if v, err := none.Open("source/web", json.RawMessage(`{"id":"web"}`)); err != nil || string(v) != `{"id":"web"}` {
		t.Errorf("a source: %s %v", v, err)
	}
	// An unknown type seals every setting; OAuth credentials are sealed too.
	sealed, _ = s.Seal("destination/x", json.RawMessage(`{"id":"x","type":"nosuch","settings":{"plain":"visible-value","oauth":{"access_token":"tok-abcdef"}}}`))
	if strings.Contains(string(sealed), "visible-value") || strings.Contains(string(sealed), "tok-abcdef") {
		t.Errorf("unknown type or oauth left in the clear: %s", sealed)
	}
	if _, err := ParseSecretKey("c2hvcnQ="); err == nil {
		t.Error("a short key was taken")
	}
}

// On the real broker: the config topic's raw bytes hold no secret; a process with the key
// reads them; one without it stops with ErrSecretKey; a rotation seals with the new key.
// A mapping's secret literal (LiveRamp's SFTP password is an action field) is sealed like a
// secret setting, opens back to the mapping as it was written (key order and all), and is
// redacted in history and API answers.
func TestMappingSecretLiteralsAreSealed(t *testing.T) {
	s := mustSealer(t, NewSecretKey())
	mapping := `{"sftp_username":"acme","sftp_password":"sftp-pass-999","sftp_folder_path":"/uploads","filename":{"@path":"$.context.personas.computation_key"}}`
	value := json.RawMessage(`{"id":"lr","type":"liveramp-audiences","settings":{},"mappings":[{"id":"m1","action":"audienceEnteredSFTP","trigger":"type = \"identify\"","enabled":true,"mapping":` + mapping + `}]}`)
	sealed, err := s.Seal("destination/lr", value)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "sftp-pass-999") || !strings.Contains(string(sealed), sealedPrefix) {
		t.Fatalf("the password literal is not sealed: %s", sealed)
	}
	opened, err := s.Open("destination/lr", sealed)
	if err != nil || !strings.Contains(string(opened), mapping) {
		t.Fatalf("open: %s, %v; want the mapping %s as written", opened, err, mapping)
	}
	// Sealed for mapping m1's field, it does not open as another mapping's.
	moved := strings.Replace(string(sealed), `"id":"m1"`, `"id":"m2"`, 1)
	if _, err := s.Open("destination/lr", json.RawMessage(moved)); err == nil {
		t.Error("a sealed literal moved to another mapping opened")
	}
	red := Redact("destination/lr", value, destinations.Get)
	if strings.Contains(string(red), "sftp-pass-999") || !strings.Contains(string(red), `"sftp_username":"acme"`) {
		t.Errorf("redacted: %s", red)
	}
}

func TestSecretsAreSealedOnTheTopic(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	oldKey, newKey := NewSecretKey(), NewSecretKey()
	start := func(s *Sealer) (*Store, chan error) {
		st, err := New(Config{Brokers: brokers, Topic: topic, HistoryTopic: history, TransactionalID: "txn-" + topic,
			Lookup: destinations.Get, Secrets: s, ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- st.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		return st, done
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	writer, _ := start(mustSealer(t, oldKey))
	const secret = "whsec-sealed-7f3a9c"
	if _, err := writer.Update(ctx, Meta{Actor: "test"}, func(*Snapshot) ([]Change, error) {
		return append(put("source/web", `{"id":"web","topics":["events"]}`),
			put("destination/hook", `{"id":"hook","type":"webhook","sources":["web"],"enabled":true,"settings":{"sharedSecret":"`+secret+`"}}`)...), nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := writer.Workspace().Instance("hook").Dest.Settings.Str("sharedSecret"); got != secret {
		t.Fatalf("the writer's workspace has %q", got)
	}

	raw := func() string {
		t.Helper()
		cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic, history), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		var b strings.Builder
		for n := 0; n < 3; n++ { // the config and its history
			pctx, pcancel := context.WithTimeout(ctx, 3*time.Second)
			cl.PollFetches(pctx).EachRecord(func(r *kgo.Record) { b.Write(r.Value) })
			pcancel()
		}
		return b.String()
	}
	if text := raw(); strings.Contains(text, secret) || !strings.Contains(text, sealedPrefix) {
		t.Fatalf("the topic's raw bytes: %s", text)
	}

	reader, _ := start(mustSealer(t, oldKey))
	if err := reader.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if inst := reader.Workspace().Instance("hook"); inst == nil || inst.Dest.Settings.Str("sharedSecret") != secret {
		t.Fatal("a process with the key does not read the secret")
	}

	keyless, _ := start(nil)
	if err := keyless.CatchUp(ctx); !errors.Is(err, ErrSecretKey) || !strings.Contains(err.Error(), "destination/hook") {
		t.Fatalf("without the key: %v", err)
	}
	if keyless.Workspace().Instance("hook") != nil {
		t.Fatal("a process without the key applied the destination")
	}

	// Rotation: written again under the new key, opened with the old one.
	rotator, _ := start(mustSealer(t, newKey, oldKey))
	if err := rotator.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rotator.Update(ctx, Meta{Actor: "rotate"}, func(snap *Snapshot) ([]Change, error) {
		o, _ := snap.Object("destination/hook")
		return []Change{{Key: o.Key, Value: o.Value}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fresh, _ := start(mustSealer(t, newKey))
	if err := fresh.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if inst := fresh.Workspace().Instance("hook"); inst == nil || inst.Dest.Settings.Str("sharedSecret") != secret {
		t.Fatal("after rotation, the new key alone does not read the secret")
	}
	if text := raw(); strings.Contains(text, secret) || !strings.Contains(text, sealedPrefix+mustSealer(t, newKey).KeyID()) {
		t.Fatalf("after rotation the topic's raw bytes: %s", text)
	}
}
