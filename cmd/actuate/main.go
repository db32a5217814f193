// Command actuate is Actuate's one binary: the pipeline's processes and the tools around them.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes are part of the command-line contract that scripts rely on.
const (
	exitOK      = 0
	exitFailure = 1 // the command could not do its work (I/O, network)
	exitInvalid = 2 // the input is invalid: usage, expression, mapping, config
)

// streams carries the process's standard streams so tests can run commands in-process.
type streams struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	summary string
	run     func(args []string, std streams) int
}

func commands() map[string]command {
	return map[string]command{
		"fql":          {"evaluate filter-language expressions: fql match --expr E --event FILE", runFQL},
		"mapping":      {"render mappings: mapping render --mapping FILE (--event FILE | --events FILE.ndjson [--triggers FILE.json])", runMapping},
		"dev":          {"the whole pipeline in one process on an embedded Kafka, with a request inspector: dev [--config F]", runDev},
		"process":      {"run the processor (events topics → delivery topics) against Kafka: process --config F --brokers B", runProcess},
		"serve":        {"serve the HTTP API (Segment-compatible ingest) against Kafka: serve --config F --listen ADDR", runServe},
		"send":         {"run the senders (delivery topics → destinations) against Kafka and Redis: send --config F --brokers B --redis R", runSend},
		"test":         {"the Event Tester: test --config F --destination ID --event F [--send] (JSON on stdout)", runTest},
		"validate":     {"check a workspace config: validate --config FILE (exit 2 lists every problem)", runValidate},
		"models":       {"load data model rows through the control API: models load --model ID --file rows.ndjson|rows.csv [--key-column C] --api URL --api-token T", runModels},
		"destinations": {"the destination catalog: destinations [list | show SLUG] [--json]", runDestinations},
		"backfill":     {"send a time range of a source's events through one destination's current mappings: backfill --source S --destination ID [--from T] [--to T] [--rate N] [--dry-run]", runBackfill},
		"replay":       {"re-send a destination's dead letters once each: replay --destination ID [--mapping M] [--reason R] [--from T] [--to T] [--mode auto|route|stored] [--dry-run]", runReplay},
		"tokens":       {"named control API tokens with roles: tokens create --name N --role viewer|editor|admin | tokens list | tokens revoke --name N", runTokens},
		"secrets":      {"seal secret settings on the config topic: secrets keygen | secrets rotate --brokers B (ACTUATE_SECRET_KEY, ACTUATE_SECRET_KEY_OLD)", runSecrets},
		"health":       {"probe a process: health [URL] exits 0 when URL (default http://127.0.0.1:9464/readyz) answers 200", runHealth},
		"import":       {"move destinations from Segment: import segment --destination F --subscriptions F [--filters F] (--out F | --apply | --dry-run)", runImport},
	}
}

func main() {
	os.Exit(run(os.Args[1:], streams{os.Stdin, os.Stdout, os.Stderr}))
}

func run(args []string, std streams) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(std.stderr, cmds)
		if len(args) == 0 {
			return exitInvalid
		}
		return exitOK
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(std.stderr, "actuate: unknown command %q\n\n", args[0])
		usage(std.stderr, cmds)
		return exitInvalid
	}
	return cmd.run(args[1:], std)
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for name := range cmds {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: actuate COMMAND [flags]\n\ncommands:")
	for _, name := range names {
		fmt.Fprintf(w, "  %-14s %s\n", name, cmds[name].summary)
	}
}

// fail prints a message for the user and returns the exit code, so commands can
// `return fail(...)`.
func fail(std streams, code int, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(std.stderr, "actuate: "+msg)
	return code
}
