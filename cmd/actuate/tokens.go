package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"time"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/control"
)

// runTokens manages the control API's named tokens on the config topic:
//
//	tokens create --name N --role viewer|editor|admin   prints the token once
//	tokens list                                          names, roles, creation times
//	tokens revoke --name N
func runTokens(args []string, std streams) int {
	const usage = "usage: actuate tokens create --name N --role viewer|editor|admin | tokens list | tokens revoke --name N (with --brokers B)"
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		return fail(std, exitInvalid, usage)
	}
	fs := flag.NewFlagSet("tokens "+args[0], flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var f serviceFlags
	f.register(fs)
	name := fs.String("name", "", "the token's name, shown as the actor of its changes")
	roleText := fs.String("role", "", "viewer, editor or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	role, roleOK := control.ParseRole(*roleText)
	switch {
	case args[0] != "list" && !idLike(*name):
		return fail(std, exitInvalid, "--name is required: letters, digits, '.', '_' and '-'")
	case args[0] == "create" && !roleOK:
		return fail(std, exitInvalid, "--role must be viewer, editor or admin")
	}
	log, err := newLogger(f.logLevel)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := startConfigStore(ctx, &f, log, false)
	if err != nil {
		return fail(std, configExit(err), "%v", err)
	}
	key := configstore.Key(configstore.KindToken, *name)
	switch args[0] {
	case "list":
		var rows []control.TokenRecord
		for _, o := range store.Snapshot().Objects(configstore.KindToken) {
			var t control.TokenRecord
			if json.Unmarshal(o.Value, &t) == nil {
				rows = append(rows, t)
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
		for _, t := range rows {
			fmt.Fprintf(std.stdout, "%-24s %-7s %s\n", t.Name, t.Role, t.Created.Format(time.RFC3339))
		}
		return exitOK
	case "revoke":
		_, err = store.Update(ctx, configstore.Meta{Actor: "actuate tokens revoke", Message: "token " + *name + " revoked"},
			func(snap *configstore.Snapshot) ([]configstore.Change, error) {
				if _, ok := snap.Object(key); !ok {
					return nil, fmt.Errorf("no token is named %s", *name)
				}
				return []configstore.Change{{Key: key}}, nil
			})
		if err != nil {
			return fail(std, exitFailure, "%v", err)
		}
		fmt.Fprintf(std.stdout, "token %s revoked\n", *name)
		return exitOK
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	token := "act_" + base64.RawURLEncoding.EncodeToString(secret)
	rec, _ := json.Marshal(control.TokenRecord{Name: *name, Role: role.String(), SHA256: control.HashToken(token), Created: time.Now().UTC()})
	_, err = store.Update(ctx, configstore.Meta{Actor: "actuate tokens create", Message: "token " + *name + " (" + role.String() + ") created"},
		func(snap *configstore.Snapshot) ([]configstore.Change, error) {
			if _, ok := snap.Object(key); ok {
				return nil, fmt.Errorf("a token is named %s already; revoke it first", *name)
			}
			return []configstore.Change{{Key: key, Value: rec}}, nil
		})
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	fmt.Fprintf(std.stderr, "token %s (%s) created; it is shown this once:\n", *name, role)
	fmt.Fprintln(std.stdout, token)
	return exitOK
}

func idLike(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
