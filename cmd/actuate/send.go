package main

import (
	"flag"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/lag"

	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
)

func runSend(args []string, std streams) int {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
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
	go publishOverview(ctx, &f, reg, "sender", log)
	go func() {
		if err := lag.Watch(ctx, f.brokerList(), []string{sender.DefaultGroup}, lag.DefaultInterval, m.ConsumerLag, log); err != nil {
			log.Warn("consumer lag metrics are off", zap.Error(err))
		}
	}()
	// Tokens and rate limits are shared by every sender process through Redis; when Redis
	// is unreachable the limiter falls back to a local share and resyncs later.
	rdb := redis.NewClient(&redis.Options{Addr: f.redis})
	defer rdb.Close()
	limiter := ratelimit.New(rdb, ratelimit.Options{})
	defer limiter.Close()
	s, err := sender.New(sender.Config{
		Brokers: f.brokerList(), Workspace: store.Workspace, Tokens: tokens.New(rdb, tokens.Options{}),
		Limiter: limiter, Metrics: m, Logger: log,
	})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	log.Info("sender started", zap.Strings("brokers", f.brokerList()), zap.String("redis", f.redis))
	if err := s.Run(ctx); err != nil {
		log.Error("sender stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}
