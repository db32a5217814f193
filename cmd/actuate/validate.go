package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/workspace"
)

func runValidate(args []string, std streams) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	configFile := fs.String("config", "", "the workspace config (YAML)")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	if *configFile == "" {
		return fail(std, exitInvalid, "usage: actuate validate --config FILE")
	}
	ws, err := loadWorkspace(*configFile)
	if err != nil {
		var problems workspace.Problems
		if errors.As(err, &problems) {
			fmt.Fprintf(std.stderr, "%s: %d problems\n", *configFile, len(problems))
			for _, p := range problems {
				fmt.Fprintf(std.stderr, "  %s: %s\n", p.Path, p.Reason)
			}
			return exitInvalid
		}
		return fail(std, exitInvalid, "%v", err)
	}
	mappings := 0
	for _, inst := range ws.Instances {
		mappings += len(inst.Mappings)
	}
	fmt.Fprintf(std.stdout, "%s: valid (%d sources, %d destination instances, %d enabled mappings)\n",
		*configFile, len(ws.Sources), len(ws.Instances), mappings)
	return exitOK
}

// loadWorkspace reads and compiles a workspace config file.
func loadWorkspace(path string) (*workspace.Workspace, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return workspace.Compile(cfg, destinations.Get)
}
