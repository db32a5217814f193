package main

import (
	"context"
	"flag"
	"net/http"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/console"
	"github.com/actuate/actuate/processor/control"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/profile/changelog"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/tokens"
)

func runServe(args []string, std streams) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	listen := fs.String("listen", env("ACTUATE_LISTEN", "127.0.0.1:8080"), "address of the HTTP API (env ACTUATE_LISTEN)")
	apiToken := fs.String("api-token", env("ACTUATE_API_TOKEN", ""), "bearer token of the control API under /v1/ (env ACTUATE_API_TOKEN); without it the control API refuses every request")
	var ingestSettings ingestFlags
	ingestSettings.register(fs)
	selfService := fs.Bool("self-service", env("ACTUATE_SELF_SERVICE", "") == "true", "limit mapping triggers to the self-service plan's conditions (env ACTUATE_SELF_SERVICE=true)")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	rateLimit, err := ingestSettings.limit()
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	log, err := newLogger(f.logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	kafka, err := f.kafkaConn()
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	restore, err := installEgress(f.egressAllow, false)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer restore()
	defer log.Sync()
	_, reg, err := newMetrics()
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	// The API's writes go through the config topic; a --config file is written there too.
	store, err := startConfigStore(ctx, &f, log, true)
	if err != nil {
		return fail(std, configExit(err), "%v", err)
	}
	// Ingested events must not be lost once acknowledged: wait for all in-sync replicas.
	producer, err := kafka.newClient(kgo.RequiredAcks(kgo.AllISRAcks()))
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	defer producer.Close()
	rdb, err := newRedis(f.redis)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer rdb.Close()
	aggregator := &overview.Aggregator{Brokers: kafka.brokers, Options: kafka.opts, Workspace: store.Workspace}
	go func() {
		if err := aggregator.Run(ctx); err != nil {
			log.Warn("the Delivery Overview is off", zap.Error(err))
		}
	}()
	rows, err := startDataModels(ctx, kafka, store.Workspace, 30*time.Second, log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	// Privacy requests: suppressed users are dropped at ingest, deletions run from here.
	regs, err := startRegulations(ctx, kafka, log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	// Profiles are kept by the processors: read from the changelog, erased through them
	// (by the API and by the regulations' deletions).
	profiles := &changelog.Client{Brokers: kafka.brokers, Options: kafka.opts}
	startDeleter(ctx, kafka, regs, store.Workspace, rdb, profiles, reg, log)
	opts := control.Options{
		Overview: aggregator, Store: store, Lookup: destinations.Get, Token: *apiToken, Logger: log, DataModels: rows,
		LatestEvents: func(ctx context.Context, topic string, n int) ([][]byte, error) {
			return control.LatestEvents(ctx, kafka.brokers, topic, n, kafka.opts...)
		},
		// The Event Tester refreshes OAuth tokens through the same Redis cache as the senders.
		Tester: tester.Options{Tokens: tokens.New(rdb, tokens.Options{}), Rows: rows, Suppression: regs, Profiles: profiles,
			// ...and keeps audience ids (test sends, mapping hooks) where the senders find them.
			DestOptions: []destkit.Option{destkit.WithAudienceStore(tokens.New(rdb, tokens.Options{}).Audiences())}},
		Profiles: profiles,

		// Dead-letter replays and privacy requests.
		Replay:      newReplayFunc(kafka, store.Workspace, regs, rows, reg, log),
		Backfill:    newBackfillFunc(kafka, store.Workspace, regs, rows, log),
		Regulations: regs,
	}
	if *selfService {
		opts.MaxConditions = fql.SelfServiceMaxConditions
	}
	ingestHandler, err := newIngestHandler(store.Workspace, producer, rateLimit, reg, log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	mux := newAPIMux(control.New(opts), withSuppression(ingestHandler, regs))
	mux.Handle(console.Prefix, console.Handler(console.Options{})) // sign in with the API token
	mux.Handle("/metrics", metricsHandler(reg, f.pprof))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	addr, err := serveHTTP(ctx, *listen, mux, log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	if *apiToken == "" {
		log.Warn("no --api-token: the control API refuses every request; ingest works")
	}
	log.Info("API serving", zap.String("addr", addr.String()))
	<-ctx.Done()
	return exitOK
}

// ingestPaths are Segment's Tracking API; every other /v1/ path is the control API.
var ingestPaths = map[string]bool{"track": true, "identify": true, "page": true, "screen": true, "group": true, "alias": true, "batch": true}

func newAPIMux(api http.Handler, ingestHandler http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ingestPaths[strings.TrimPrefix(r.URL.Path, "/v1/")] {
			ingestHandler.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	mux.Handle("/openapi.json", api)
	return mux
}
