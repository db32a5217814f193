package main

import (
	"context"
	"flag"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/lag"
	"github.com/actuate/actuate/processor/metrics"
)

// service is what `process` and `send` share: flags, logger, metrics served at /metrics,
// the live config from the config topic, Delivery Overview publishing and lag metrics.
type service struct {
	flags   serviceFlags
	ctx     context.Context
	log     *zap.Logger
	metrics *metrics.Metrics
	store   *configstore.Store
	// kafka is how the process's Kafka clients connect (kafkaauth.go).
	kafka kafkaConn
	// ready is /readyz beside /metrics: the command sets its check once it has started.
	ready *probe
	stop  func()
}

// startService parses args and starts the shared parts; role names the process in the
// Delivery Overview and group is the consumer group whose lag it reports. A non-zero
// code means it failed and said why.
func startService(name, role, group string, args []string, std streams) (*service, int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	s := &service{ready: &probe{}}
	s.flags.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, exitInvalid
	}
	log, err := newLogger(s.flags.logLevel)
	if err != nil {
		return nil, fail(std, exitInvalid, "%v", err)
	}
	if s.kafka, err = s.flags.kafkaConn(); err != nil {
		return nil, fail(std, exitInvalid, "%v", err)
	}
	restoreEgress, err := installEgress(s.flags.egressAllow, false)
	if err != nil {
		return nil, fail(std, exitInvalid, "%v", err)
	}
	m, reg, err := newMetrics()
	if err != nil {
		return nil, fail(std, exitFailure, "%v", err)
	}
	ctx, stop := signalContext()
	s.ctx, s.log, s.metrics = ctx, log, m
	s.stop = func() { stop(); restoreEgress(); log.Sync() }
	if s.flags.metricsAddr != "" {
		if _, err := serveProbed(ctx, s.flags.metricsAddr, metricsHandler(reg, s.flags.pprof), s.ready, log); err != nil {
			s.stop()
			return nil, fail(std, exitFailure, "metrics: %v", err)
		}
	}
	if s.store, err = startConfigStore(ctx, &s.flags, log, false); err != nil {
		s.stop()
		return nil, fail(std, configExit(err), "%v", err)
	}
	go publishOverview(ctx, s.kafka, prometheus.Gatherer(reg), role, log)
	go func() {
		if err := lag.Watch(ctx, s.kafka.brokers, []string{group}, lag.DefaultInterval, m.ConsumerLag, log, s.kafka.opts...); err != nil {
			log.Warn("consumer lag metrics are off", zap.Error(err))
		}
	}()
	return s, exitOK
}
