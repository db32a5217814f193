package main

import (
	"flag"
	"os"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/fql"
)

func runFQL(args []string, std streams) int {
	if len(args) == 0 || args[0] != "match" {
		return fail(std, exitInvalid, "usage: actuate fql match --expr 'EXPR' --event FILE")
	}
	fs := flag.NewFlagSet("fql match", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	expr := fs.String("expr", "", "the expression to evaluate")
	eventFile := fs.String("event", "", "a file holding one event as JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	if *expr == "" || *eventFile == "" {
		return fail(std, exitInvalid, "fql match needs --expr and --event")
	}
	compiled, err := fql.Parse(*expr)
	if err != nil {
		return fail(std, exitInvalid, "invalid expression: %v", err)
	}
	data, err := os.ReadFile(*eventFile)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ev, err := event.NewDecoder(event.Limits{MaxBytes: maxFileEventBytes}).Decode(data)
	if err != nil {
		return fail(std, exitInvalid, "%s: %v", *eventFile, err)
	}
	if compiled.Match(ev) {
		std.stdout.Write([]byte("true\n"))
	} else {
		std.stdout.Write([]byte("false\n"))
	}
	return exitOK
}
