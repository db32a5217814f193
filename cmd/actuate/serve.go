package main

import (
	"context"
	"flag"
	"net/http"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/ingest"
)

func runServe(args []string, std streams) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	listen := fs.String("listen", env("ACTUATE_LISTEN", "127.0.0.1:8080"), "address of the HTTP API (env ACTUATE_LISTEN)")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	if f.configFile == "" {
		return fail(std, exitInvalid, "serve needs --config (or ACTUATE_CONFIG)")
	}
	log, err := newLogger(f.logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer log.Sync()
	ws, err := loadWorkspace(f.configFile)
	if err != nil {
		return fail(std, exitInvalid, "%s:\n%v", f.configFile, err)
	}
	live := &liveWorkspace{}
	live.current.Store(ws)
	_, reg, err := newMetrics()
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	go live.watch(ctx, f.configFile, log)
	// Ingested events must not be lost once acknowledged: wait for all in-sync replicas.
	producer, err := kgo.NewClient(kgo.SeedBrokers(f.brokerList()...), kgo.RequiredAcks(kgo.AllISRAcks()))
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	defer producer.Close()
	mux := http.NewServeMux()
	mux.Handle("/v1/", ingest.NewHandler(live.Get, func(ctx context.Context, rs ...*kgo.Record) error {
		return producer.ProduceSync(ctx, rs...).FirstErr()
	}, log))
	mux.Handle("/metrics", metricsHandler(reg))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	addr, err := serveHTTP(ctx, *listen, mux, log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	log.Info("API serving", zap.String("addr", addr.String()))
	<-ctx.Done()
	return exitOK
}
