package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/ingest"
	"github.com/actuate/actuate/processor/workspace"
)

// ingestFlags are the tracking API's settings that `serve` and `dev` share: the rate limit
// each write key is held to.
type ingestFlags struct {
	rateLimit, rateBurst string
}

func (f *ingestFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.rateLimit, "ingest-rate-limit", env("ACTUATE_INGEST_RATE_LIMIT", "0"), "ingest requests per second each write key may make (a batch is one); beyond it 429 with Retry-After; 0 is no limit (env ACTUATE_INGEST_RATE_LIMIT)")
	fs.StringVar(&f.rateBurst, "ingest-rate-burst", env("ACTUATE_INGEST_RATE_BURST", "0"), "requests a write key may make at once under --ingest-rate-limit; 0 is one second's worth (env ACTUATE_INGEST_RATE_BURST)")
}

// limit reads --ingest-rate-limit and --ingest-rate-burst; an error names the flag and its
// variable.
func (f *ingestFlags) limit() (ingest.RateLimit, error) {
	var limit ingest.RateLimit
	var err error
	if limit.PerSecond, err = strconv.ParseFloat(strings.TrimSpace(f.rateLimit), 64); err != nil {
		return limit, fmt.Errorf("--ingest-rate-limit (ACTUATE_INGEST_RATE_LIMIT) %q: want requests per second, like 500", f.rateLimit)
	}
	if limit.Burst, err = strconv.Atoi(strings.TrimSpace(f.rateBurst)); err != nil {
		return limit, fmt.Errorf("--ingest-rate-burst (ACTUATE_INGEST_RATE_BURST) %q: want a whole number of requests", f.rateBurst)
	}
	return limit, limit.Validate()
}

// newIngestHandler is the tracking API of `serve` and `dev`: events of ws's sources go to
// producer (waiting for each to be acknowledged), each write key is held to limit, and the
// requests it refuses are counted in reg's actuate_ingest_rate_limited_total.
func newIngestHandler(ws func() *workspace.Workspace, producer *kgo.Client, limit ingest.RateLimit, reg prometheus.Registerer, log *zap.Logger) (*ingest.Handler, error) {
	h := ingest.NewHandler(ws, func(ctx context.Context, rs ...*kgo.Record) error {
		return producer.ProduceSync(ctx, rs...).FirstErr()
	}, log)
	refused := ingest.NewRateLimitedCounter()
	if err := reg.Register(refused); err != nil {
		return nil, err
	}
	if err := h.SetRateLimit(limit, refused); err != nil {
		return nil, err
	}
	return h, nil
}
