package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/workspace"
)

// serviceFlags are the flags every long-running command shares. Each also reads an
// ACTUATE_* environment variable, so a container needs no command line.
type serviceFlags struct {
	configFile  string
	configTopic string
	brokers     string
	redis       string
	metricsAddr string
	logLevel    string
	pprof       bool
	egressAllow string
	// secretKeyFile holds the key that seals secret settings (secrets.go).
	secretKeyFile string
	// kafka is how Actuate's own clients connect: TLS and SASL (kafkaauth.go).
	kafka kafkaFlags
	// conn is built from brokers and kafka on first use (kafkaConn).
	conn    *kafkaConn
	connErr error
}

func (f *serviceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.configFile, "config", env("ACTUATE_CONFIG", ""), "workspace config file; optional: the config topic is always followed, and the file's objects override it (env ACTUATE_CONFIG)")
	fs.StringVar(&f.configTopic, "config-topic", env("ACTUATE_CONFIG_TOPIC", configstore.DefaultTopic), "the compacted topic holding the workspace; its history is on TOPIC.history (env ACTUATE_CONFIG_TOPIC)")
	fs.StringVar(&f.brokers, "brokers", env("ACTUATE_BROKERS", "127.0.0.1:9092"), "comma-separated Kafka seed brokers (env ACTUATE_BROKERS)")
	fs.StringVar(&f.redis, "redis", env("ACTUATE_REDIS", "127.0.0.1:6379"), redisFlagHelp)
	fs.StringVar(&f.metricsAddr, "metrics-addr", env("ACTUATE_METRICS_ADDR", "127.0.0.1:9464"), "where /metrics is served; empty turns it off (env ACTUATE_METRICS_ADDR)")
	fs.BoolVar(&f.pprof, "pprof", env("ACTUATE_PPROF", "") == "1", "also serve Go's profiler at /debug/pprof/ beside /metrics (env ACTUATE_PPROF=1)")
	fs.StringVar(&f.logLevel, "log-level", env("ACTUATE_LOG_LEVEL", "info"), "debug, info, warn or error (env ACTUATE_LOG_LEVEL)")
	fs.StringVar(&f.egressAllow, "egress-allow", env("ACTUATE_EGRESS_ALLOW", ""), egressFlagHelp)
	fs.StringVar(&f.secretKeyFile, "secret-key-file", env("ACTUATE_SECRET_KEY_FILE", ""), secretKeyFileHelp)
	f.kafka.register(fs)
}

// kafkaConn is the process's way to Kafka, built once from --brokers and the Kafka TLS
// and SASL flags; every client the command makes takes it. An error is of the flags
// (exit 2).
func (f *serviceFlags) kafkaConn() (kafkaConn, error) {
	if f.conn == nil && f.connErr == nil {
		conn, err := f.kafka.conn(f.brokerList())
		f.conn, f.connErr = &conn, err
	}
	if f.connErr != nil {
		return kafkaConn{}, f.connErr
	}
	return *f.conn, nil
}

func (f *serviceFlags) brokerList() []string { return splitList(f.brokers) }

// splitList reads a comma-separated flag or variable: items trimmed, empty ones dropped.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// newLogger returns a JSON logger. Nothing secret is ever passed to it: settings print
// redacted, and tokens and payload secrets are never logged.
func newLogger(level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.EncoderConfig.TimeKey = "time"
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.Sampling = nil // a dead-letter line must never be sampled away
	return cfg.Build()
}

// shutdownGrace bounds a graceful shutdown. Leaving the consumer group can wait on a
// rebalance in progress; exiting without it is safe (an open transaction is aborted by the
// broker and its events routed again, unacknowledged requests are sent again).
const shutdownGrace = 30 * time.Second

// signalContext is cancelled on the first SIGINT or SIGTERM. A second signal, or a
// shutdown still running after shutdownGrace, exits the process at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-signals:
		case <-done:
			return
		}
		cancel()
		grace := time.NewTimer(shutdownGrace)
		select {
		case sig := <-signals:
			fmt.Fprintf(os.Stderr, "actuate: %v again: exiting now\n", sig)
		case <-grace.C:
			fmt.Fprintf(os.Stderr, "actuate: shutting down took over %v: exiting now\n", shutdownGrace)
		case <-done:
			return
		}
		os.Exit(exitFailure)
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(signals)
			close(done)
			cancel()
		})
	}
}

