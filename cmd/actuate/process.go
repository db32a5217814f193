package main

import (
	"os"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/router"
)

func runProcess(args []string, std streams) int {
	s, code := startService("process", "processor", router.DefaultGroup, args, std)
	if s == nil {
		return code
	}
	defer s.stop()
	if !waitForTopics(s.ctx, s.store.Workspace, s.log) {
		return exitOK
	}
	r, err := router.New(router.Config{Brokers: s.flags.brokerList(), Workspace: s.store.Workspace, Metrics: s.metrics, Logger: s.log,
		// A stable id per process (a StatefulSet pod name) lets a restart fence the open
		// transaction of the process it replaces instead of waiting for it to time out.
		TransactionalID: os.Getenv("ACTUATE_TRANSACTIONAL_ID")})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	s.log.Info("processor started", zap.Strings("brokers", s.flags.brokerList()), zap.Strings("topics", s.store.Workspace().Topics()))
	if err := r.Run(s.ctx); err != nil {
		s.log.Error("processor stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}
