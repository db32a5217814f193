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
	if f.configFile == "" {
		return fail(std, exitInvalid, "process needs --config (or ACTUATE_CONFIG)")
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
	go live.watch(ctx, f.configFile, log)
	go func() {
		if err := lag.Watch(ctx, f.brokerList(), []string{router.DefaultGroup}, lag.DefaultInterval, m.ConsumerLag, log); err != nil {
			log.Warn("consumer lag metrics are off", zap.Error(err))
		}
	}()
	r, err := router.New(router.Config{Brokers: f.brokerList(), Workspace: live.Get, Metrics: m, Logger: log})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	log.Info("processor started", zap.Strings("brokers", f.brokerList()), zap.Strings("topics", ws.Topics()))
	if err := r.Run(ctx); err != nil {
		log.Error("processor stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}