// newMetrics registers Actuate's metrics and the Go runtime's on a fresh registry.
func newMetrics() (*metrics.Metrics, *prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	m := metrics.New()
	if err := m.Register(reg); err != nil {
		return nil, nil, err
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m, reg, nil
}

// serveHTTP serves handler on addr until ctx ends. It returns once listening, so callers
// know the port is taken before they announce it. The server answers the probes (see
// probe) before handler sees the request: serving is being ready, for `serve` and `dev`.
func serveHTTP(ctx context.Context, addr string, handler http.Handler, log *zap.Logger) (net.Addr, error) {
	return serveProbed(ctx, addr, handler, nil, log)
}

// serveProbed is serveHTTP with the readiness of ready; nil is ready while serving.
func serveProbed(ctx context.Context, addr string, handler http.Handler, ready *probe, log *zap.Logger) (net.Addr, error) {
	if ready == nil {
		ready = &probe{}
		ready.set(func() error { return nil })
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: ready.wrap(ctx, handler), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", zap.String("addr", addr), zap.Error(err))
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	return ln.Addr(), nil
}

func metricsHandler(reg *prometheus.Registry, pprof bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if pprof {
		// Opt-in: profiles show code paths and timings, which is for whoever runs the process.
		mux.HandleFunc("/debug/pprof/", httppprof.Index)
		mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	}
	return mux
}

// probe answers Kubernetes' probes on every HTTP server of a process: /healthz is 200
// while the process serves at all (alive: a restart would not help it), and /readyz is 200
// once check returns nil and 503 with check's reason before and once shutdown began.
// `process` and `send` are ready with the config applied and a place in their consumer
// group (partitions assigned, possibly none when there are more processes than
// partitions, so a spare does not stall a rollout); `serve` once it serves.
type probe struct{ check atomic.Pointer[func() error] }

// set replaces the readiness check.
func (p *probe) set(check func() error) { p.check.Store(&check) }

// err is nil when ready, or why not.
func (p *probe) err() error {
	check := p.check.Load()
	if check == nil {
		return errors.New("starting: reading the config")
	}
	return (*check)()
}

// wrap answers the probes and passes every other request to next.
func (p *probe) wrap(ctx context.Context, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.Write([]byte("ok\n"))
		case "/readyz":
			err := p.err()
			if err == nil && ctx.Err() != nil {
				err = errors.New("shutting down")
			}
			if err != nil {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "not ready: %v\n", err)
				return
			}
			w.Write([]byte("ready\n"))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// groupMember is a franz-go hook that follows a process's Kafka clients (the router runs one
// per lane and makes a new one after a failed transaction) and tells whether they have a
// place in their consumer group: a member id and generation, given once the group assigned
// its partitions.
type groupMember struct {
	mu      sync.Mutex
	clients map[*kgo.Client]bool
}

func (g *groupMember) OnNewClient(cl *kgo.Client) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients == nil {
		g.clients = map[*kgo.Client]bool{}
	}
	g.clients[cl] = true
}

func (g *groupMember) OnClientClosed(cl *kgo.Client) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.clients, cl)
}

func (g *groupMember) ready() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.clients) == 0 {
		return errors.New("not connected to Kafka")
	}
	for cl := range g.clients {
		if _, generation := cl.GroupMetadata(); generation <= 0 {
			return errors.New("joining the consumer group: no partitions assigned yet")
		}
	}
	return nil
}

