package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"sort"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/control"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/regulation"
	"github.com/actuate/actuate/processor/replay"
	"github.com/actuate/actuate/processor/workspace"
)

// runReplay re-sends a destination's dead letters (processor/replay): exit 0 when the
// replay ran to its end, 1 when Kafka failed it (what it committed stays replayed), 2 for
// invalid flags or an unknown destination.
func runReplay(args []string, std streams) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	dest := fs.String("destination", "", "the destination instance whose dead letters to replay (required)")
	mapping := fs.String("mapping", "", "only the dead letters of this mapping")
	reason := fs.String("reason", "", `only the dead letters with this reason ("payload validation failed", "HTTP 400")`)
	from := fs.String("from", "", "only dead letters that occurred at or after this RFC 3339 time")
	to := fs.String("to", "", "only dead letters that occurred before this RFC 3339 time")
	mode := fs.String("mode", string(replay.ModeAuto), "auto (each by what it holds), route (the processor's, through today's mappings) or stored (the sender's, as stored)")
	dryRun := fs.Bool("dry-run", false, "count what the replay would do, writing nothing")
	id := fs.String("id", "", "the replay's id in its markers and counts (default: generated)")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	if *dest == "" {
		return fail(std, exitInvalid, "replay: --destination is required")
	}
	req := replay.Request{ID: *id, Destination: *dest, Mode: replay.Mode(*mode), DryRun: *dryRun,
		Filter: replay.Filter{Mapping: *mapping, Reason: *reason}}
	if err := parseTimeRange(*from, *to, &req.Since, &req.Until); err != nil {
		return fail(std, exitInvalid, "replay: %v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	cfg, code, err := startReplayConfig(ctx, &f)
	if err != nil {
		return fail(std, code, "%v", err)
	}
	defer cfg.Logger.Sync()
	res, err := replay.Run(ctx, cfg, req)
	switch {
	case errors.Is(err, replay.ErrUnknownDestination), errors.Is(err, replay.ErrInvalid):
		return fail(std, exitInvalid, "replay: %v", err)
	case err != nil:
		return fail(std, exitFailure, "replay: %v (what it committed stays replayed; run it again to finish)", err)
	}
	if *asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintln(std.stdout, string(b))
		return exitOK
	}
	printReplay(std, "replay", res)
	return exitOK
}

func printReplay(std streams, kind string, res *replay.Result) {
	what := kind
	if res.DryRun {
		what += " dry run (nothing written)"
	}
	fmt.Fprintf(std.stdout, "%s %s of %s (mode %s): %d records read, %d selected, %d action requests\n",
		what, res.ID, res.Destination, res.Mode, res.Scanned, res.Selected, res.Requests)
	for _, o := range []string{replay.OutcomeReplayed, replay.OutcomeDeadLettered, replay.OutcomeSkipped, replay.OutcomeAlreadyReplayed, replay.OutcomeDuplicate} {
		if n := res.Outcomes[o]; n > 0 {
			fmt.Fprintf(std.stdout, "  %-17s %d\n", o, n)
		}
	}
	reasons := make([]string, 0, len(res.Skipped))
	for r := range res.Skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(std.stdout, "    skipped: %s: %d\n", r, res.Skipped[r])
	}
}

// newReplayFunc replays with the process's Kafka, live workspace and suppressed users;
// reg, when set, gets actuate_replay_outcomes_total.
func newReplayFunc(kafka kafkaConn, ws func() *workspace.Workspace, regs *regulation.Store, rows *datamodel.Store, reg prometheus.Registerer, log *zap.Logger) control.ReplayFunc {
	var counter *prometheus.CounterVec
	if reg != nil {
		counter = replay.NewCounter()
		if err := reg.Register(counter); err != nil {
			log.Warn("replay counter not registered", zap.Error(err))
		}
	}
	cfg := replayConfig(kafka, ws, regs, rows, log)
	cfg.Counter = counter
	return func(ctx context.Context, req replay.Request) (*replay.Result, error) {
		return replay.Run(ctx, cfg, req)
	}
}

