package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"time"

	"github.com/actuate/actuate/processor/tester"
)

func runTest(args []string, std streams) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	configFile := fs.String("config", "", "the workspace config")
	destination := fs.String("destination", "", "id of the destination instance to test")
	eventFile := fs.String("event", "", "a file holding one event as JSON")
	source := fs.String("source", "", "id of the source the event comes from (its tracking plan and scoped filters apply); default the destination's first source")
	send := fs.Bool("send", false, "also send the requests and show the destination's responses")
	egressAllow := fs.String("egress-allow", env("ACTUATE_EGRESS_ALLOW", ""), egressFlagHelp)
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	restore, err := installEgress(*egressAllow, false)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	defer restore()
	if *configFile == "" || *destination == "" || *eventFile == "" {
		return fail(std, exitInvalid, "usage: actuate test --config F --destination ID --event F [--source ID] [--send]")
	}
	ws, err := loadWorkspace(*configFile)
	if err != nil {
		return fail(std, exitInvalid, "%s:\n%v", *configFile, err)
	}
	data, err := os.ReadFile(*eventFile)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tester.Run(ctx, ws, *destination, data, tester.Options{Send: *send, Source: *source})
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	out, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	std.stdout.Write(append(out, '\n'))
	return exitOK
}
