package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/configstore"
)

// secretKeyFileHelp documents the variables every process reads its secret key from.
const secretKeyFileHelp = "file holding the key that seals secret settings on the config topic (env ACTUATE_SECRET_KEY holds the key itself, ACTUATE_SECRET_KEY_FILE the file); without a key secrets are stored as given"

// sealerFromFlags builds the config store's sealer from ACTUATE_SECRET_KEY or the key file,
// and ACTUATE_SECRET_KEY_OLD (comma-separated keys a rotation still opens). Nil without a
// key.
func sealerFromFlags(f *serviceFlags) (*configstore.Sealer, error) {
	key, err := configstore.ReadSecretKey(env("ACTUATE_SECRET_KEY", ""), f.secretKeyFile)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if key == nil {
		return nil, nil
	}
	var old [][]byte
	for _, text := range splitList(env("ACTUATE_SECRET_KEY_OLD", "")) {
		k, err := configstore.ParseSecretKey(text)
		if err != nil {
			return nil, fmt.Errorf("ACTUATE_SECRET_KEY_OLD: %w", err)
		}
		old = append(old, k)
	}
	return configstore.NewSealer(destinations.Get, key, old...)
}

// runSecrets: `secrets keygen` prints a new key; `secrets rotate` writes every destination
// object again, sealed with ACTUATE_SECRET_KEY, opening values sealed with the keys in
// ACTUATE_SECRET_KEY_OLD.
func runSecrets(args []string, std streams) int {
	if len(args) == 0 || (args[0] != "keygen" && args[0] != "rotate") {
		return fail(std, exitInvalid, "usage: actuate secrets keygen | secrets rotate --brokers B [--config-topic T] (ACTUATE_SECRET_KEY the new key, ACTUATE_SECRET_KEY_OLD the old ones)")
	}
	if args[0] == "keygen" {
		fmt.Fprintln(std.stdout, configstore.NewSecretKey())
		return exitOK
	}
	fs := flag.NewFlagSet("secrets rotate", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	sealer, err := sealerFromFlags(&f)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	if sealer == nil {
		return fail(std, exitInvalid, "secrets rotate needs the new key in ACTUATE_SECRET_KEY (or --secret-key-file)")
	}
	log, err := newLogger(f.logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	store, err := startConfigStore(ctx, &f, log, false)
	if err != nil {
		return fail(std, configExit(err), "%v", err)
	}
	n := 0
	_, err = store.Update(ctx, configstore.Meta{Actor: "actuate secrets rotate", Message: "secret settings sealed with key " + sealer.KeyID()},
		func(snap *configstore.Snapshot) ([]configstore.Change, error) {
			var changes []configstore.Change
			for _, o := range snap.Objects(configstore.KindDestination) {
				if !o.FromFile {
					changes = append(changes, configstore.Change{Key: o.Key, Value: o.Value})
				}
			}
			n = len(changes)
			return changes, nil
		})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	fmt.Fprintf(std.stdout, "%d destination objects sealed with key %s\n", n, sealer.KeyID())
	return exitOK
}