// runBackfill sends a time range of a source's events through one destination's current
// mappings (processor/replay.Backfill); exit codes as replay's.
func runBackfill(args []string, std streams) int {
	fs := flag.NewFlagSet("backfill", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	source := fs.String("source", "", "the source whose events to send (required)")
	dest := fs.String("destination", "", "the destination instance to send them to, connected to the source (required)")
	from := fs.String("from", "", "only events whose record timestamp is at or after this RFC 3339 time (default: the topics' start)")
	to := fs.String("to", "", "only events before this RFC 3339 time (default: the topics' end now)")
	rate := fs.Float64("rate", 1000, "events read per second at most (0: no bound); the senders then rate-limit delivery as for live traffic")
	dryRun := fs.Bool("dry-run", false, "count what the backfill would do, writing nothing")
	id := fs.String("id", "", "the backfill's id in its counts (default: generated)")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	if *source == "" || *dest == "" {
		return fail(std, exitInvalid, "backfill: --source and --destination are required")
	}
	req := replay.BackfillRequest{ID: *id, Source: *source, Destination: *dest, Rate: *rate, DryRun: *dryRun}
	if err := parseTimeRange(*from, *to, &req.Since, &req.Until); err != nil {
		return fail(std, exitInvalid, "backfill: %v", err)
	}
	ctx, stop := signalContext()
	defer stop()
	cfg, code, err := startReplayConfig(ctx, &f)
	if err != nil {
		return fail(std, code, "%v", err)
	}
	defer cfg.Logger.Sync()
	res, err := replay.Backfill(ctx, cfg, req)
	switch {
	case errors.Is(err, replay.ErrUnknownDestination), errors.Is(err, replay.ErrInvalid):
		return fail(std, exitInvalid, "backfill: %v", err)
	case err != nil:
		return fail(std, exitFailure, "backfill: %v (what it committed stays done; run it again to finish)", err)
	}
	if *asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintln(std.stdout, string(b))
		return exitOK
	}
	printReplay(std, "backfill", res)
	return exitOK
}

// newBackfillFunc backfills with the process's Kafka, live workspace and suppressed users.
func newBackfillFunc(kafka kafkaConn, ws func() *workspace.Workspace, regs *regulation.Store, rows *datamodel.Store, log *zap.Logger) control.BackfillFunc {
	cfg := replayConfig(kafka, ws, regs, rows, log)
	return func(ctx context.Context, req replay.BackfillRequest) (*replay.Result, error) {
		return replay.Backfill(ctx, cfg, req)
	}
}

// replayConfig is what a replay or backfill runs with: the process's Kafka, live workspace,
// suppressed users (regs, when set) and data model rows (rows, when set: replayed events
// are enriched like the pipeline's).
func replayConfig(kafka kafkaConn, ws func() *workspace.Workspace, regs *regulation.Store, rows *datamodel.Store, log *zap.Logger) replay.Config {
	cfg := replay.Config{Brokers: kafka.brokers, ClientOptions: kafka.opts, Workspace: ws, Logger: log}
	if regs != nil {
		cfg.Suppression = regs
	}
	if rows != nil {
		cfg.Rows = rows
	}
	return cfg
}

// startReplayConfig starts what `actuate replay` and `actuate backfill` read — the config
// store, the regulations and the data models — from their flags; code is the exit code
// when it fails.
func startReplayConfig(ctx context.Context, f *serviceFlags) (cfg replay.Config, code int, err error) {
	log, err := newLogger(f.logLevel)
	if err != nil {
		return cfg, exitInvalid, err
	}
	kafka, err := f.kafkaConn()
	if err != nil {
		return cfg, exitInvalid, err
	}
	store, err := startConfigStore(ctx, f, log, false)
	if err != nil {
		return cfg, configExit(err), err
	}
	regs, err := startRegulations(ctx, kafka, log)
	if err != nil {
		return cfg, exitFailure, err
	}
	rows, err := startDataModels(ctx, kafka, store.Workspace, time.Minute, log)
	if err != nil {
		return cfg, exitFailure, err
	}
	return replayConfig(kafka, store.Workspace, regs, rows, log), exitOK, nil
}

// parseTimeRange reads --from and --to (RFC 3339, each optional) into since and until.
func parseTimeRange(from, to string, since, until *time.Time) error {
	for _, t := range []struct {
		flag, value string
		into        *time.Time
	}{{"--from", from, since}, {"--to", to, until}} {
		if t.value == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, t.value)
		if err != nil {
			return fmt.Errorf("%s %q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", t.flag, t.value)
		}
		*t.into = v
	}
	return nil
}
