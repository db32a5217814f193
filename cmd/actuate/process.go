package main

import (
	"flag"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/lag"

	"github.com/actuate/actuate/processor/router"
)

func runProcess(args []string, std streams) int {
	fs := flag.NewFlagSet("process", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	log, err := newLogger(f.logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer log.Sync()
	m, reg, err := newMetrics()
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	if f.metricsAddr != "" {
		if _, err := serveHTTP(ctx, f.metricsAddr, metricsHandler(reg), log); err != nil {
			return fail(std, exitFailure, "metrics: %v", err)
		}
	}
	store, err := startConfigStore(ctx, &f, log, false)
	if err != nil {
		return fail(std, configExit(err), "%v", err)
	}
	go publishOverview(ctx, &f, reg, "processor", log)
	go func() {
		if err := lag.Watch(ctx, f.brokerList(), []string{router.DefaultGroup}, lag.DefaultInterval, m.ConsumerLag, log); err != nil {
			log.Warn("consumer lag metrics are off", zap.Error(err))
		}
	}()
	if !waitForTopics(ctx, store.Workspace, log) {
		return exitOK
	}
	r, err := router.New(router.Config{Brokers: f.brokerList(), Workspace: store.Workspace, Metrics: m, Logger: log})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	log.Info("processor started", zap.Strings("brokers", f.brokerList()), zap.Strings("topics", store.Workspace().Topics()))
	if err := r.Run(ctx); err != nil {
		log.Error("processor stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}
