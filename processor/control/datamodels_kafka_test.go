package control

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
)

// TestDataModelRowReachesARunningPipeline, on the real broker: a data model row written
// through the control API (one process) reaches the requests of a running processor (another
// process, which follows the model's topic), and a changed row applies to the events
// routed after it.
func TestDataModelRowReachesARunningPipeline(t *testing.T) {
	brokers := testenv.Kafka(t)
	cfgTopic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	var sfx [4]byte
	rand.Read(sfx[:])
	hook, model := "hook-"+hex.EncodeToString(sfx[:]), "accounts-"+hex.EncodeToString(sfx[:])
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}

	var mu sync.Mutex
	var bodies []string
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer sink.Close()
	received := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	start := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	newStore := func() *configstore.Store {
		s, err := configstore.New(configstore.Config{Brokers: brokers, Topic: cfgTopic, HistoryTopic: history,
			TransactionalID: "txn-" + cfgTopic, Lookup: destinations.Get, ClientOptions: opts}, nil)
		if err != nil {
			t.Fatal(err)
		}
		start("store", s.Run)
		return s
	}
	newRows := func(cfg *configstore.Store) *datamodel.Store {
		rows, err := datamodel.New(datamodel.Config{Brokers: brokers, ClientOptions: opts})
		if err != nil {
			t.Fatal(err)
		}
		start("rows", rows.Run)
		wg.Add(1)
		go func() { defer wg.Done(); rows.Watch(ctx, cfg.Workspace) }()
		return rows
	}
	apiStore, pipelineStore := newStore(), newStore()
	apiRows, pipelineRows := newRows(apiStore), newRows(pipelineStore)

	srv := httptest.NewServer(New(Options{Store: apiStore, Lookup: destinations.Get, Token: token, DataModels: apiRows}))
	defer srv.Close()
	c := &client{t: t, srv: srv}

	c.must(201, "POST", "/v1/sources", fmt.Sprintf(`{"id":"web","topics":[%q]}`, events))
	if _, err := apiStore.Update(ctx, configstore.Meta{}, func(*configstore.Snapshot) ([]configstore.Change, error) {
		return []configstore.Change{{Key: configstore.Key(configstore.KindDataModel, model),
			Value: []byte(fmt.Sprintf(`{"id":%q,"key":"$.context.groupId"}`, model))}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	c.must(201, "POST", "/v1/destinations", fmt.Sprintf(`{"id":%q,"type":"webhook","sources":["web"],"enabled":true}`, hook))
	c.must(201, "POST", "/v1/destinations/"+hook+"/mappings", fmt.Sprintf(`{"id":"t","action":"send","trigger":"type = \"track\"","mapping":{"url":"%s/t","method":"POST","data":{"user":{"@path":"$.userId"},"tier":{"@path":"$.enrichments.%s.tier"}}}}`, sink.URL, model))
	c.must(200, "PATCH", "/v1/destinations/"+hook+"/mappings/t", `{"enabled":true}`)
	waitUntil(t, 10*time.Second, func() bool {
		inst := pipelineStore.Workspace().Instance(hook)
		return inst != nil && len(inst.Mappings) == 1
	})

	c.must(200, "PUT", "/v1/data-models/"+model+"/rows/acme", `{"tier":"enterprise"}`)
	// The processor reads the rows written before it starts, as it does at start-up.
	waitCtx, waitCancel := context.WithTimeout(ctx, 20*time.Second)
	defer waitCancel()
	if err := pipelineRows.CatchUp(waitCtx, pipelineStore.Workspace().DataModels); err != nil {
		t.Fatal(err)
	}

	r, err := router.New(router.Config{Brokers: brokers, Group: "router-" + hook, Workspace: pipelineStore.Workspace, DLQTopic: dlq,
		TopicPartitions: 3, Rows: pipelineRows, ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: "sender-" + hook, Workspace: pipelineStore.Workspace,
		Tokens: destkit.NewMemoryTokenStore(), DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery."+hook) + "$",
		RetryTopic: retry, DLQTopic: dlq, TopicPartitions: 3,
		ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	start("router", r.Run)
	start("sender", s.Run)

	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	track := func(user string) {
		v := fmt.Sprintf(`{"type":"track","event":"Signed Up","userId":%q,"context":{"groupId":"acme"}}`, user)
		if err := producer.ProduceSync(ctx, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	track("ada")
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= 1 })
	if got := received()[0]; got != `{"user":"ada","tier":"enterprise"}` {
		t.Fatalf("first request %s", got)
	}

	// A changed row applies to the events after the processor read it.
	changed := time.Now()
	c.must(200, "PUT", "/v1/data-models/"+model+"/rows/acme", `{"tier":"pro"}`)
	waitUntil(t, 20*time.Second, func() bool {
		row, ok := pipelineRows.Get(model, "acme")
		return ok && strings.Contains(string(row), "pro")
	})
	t.Logf("the changed row reached the processor in %v", time.Since(changed))
	track("bob")
	// Bob's event is routed whenever the processor gets to it: wait for its request before
	// the row changes again, or the deletion may be read first.
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= 2 })
	c.must(204, "DELETE", "/v1/data-models/"+model+"/rows/acme", "")
	waitUntil(t, 20*time.Second, func() bool { _, ok := pipelineRows.Get(model, "acme"); return !ok })
	track("cy")
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= 3 })
	got := received()
	if got[1] != `{"user":"bob","tier":"pro"}` || got[2] != `{"user":"cy"}` {
		t.Fatalf("after the changes: %q", got)
	}
}
