package main

import (
	"flag"
	"strings"

	"github.com/actuate/actuate/destinations"
)

func runDestinations(args []string, std streams) int {
	fs := flag.NewFlagSet("destinations", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	asJSON := fs.Bool("json", false, "print JSON for machines")
	sub := "list"
	if len(args) > 0 && (args[0] == "list" || args[0] == "show") {
		sub, args = args[0], args[1:]
	}
	// Flags may follow the slug (`show webhook --json`); the flag package stops at the first
	// argument that is not a flag, so move flags first.
	var flags, rest []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
		} else {
			rest = append(rest, a)
		}
	}
	if err := fs.Parse(append(flags, rest...)); err != nil {
		return exitInvalid
	}
	switch sub {
	case "list":
		if fs.NArg() != 0 {
			return fail(std, exitInvalid, "usage: actuate destinations list [--json]")
		}
		if *asJSON {
			out, err := destinations.CatalogJSON(destinations.All())
			if err != nil {
				return fail(std, exitFailure, "%v", err)
			}
			std.stdout.Write(append(out, '\n'))
			return exitOK
		}
		if err := destinations.WriteCatalogText(std.stdout, destinations.All()); err != nil {
			return fail(std, exitFailure, "%v", err)
		}
		return exitOK
	default:
		if fs.NArg() != 1 {
			return fail(std, exitInvalid, "usage: actuate destinations show SLUG [--json]")
		}
		def, ok := destinations.Get(fs.Arg(0))
		if !ok {
			return fail(std, exitInvalid, "unknown destination %q; `actuate destinations list` shows them all", fs.Arg(0))
		}
		if *asJSON {
			out, err := destinations.DestinationJSON(def)
			if err != nil {
				return fail(std, exitFailure, "%v", err)
			}
			std.stdout.Write(append(out, '\n'))
			return exitOK
		}
		if err := destinations.WriteDestinationText(std.stdout, def); err != nil {
			return fail(std, exitFailure, "%v", err)
		}
		return exitOK
	}
}
