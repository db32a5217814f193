package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/segmentimport"
)

const importUsage = `usage: actuate import segment --destination FILE --subscriptions FILE [--filters FILE] \
    [--source ID] [--id ID] [--topic T] (--out FILE | --apply --api URL --api-token T | --dry-run) [--json]`

// files is a repeatable file flag.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

// runImport is `actuate import segment`: Segment's Public API responses to a workspace
// file (--out) or to a running control API (--apply, all objects or none). Exit 0 when
// every object was imported, 1 when some were, 2 when none was (or the input is invalid).
func runImport(args []string, std streams) int {
	if len(args) == 0 || args[0] != "segment" {
		return fail(std, exitInvalid, "%s", importUsage)
	}
	fs := flag.NewFlagSet("import segment", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	var destFiles, subFiles, filterFiles files
	fs.Var(&destFiles, "destination", "Get Destination response (JSON); repeat for several destinations")
	fs.Var(&subFiles, "subscriptions", "List Subscriptions from Destination response (JSON); repeatable")
	fs.Var(&filterFiles, "filters", "List Filters from Destination response (JSON); repeatable")
	source := fs.String("source", "", "id of the Actuate source to connect the destinations to (default: Segment's sourceId)")
	id := fs.String("id", "", "id of the new destination instance (one destination only; default: from its name)")
	topic := fs.String("topic", "events", "events topic of a source the import creates")
	out := fs.String("out", "", `write the workspace file here ("-" for stdout)`)
	apply := fs.Bool("apply", false, "create the objects through the control API, all or none")
	api := fs.String("api", env("ACTUATE_API", ""), "the control API's base URL, as served by actuate serve (env ACTUATE_API)")
	token := fs.String("api-token", env("ACTUATE_API_TOKEN", ""), "the control API's bearer token (env ACTUATE_API_TOKEN)")
	dryRun := fs.Bool("dry-run", false, "print the report only")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	modes := 0
	for _, on := range []bool{*out != "", *apply, *dryRun} {
		if on {
			modes++
		}
	}
	if len(destFiles) == 0 || modes != 1 || fs.NArg() > 0 {
		return fail(std, exitInvalid, "%s\n(give --destination and exactly one of --out, --apply, --dry-run)", importUsage)
	}
	if *apply && (*api == "" || *token == "") {
		return fail(std, exitInvalid, "--apply needs --api URL and --api-token T (or ACTUATE_API and ACTUATE_API_TOKEN)")
	}
	in, err := readImportInput(destFiles, subFiles, filterFiles)
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	res, err := segmentimport.Import(in, segmentimport.Options{
		Definitions: destinations.All(), Lookup: destinations.Get, ID: *id, Source: *source, Topic: *topic})
	if err != nil {
		return fail(std, exitInvalid, "%v", err)
	}
	report := std.stdout
	if *out == "-" {
		report = std.stderr
	}
	switch {
	case len(res.Destinations) == 0 || *dryRun:
	case *out != "":
		if err := writeWorkspace(*out, std.stdout, res); err != nil {
			return fail(std, exitInvalid, "writing %s: %v; nothing was imported", *out, err)
		}
	case *apply:
		if err := applyImport(*api, *token, res); err != nil {
			res.Report.Fail(err.Error())
		}
	}
	if *asJSON {
		b, _ := json.MarshalIndent(res.Report, "", "  ")
		report.Write(append(b, '\n'))
	} else {
		res.Report.WriteText(report)
		if *dryRun {
			fmt.Fprintln(report, "dry run: nothing written")
		}
	}
	switch res.Report.Outcome() {
	case segmentimport.All:
		return exitOK
	case segmentimport.Some:
		return exitFailure
	}
	return exitInvalid
}

func readImportInput(destFiles, subFiles, filterFiles []string) (segmentimport.Input, error) {
	var in segmentimport.Input
	var err error
	if in.Destinations, err = readEach(destFiles, segmentimport.ParseDestinations); err != nil {
		return in, err
	}
	subs, err := readEach(subFiles, wrap(segmentimport.ParseSubscriptions))
	if err != nil {
		return in, err
	}
	filters, err := readEach(filterFiles, wrap(segmentimport.ParseFilters))
	in.Subscriptions, in.Filters = subs, filters
	return in, err
}

// readEach reads and parses each file, appending what each holds.
func readEach[T any](paths []string, parse func([]byte) ([]T, error)) ([]T, error) {
	var out []T
	for _, f := range paths {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		out = append(out, v...)
	}
	return out, nil
}

// wrap makes a parser of one file's list into a parser of a one-element list of lists,
// so each file's objects stay together (they are paired with destinations by file).
func wrap[T any](parse func([]byte) ([]T, error)) func([]byte) ([][]T, error) {
	return func(b []byte) ([][]T, error) {
		v, err := parse(b)
		return [][]T{v}, err
	}
}

// writeWorkspace writes the file whole or not at all (a temporary file renamed).
func writeWorkspace(path string, stdout io.Writer, res *segmentimport.Result) error {
	var b bytes.Buffer
	header := "Imported from Segment by `actuate import segment`.\n"
	if len(res.Report.Env) > 0 {
		header += "Secrets are ${env:NAME} references: set " + strings.Join(res.Report.Env, ", ") + " where this file is loaded.\n"
	}
	if err := segmentimport.WriteYAML(&b, header, res.Sources, res.Destinations); err != nil {
		return err
	}
	if path == "-" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// applyImport creates the imported objects through the control API in one POST
// /v1/batch: the API writes them all in one transaction or none. Sources the workspace
// has already are left out of the batch and reported as existing.
func applyImport(api, token string, res *segmentimport.Result) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := apiClient{base: strings.TrimRight(api, "/"), token: token}
	body := map[string]any{"message": "actuate import segment"}
	var sources []config.Source
	for i, s := range res.Sources {
		status, _, err := c.do(ctx, "GET", "/v1/sources/"+url.PathEscape(s.ID), nil)
		switch {
		case err != nil:
			return err
		case status == http.StatusOK:
			res.Report.Sources[i].Exists = true
		case status == http.StatusNotFound:
			sources = append(sources, s)
		default:
			return fmt.Errorf("the control API answered %d to GET /v1/sources/%s; nothing was written", status, s.ID)
		}
	}
	if len(sources) > 0 {
		body["sources"] = sources
	}
	var dests []map[string]any
	for _, d := range res.Destinations {
		dests = append(dests, map[string]any{"id": d.ID, "type": d.Type, "sources": d.Sources, "enabled": d.Enabled,
			"settings": d.Settings, "filters": d.Filters, "mappings": d.Mappings})
	}
	body["destinations"] = dests
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // mappings travel as written
	if err := enc.Encode(body); err != nil {
		return err
	}
	b := buf.Bytes()
	status, answer, err := c.do(ctx, "POST", "/v1/batch", b)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		return nil
	}
	var e struct {
		Error    string `json:"error"`
		Problems []struct {
			Path   string `json:"path"`
			Reason string `json:"reason"`
		} `json:"problems"`
	}
	json.Unmarshal(answer, &e)
	msg := fmt.Sprintf("the control API refused the import (%d: %s)", status, e.Error)
	for _, p := range e.Problems {
		msg += fmt.Sprintf("; %s: %s", p.Path, p.Reason)
	}
	if status == http.StatusNotFound {
		msg += "; this server has no POST /v1/batch: upgrade it, or use --out"
	}
	return fmt.Errorf("%s; nothing was written", msg)
}

type apiClient struct {
	base, token string
}

func (c apiClient) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("the control API at %s: %v; nothing was written", c.base, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, answer, err
}
