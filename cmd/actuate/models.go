package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/workspace"
)

// startDataModels follows the data model rows for a process that routes events or serves
// them: the models of the workspace in force and of every later one. It waits, up to
// catchUp, until the rows written before it started have been read.
func startDataModels(ctx context.Context, kafka kafkaConn, ws func() *workspace.Workspace, catchUp time.Duration, log *zap.Logger) (*datamodel.Store, error) {
	store, err := datamodel.New(datamodel.Config{Brokers: kafka.brokers, ClientOptions: kafka.opts, Logger: log.Named("datamodel")})
	if err != nil {
		return nil, err
	}
	go store.Run(ctx)
	go store.Watch(ctx, ws)
	wait, cancel := context.WithTimeout(ctx, catchUp)
	defer cancel()
	if err := store.CatchUp(wait, ws().DataModels); err != nil {
		log.Warn("data model rows not all read yet; routing goes on and applies them as they arrive", zap.Error(err))
	}
	return store, nil
}

const modelsUsage = "usage: actuate models load --model ID --file rows.ndjson|rows.csv [--key-column C] --api URL --api-token T"

// rowsPerPart bounds one POST of a load: well under the API's body limit.
const (
	rowsPerPart  = 5000
	bytesPerPart = 8 << 20
)

// runModels is `actuate models load`: a file of rows (NDJSON, or CSV with a header line)
// into a data model through the control API. Every line is checked before anything is
// sent; a bad line stops the load, reported by line with the reason. Large files go in
// parts, with a progress line; a part that fails stops the load and says how many rows
// were written before it.
func runModels(args []string, std streams) int {
	if len(args) == 0 || args[0] != "load" {
		return fail(std, exitInvalid, "%s", modelsUsage)
	}
	fs := flag.NewFlagSet("models load", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	model := fs.String("model", "", "the data model's id (data_models[].id)")
	file := fs.String("file", "", "the rows: NDJSON (one JSON object a line) or, for a name ending in .csv, CSV with a header line")
	keyColumn := fs.String("key-column", datamodel.DefaultKeyColumn, "the column that holds each row's key")
	api := fs.String("api", env("ACTUATE_API", ""), "the control API's base URL, as served by actuate serve (env ACTUATE_API)")
	token := fs.String("api-token", env("ACTUATE_API_TOKEN", ""), "the control API's bearer token (env ACTUATE_API_TOKEN)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	if *model == "" || *file == "" || *api == "" {
		return fail(std, exitInvalid, "%s", modelsUsage)
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	var lines [][]byte // NDJSON, one row each
	var bad []datamodel.LineError
	if strings.HasSuffix(strings.ToLower(*file), ".csv") {
		lines, bad, err = csvRows(data, *keyColumn)
		if err != nil {
			return fail(std, exitInvalid, "%s: %v", *file, err)
		}
	} else {
		var rows []datamodel.Row
		rows, bad, err = datamodel.ReadLines(bytes.NewReader(data), *keyColumn)
		if err != nil {
			return fail(std, exitFailure, "%s: %v", *file, err)
		}
		for _, r := range rows {
			lines = append(lines, r.Value)
		}
	}
	if len(bad) > 0 {
		for _, e := range bad {
			fmt.Fprintf(std.stderr, "%s:%d: %s\n", *file, e.Line, e.Reason)
		}
		return fail(std, exitInvalid, "%d lines are not rows; nothing was loaded", len(bad))
	}
	path := "/v1/data-models/" + url.PathEscape(*model) + "/rows?key_column=" + url.QueryEscape(*keyColumn)
	base := strings.TrimRight(*api, "/")
	ctx, stop := signalContext()
	defer stop()
	written := 0
	for start := 0; start < len(lines); {
		var part bytes.Buffer
		end := start
		for end < len(lines) && end-start < rowsPerPart && (part.Len() == 0 || part.Len()+len(lines[end]) < bytesPerPart) {
			part.Write(lines[end])
			part.WriteByte('\n')
			end++
		}
		n, err := postRows(ctx, base+path, *token, part.Bytes())
		written += n
		if err != nil {
			fmt.Fprintln(std.stderr)
			return fail(std, exitFailure, "%v; %d of %d rows were loaded (rows are independent: loading the file again is safe)", err, written, len(lines))
		}
		start = end
		fmt.Fprintf(std.stderr, "\rloaded %d/%d rows (%d%%)", written, len(lines), written*100/max(len(lines), 1))
	}
	fmt.Fprintln(std.stderr)
	fmt.Fprintf(std.stdout, "loaded %d rows into data model %s\n", written, *model)
	return exitOK
}

// csvRows turns CSV with a header line into NDJSON rows of string columns, checking each
// has a key; bad lines are numbered as in the file.
func csvRows(data []byte, keyColumn string) ([][]byte, []datamodel.LineError, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the header line: %v", err)
	}
	keyAt := -1
	for i, h := range header {
		if h == keyColumn {
			keyAt = i
		}
	}
	if keyAt < 0 {
		return nil, nil, fmt.Errorf("the header has no column %q (--key-column)", keyColumn)
	}
	var lines [][]byte
	var bad []datamodel.LineError
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, datamodel.LineError{Line: pe.Line, Reason: pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			bad = append(bad, datamodel.LineError{Line: line, Reason: fmt.Sprintf("%d fields; the header has %d", len(rec), len(header))})
			continue
		}
		if err := datamodel.CheckKey(rec[keyAt]); err != nil {
			bad = append(bad, datamodel.LineError{Line: line, Reason: err.Error()})
			continue
		}
		var b bytes.Buffer
		b.WriteByte('{')
		for i, h := range header {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(h)
			v, _ := json.Marshal(rec[i])
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
		lines = append(lines, b.Bytes())
	}
	return lines, bad, nil
}

// postRows sends one part and returns how many rows the API wrote.
func postRows(ctx context.Context, u, token string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("the control API: %v", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var a struct {
		Written int                   `json:"written"`
		Error   string                `json:"error"`
		Lines   []datamodel.LineError `json:"lines"`
	}
	json.Unmarshal(answer, &a)
	if resp.StatusCode == http.StatusOK {
		return a.Written, nil
	}
	msg := a.Error
	if msg == "" {
		msg = strings.TrimSpace(string(answer))
	}
	return a.Written, fmt.Errorf("the control API answered %d: %s", resp.StatusCode, msg)
}
