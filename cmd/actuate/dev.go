package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/console"
	"github.com/actuate/actuate/processor/control"
	"github.com/actuate/actuate/processor/ingest"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/changelog"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

//go:embed dev.yaml
var devWorkspace string

func runDev(args []string, std streams) int {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	configFile := fs.String("config", "", "workspace config; default: an example whose webhook posts to the built-in inspector")
	listen := fs.String("listen", "127.0.0.1:8088", "address of the ingest API, the request inspector and /metrics")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	egressAllow := fs.String("egress-allow", env("ACTUATE_EGRESS_ALLOW", ""), egressFlagHelp+"; dev also allows loopback, for its inspector")
	var ingestSettings ingestFlags
	ingestSettings.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	ingestLimit, err := ingestSettings.limit()
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	restore, err := installEgress(*egressAllow, true)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer restore()
	log, err := newLogger(*logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer log.Sync()
	ctx, stop := signalContext()
	defer stop()

	d, err := startDev(ctx, devOptions{configFile: *configFile, listen: *listen, log: log, ingestLimit: ingestLimit})
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	fmt.Fprintf(std.stdout, `Actuate dev is running: embedded Kafka, processor, sender, ingest and control API.

  console:         %s/console/
  send an event:   curl -u %s: %s/v1/track -H 'Content-Type: application/json' \
                     -d '{"userId":"ada","event":"Order Completed","properties":{"order_id":"o-1","revenue":42}}'
  see requests:    curl %s/inspect
  metrics:         curl %s/metrics
  control API:     curl -H 'Authorization: Bearer %s' %s/v1/destinations   (OpenAPI: %s/openapi.json)

Ctrl-C stops it.
`, d.baseURL, d.writeKey, d.baseURL, d.baseURL, d.baseURL, devAPIToken, d.baseURL, d.baseURL)
	if err := d.wait(); err != nil {
		log.Error("dev stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}

type devOptions struct {
	configFile string
	listen     string
	log        *zap.Logger
	// ingestLimit is the rate limit of each write key at the tracking API, as serve's.
	ingestLimit ingest.RateLimit
	// destOptions redirect destination hosts in tests.
	destOptions []destkit.Option
}

// devRun is a running dev pipeline.
type devRun struct {
	baseURL   string
	writeKey  string
	inspector *inspector
	errs      chan error
	parts     int
	cluster   *kfake.Cluster
}

// devAPIToken is the control API's bearer token in dev mode, printed at start.
const devAPIToken = "dev"

// startDev starts the whole pipeline in this process on an embedded Kafka: config topic,
// control API and ingest, processor, sender, Delivery Overview.
func startDev(ctx context.Context, opts devOptions) (*devRun, error) {
	log := opts.log
	ins := &inspector{log: log}
	m, reg, err := newMetrics()
	if err != nil {
		return nil, err
	}
	var handler http.Handler = http.NotFoundHandler()
	mux := http.NewServeMux()
	mux.Handle("/metrics", metricsHandler(reg, false))
	mux.Handle("/inspect", ins)
	mux.Handle("/inspect/", ins)
	mux.Handle(console.Prefix, console.Handler(console.Options{Token: devAPIToken})) // no sign-in
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	addr, err := serveHTTP(ctx, opts.listen, mux, log)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", opts.listen, err)
	}
	baseURL := "http://" + addr.String()

	// The example workspace is written to a file so it goes the way a --config file goes;
	// unlike one, it is only seeded into the config topic, so the API may edit it.
	configFile, seedOnly := opts.configFile, false
	if configFile == "" {
		seedOnly = true
		configFile = filepath.Join(os.TempDir(), fmt.Sprintf("actuate-dev-%d.yaml", os.Getpid()))
		if err := os.WriteFile(configFile, []byte(strings.ReplaceAll(devWorkspace, "{{inspector}}", baseURL+"/inspect")), 0o600); err != nil {
			return nil, err
		}
		defer os.Remove(configFile)
	}
	ws, objects, err := loadFileObjects(configFile)
	if err != nil {
		return nil, err
	}
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, ws.Topics()...), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(3))
	if err != nil {
		return nil, fmt.Errorf("embedded Kafka: %w", err)
	}
	// The embedded Kafka needs no TLS or SASL: the flags' zero kafkaFlags.
	flags := serviceFlags{brokers: strings.Join(cluster.ListenAddrs(), ","), configTopic: schemas.TopicConfig}
	kafka, err := flags.kafkaConn()
	if err != nil {
		cluster.Close()
		return nil, err
	}
	var store *configstore.Store
	if seedOnly {
		store, err = seedConfigStore(ctx, &flags, objects, log)
	} else {
		flags.configFile = configFile
		store, err = startConfigStore(ctx, &flags, log, true)
	}
	if err != nil {
		cluster.Close()
		return nil, err
	}
	producer, err := kafka.newClient(kgo.AllowAutoTopicCreation())
	if err != nil {
		cluster.Close()
		return nil, err
	}
	aggregator := &overview.Aggregator{Brokers: kafka.brokers, Options: kafka.opts, Workspace: store.Workspace}
	go func() {
		if err := aggregator.Run(ctx); err != nil {
			log.Warn("the Delivery Overview is off", zap.Error(err))
		}
	}()
	go publishOverview(ctx, kafka, reg, "dev", log)
	rows, err := startDataModels(ctx, kafka, store.Workspace, 10*time.Second, log)
	if err != nil {
		cluster.Close()
		return nil, err
	}
	// Privacy requests; deletions go where the destinations' requests go (the inspector).
	regs, err := startRegulations(ctx, kafka, log)
	if err != nil {
		cluster.Close()
		return nil, err
	}
	// The router's profiles, which the Event Tester and the API read, and which the API
	// and the regulations' deletions erase through the router.
	profiles := profile.NewState(nil)
	profileClient := &changelog.Client{Brokers: kafka.brokers, Options: kafka.opts, Local: profiles}
	runDeleter(ctx, kafka, regs, store.Workspace, destkit.NewClient(opts.destOptions...), profileClient, reg, log)
	api := control.New(control.Options{
		Overview: aggregator, Store: store, Lookup: destinations.Get, Token: devAPIToken, Logger: log, DataModels: rows,
		LatestEvents: func(ctx context.Context, topic string, n int) ([][]byte, error) {
			return control.LatestEvents(ctx, kafka.brokers, topic, n, kafka.opts...)
		},
		Tester:   tester.Options{DestOptions: opts.destOptions, Rows: rows, Suppression: regs, Profiles: profiles},
		Profiles: profileClient,

		Replay:      newReplayFunc(kafka, store.Workspace, regs, rows, reg, log),
		Backfill:    newBackfillFunc(kafka, store.Workspace, regs, rows, log),
		Regulations: regs,
	})
	ingestHandler, err := newIngestHandler(store.Workspace, producer, opts.ingestLimit, reg, log)
	if err != nil {
		cluster.Close()
		return nil, err
	}
	handler = newAPIMux(api, withSuppression(ingestHandler, regs))

	// One lane: the embedded broker carries a developer's trickle of events.
	r, err := router.New(router.Config{Brokers: kafka.brokers, ClientOptions: kafka.opts, Workspace: store.Workspace, Metrics: m, Logger: log, TopicPartitions: 3, Rows: rows, Suppression: regs, Profiles: profiles, Lanes: 1})
	if err != nil {
		cluster.Close()
		return nil, err
	}
	s, err := sender.New(sender.Config{Brokers: kafka.brokers, ClientOptions: kafka.opts, Workspace: store.Workspace, Tokens: destkit.NewMemoryTokenStore(),
		Metrics: m, Logger: log, DestOptions: opts.destOptions, TopicPartitions: 3,
		HTTPClient: &http.Client{Transport: destkit.NewTransport()}})
	if err != nil {
		cluster.Close()
		return nil, err
	}
	d := &devRun{baseURL: baseURL, inspector: ins, errs: make(chan error, 2), parts: 2, cluster: cluster, writeKey: firstWriteKey(ws)}
	go func() { d.errs <- r.Run(ctx) }()
	go func() { d.errs <- s.Run(ctx) }()
	go func() {
		<-ctx.Done()
		producer.Close()
	}()
	return d, nil
}

// seedConfigStore follows the config topic and writes objects into it.
func seedConfigStore(ctx context.Context, f *serviceFlags, objects map[string]json.RawMessage, log *zap.Logger) (*configstore.Store, error) {
	store, err := startConfigStore(ctx, f, log, false)
	if err != nil {
		return nil, err
	}
	seed, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := store.Seed(seed, objects, configstore.Meta{Actor: "actuate dev", Message: "the example workspace"}); err != nil {
		return nil, fmt.Errorf("seeding the example workspace: %w", err)
	}
	return store, nil
}

// wait returns once the processor and the sender stopped, then stops the embedded Kafka.
func (d *devRun) wait() error {
	defer d.cluster.Close()
	var first error
	for range d.parts {
		if err := <-d.errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

func firstWriteKey(ws *workspace.Workspace) string {
	for _, s := range ws.Sources {
		if s.WriteKey != "" {
			return s.WriteKey
		}
	}
	return ""
}

// inspector records the requests it receives, so a new user sees what Actuate sends.
type inspector struct {
	log      *zap.Logger
	mu       sync.Mutex
	requests []inspectedRequest
}

type inspectedRequest struct {
	Time    time.Time         `json:"time"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

const inspectorKeeps = 100

func (i *inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/inspect" {
		i.mu.Lock()
		requests := i.requests
		if requests == nil {
			requests = []inspectedRequest{} // [] rather than null before the first request
		}
		out, _ := json.MarshalIndent(requests, "", "  ")
		i.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(append(out, '\n'))
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	req := inspectedRequest{Time: time.Now().UTC(), Method: r.Method, Path: r.URL.Path, Headers: map[string]string{}}
	for k, v := range r.Header {
		req.Headers[k] = strings.Join(v, ", ")
	}
	if json.Valid(body) {
		req.Body = bytes.Clone(body)
	} else {
		req.Body, _ = json.Marshal(string(body))
	}
	i.mu.Lock()
	i.requests = append(i.requests, req)
	if len(i.requests) > inspectorKeeps {
		i.requests = i.requests[len(i.requests)-inspectorKeeps:]
	}
	i.mu.Unlock()
	i.log.Info("inspector received a request", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Int("bytes", len(body)))
	w.WriteHeader(http.StatusOK)
}

func (i *inspector) received() []inspectedRequest {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]inspectedRequest(nil), i.requests...)
}
