package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
)

const childEnv = "ACTUATE_RELIABILITY_CHILD"

// childSender configures a sender run by this test binary in a process of its own.
// `actuate send` would do, but its group and topics are the deployment defaults, which
// every other test on the shared broker would see; this process uses the test's own.
type childSender struct {
	Brokers        []string
	Redis          string
	ConfigYAML     string
	Group          string
	DeliveryTopics string
	RetryTopic     string
	DLQTopic       string
	Prefix         string
	MetricsAddr    string
	Timeout        time.Duration
	BackoffBase    time.Duration
	// InlineRetryMax: longer retry waits go through the retry topic; 0: the default.
	InlineRetryMax time.Duration
}

func senderCommand(c childSender) *exec.Cmd {
	b, _ := json.Marshal(c)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	return cmd
}

func childMain() int {
	var c childSender
	if err := json.Unmarshal([]byte(os.Getenv(childEnv)), &c); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	cfgFile, err := config.Parse([]byte(c.ConfigYAML))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	ws, err := workspace.Compile(cfgFile, destinations.Get)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	log, _ := zap.NewProduction()
	m := metrics.New()
	reg := prometheus.NewRegistry()
	m.Register(reg)
	if c.MetricsAddr != "" {
		ln, err := net.Listen("tcp", c.MetricsAddr)
		if err == nil {
			go http.Serve(ln, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		}
	}
	rdb := redis.NewClient(&redis.Options{Addr: c.Redis})
	limiter := ratelimit.New(rdb, ratelimit.Options{Prefix: c.Prefix, Logger: log})
	s, err := sender.New(sender.Config{
		Brokers: c.Brokers, Group: c.Group, Workspace: func() *workspace.Workspace { return ws },
		Tokens: tokens.New(rdb, tokens.Options{Prefix: c.Prefix}), Limiter: limiter, Metrics: m, Logger: log,
		DeliveryTopics: c.DeliveryTopics, RetryTopic: c.RetryTopic, DLQTopic: c.DLQTopic,
		Backoff:        sender.Backoff{Base: c.BackoffBase, Max: 4 * c.BackoffBase},
		DestOptions:    []destkit.Option{destkit.Timeout(c.Timeout)},
		Grace:          2 * time.Second,
		ClientOptions:  fastGroup(),
		Order:          sender.NewRedisOrderStore(rdb, c.Prefix+"order:"),
		InlineRetryMax: c.InlineRetryMax,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := s.Run(ctx); err != nil {
		log.Error("sender stopped", zap.Error(err))
		return 1
	}
	return 0
}

// fastGroup notices a killed member in seconds, not the default 45: the broker's floor for
// the session timeout is 6 s.
func fastGroup() []kgo.Opt {
	return []kgo.Opt{
		kgo.SessionTimeout(6 * time.Second), kgo.HeartbeatInterval(500 * time.Millisecond),
		kgo.MetadataMinAge(200 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	}
}
