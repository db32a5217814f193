package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/router"
)

func runProcess(args []string, std streams) int {
	commitInterval, err := commitIntervalFromEnv()
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	lanes, err := lanesFromEnv()
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	s, code := startService("process", "processor", router.DefaultGroup, args, std)
	if s == nil {
		return code
	}
	defer s.stop()
	s.ready.set(func() error { return errors.New("waiting for a config with at least one source") })
	if !waitForTopics(s.ctx, s.store.Workspace, s.log) {
		return exitOK
	}
	// Like a global table, the data model rows are read before routing starts.
	rows, err := startDataModels(s.ctx, s.kafka, s.store.Workspace, time.Minute, s.log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	// So are the users privacy regulations suppress.
	regs, err := startRegulations(s.ctx, s.kafka, s.log)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	profiles, err := openProfiles(s.log)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer profiles.Close()
	member := &groupMember{}
	r, err := router.New(router.Config{Brokers: s.kafka.brokers, Workspace: s.store.Workspace, Metrics: s.metrics, Logger: s.log, Rows: rows, Suppression: regs, Profiles: profiles,
		// A stable id per process (a StatefulSet pod name) lets a restart fence the open
		// transaction of the process it replaces instead of waiting for it to time out.
		TransactionalID: os.Getenv("ACTUATE_TRANSACTIONAL_ID"), CommitInterval: commitInterval, Lanes: lanes,
		ClientOptions: s.kafka.with(kgo.WithHooks(member))})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	s.ready.set(member.ready)
	s.log.Info("processor started", zap.Strings("brokers", s.kafka.brokers), zap.String("kafka_sign_in", s.kafka.signIn), zap.Strings("topics", s.store.Workspace().Topics()))
	if err := r.Run(s.ctx); err != nil {
		s.log.Error("processor stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}

// commitIntervalFromEnv reads ACTUATE_COMMIT_INTERVAL, a Go duration between 1ms and 10s;
// unset is the router's default.
func commitIntervalFromEnv() (time.Duration, error) {
	v, ok := os.LookupEnv("ACTUATE_COMMIT_INTERVAL")
	if !ok || v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Millisecond || d > 10*time.Second {
		return 0, fmt.Errorf("ACTUATE_COMMIT_INTERVAL=%q: want a duration from 1ms to 10s, like 100ms", v)
	}
	return d, nil
}

// lanesFromEnv reads ACTUATE_PROCESSOR_LANES, the transactions a processor keeps going at
// once (router.Config.Lanes), from 1 to 8; unset is the router's default.
func lanesFromEnv() (int, error) {
	v, ok := os.LookupEnv("ACTUATE_PROCESSOR_LANES")
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 8 {
		return 0, fmt.Errorf("ACTUATE_PROCESSOR_LANES=%q: want a number from 1 to 8", v)
	}
	return n, nil
}
