package main

import (
	"net/http"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
)

func runSend(args []string, std streams) int {
	s, code := startService("send", "sender", sender.DefaultGroup, args, std)
	if s == nil {
		return code
	}
	defer s.stop()
	// Tokens and rate limits are shared by every sender process through Redis; when Redis
	// is unreachable the limiter falls back to a local share and resyncs later.
	rdb, err := newRedis(s.flags.redis)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer rdb.Close()
	limiter := ratelimit.New(rdb, ratelimit.Options{Logger: s.log})
	defer limiter.Close()
	member := &groupMember{}
	snd, err := sender.New(sender.Config{
		Brokers: s.kafka.brokers, Workspace: s.store.Workspace, Tokens: tokens.New(rdb, tokens.Options{}),
		Limiter: limiter, Metrics: s.metrics, Logger: s.log,
		// Connections through the egress guard installed at start.
		HTTPClient: &http.Client{Transport: destkit.NewTransport()},
		// Which users wait in the retry topic (per-user order), shared by every sender.
		Order: sender.NewRedisOrderStore(rdb, ""),
		// /readyz: ready once in the consumer group.
		ClientOptions: s.kafka.with(kgo.WithHooks(member)),
		// Failed OAuth refreshes are counted for the alert rules (deploy/prometheus).
		// External audience ids (destkit/audience.go): in Redis without expiry, shared by
		// every sender, so an audience is created at the vendor once.
		DestOptions: []destkit.Option{destkit.WithAudienceStore(tokens.New(rdb, tokens.Options{}).Audiences()), destkit.OnRefreshFailure(func(instance string, _ error) {
			s.metrics.TokenRefreshFailures.WithLabelValues(instance).Inc()
		})},
	})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	s.ready.set(member.ready)
	s.log.Info("sender started", zap.Strings("brokers", s.kafka.brokers), zap.String("kafka_sign_in", s.kafka.signIn), zap.String("redis", s.flags.redis))
	if err := snd.Run(s.ctx); err != nil {
		s.log.Error("sender stopped", zap.Error(err))
		return exitFailure
	}
	return exitOK
}