// runHealth is a probe for containers without a shell or curl (the image is distroless):
// `actuate health [URL]` exits 0 when URL (default the metrics address's /readyz) answers
// 200 within 3 s, 1 otherwise.
func runHealth(args []string, std streams) int {
	url := "http://127.0.0.1:9464/readyz"
	switch len(args) {
	case 0:
	case 1:
		url = args[0]
	default:
		return fail(std, exitInvalid, "usage: actuate health [URL]")
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fail(std, exitFailure, "%s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprint(std.stdout, string(body))
	return exitOK
}

// startConfigStore follows the actuate.config topic and returns the store whose
// Workspace is the provider the pipeline reads. With --config the file's objects
// override the topic's in this process (and, with seed, are written to the topic so
// processes started without the file follow them); the file is watched as before.
// It waits until the topic has been read, so the first workspace is the cluster's.
func startConfigStore(ctx context.Context, f *serviceFlags, log *zap.Logger, seed bool) (*configstore.Store, error) {
	var initial *workspace.Workspace
	var fileObjects map[string]json.RawMessage
	if f.configFile != "" {
		ws, objects, err := loadFileObjects(f.configFile)
		if err != nil {
			return nil, fmt.Errorf("%w: %s:\n%w", errInvalidConfig, f.configFile, err)
		}
		initial, fileObjects = ws, objects
	}
	sealer, err := sealerFromFlags(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidConfig, err)
	}
	kafka, err := f.kafkaConn()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidConfig, err)
	}
	store, err := configstore.New(configstore.Config{
		Brokers: kafka.brokers, Topic: f.configTopic, HistoryTopic: f.configTopic + ".history",
		Lookup: destinations.Get, Logger: log, Secrets: sealer, ClientOptions: kafka.opts,
	}, initial)
	if err != nil {
		return nil, err
	}
	go func() {
		if err := store.Run(ctx); err != nil {
			log.Error("config store stopped", zap.Error(err))
		}
	}()
	if fileObjects != nil {
		store.SetOverlay(fileObjects)
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := catchUp(wait, store); err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.configTopic, kafka.explain(err))
	}
	if seed && fileObjects != nil {
		if err := store.Seed(wait, fileObjects, configstore.Meta{Actor: "--config " + f.configFile, Message: "seeded from the config file"}); err != nil {
			return nil, fmt.Errorf("seeding %s from %s: %w", f.configTopic, f.configFile, err)
		}
	}
	if f.configFile != "" {
		go watchConfigFile(ctx, f.configFile, store, seed, log)
	}
	return store, nil
}

// errInvalidConfig marks errors of the --config file (exit 2) from those of the broker
// (exit 1).
var errInvalidConfig = errors.New("invalid config")

func configExit(err error) int {
	if errors.Is(err, errInvalidConfig) {
		return exitInvalid
	}
	return exitFailure
}

// catchUp retries while the config topic is being created by this or another process. A
// refused sign-in is final: retrying would only hammer the brokers with it.
func catchUp(ctx context.Context, store *configstore.Store) error {
	for {
		err := store.CatchUp(ctx)
		if err == nil || ctx.Err() != nil || errors.Is(err, configstore.ErrSecretKey) || isKafkaSignInFailure(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// loadFileObjects reads a config file, compiles it on its own (an invalid file stops the
// process, as it always did) and splits it into config objects.
func loadFileObjects(path string) (*workspace.Workspace, map[string]json.RawMessage, error) {
	ws, err := loadWorkspace(path)
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	objects, err := configstore.ObjectsFromFile(data)
	if err != nil {
		return nil, nil, err
	}
	return ws, objects, nil
}

func watchConfigFile(ctx context.Context, path string, store *configstore.Store, seed bool, log *zap.Logger) {
	info, err := os.Stat(path)
	if err != nil {
		log.Warn("watching config", zap.Error(err))
		return
	}
	last := info.ModTime()
	ticker := time.NewTicker(2 * time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		info, err := os.Stat(path)
		if err != nil || !info.ModTime().After(last) {
			continue
		}
		last = info.ModTime()
		_, objects, err := loadFileObjects(path)
		if err != nil {
			log.Error("config change rejected; the running config stays", zap.String("config", path), zap.Error(err))
			continue
		}
		store.SetOverlay(objects)
		if seed {
			if err := store.Seed(ctx, objects, configstore.Meta{Actor: "--config " + path, Message: "config file changed"}); err != nil {
				log.Error("writing the config file's change to the config topic", zap.Error(err))
			}
		}
		log.Info("config file change applied", zap.String("config", path), zap.Int64("version", store.Workspace().Version))
	}
}

// waitForTopics holds a processor back until the workspace names an events topic: a
// consumer with no topics would never learn of the first source.
func waitForTopics(ctx context.Context, ws func() *workspace.Workspace, log *zap.Logger) bool {
	logged := false
	for len(ws().Topics()) == 0 {
		if !logged {
			log.Info("waiting for a config with at least one source")
			logged = true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(500 * time.Millisecond):
		}
	}
	return true
}

// publishOverview sends this process's outcome counts to the overview topic, which
// `actuate serve` aggregates into the Delivery Overview of every instance.
func publishOverview(ctx context.Context, kafka kafkaConn, reg prometheus.Gatherer, role string, log *zap.Logger) {
	host, _ := os.Hostname()
	p := &overview.Publisher{Gatherer: reg, Brokers: kafka.brokers, Options: kafka.opts, Process: fmt.Sprintf("%s-%s-%d", role, host, os.Getpid()), Logger: log}
	if err := p.Run(ctx); err != nil {
		log.Warn("the Delivery Overview gets no counts from this process", zap.Error(err))
	}
}
