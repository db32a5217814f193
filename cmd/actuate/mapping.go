package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
)

// Events given as files on the command line are the user's own test data; the pipeline's
// tighter limits would only get in the way of inspecting a large one.
const maxFileEventBytes = 16 << 20

func runMapping(args []string, std streams) int {
	if len(args) == 0 || args[0] != "render" {
		return fail(std, exitInvalid, "usage: actuate mapping render --mapping FILE (--event FILE | --events FILE.ndjson [--triggers FILE.json])")
	}
	fs := flag.NewFlagSet("mapping render", flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	mappingFile := fs.String("mapping", "", "a file holding the mapping as JSON")
	eventFile := fs.String("event", "", "a file holding one event as JSON")
	eventsFile := fs.String("events", "", "a file of events, one JSON object per line (- for standard input)")
	triggersFile := fs.String("triggers", "", "with --events: a JSON array of trigger expressions")
	if err := fs.Parse(args[1:]); err != nil {
		return exitInvalid
	}
	if *mappingFile == "" || (*eventFile == "") == (*eventsFile == "") {
		return fail(std, exitInvalid, "mapping render needs --mapping and exactly one of --event or --events")
	}
	if *triggersFile != "" && *eventsFile == "" {
		return fail(std, exitInvalid, "--triggers goes with --events")
	}
	raw, err := os.ReadFile(*mappingFile)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	m, err := mapping.Compile(raw)
	if err != nil {
		return fail(std, exitInvalid, "invalid mapping %s:\n%v", *mappingFile, err)
	}
	if *eventFile != "" {
		return renderOne(m, *eventFile, std)
	}
	var triggers []*fql.Expr
	if *triggersFile != "" {
		if triggers, err = loadTriggers(*triggersFile); err != nil {
			return fail(std, exitInvalid, "%v", err)
		}
	}
	in := std.stdin
	if *eventsFile != "-" {
		f, err := os.Open(*eventsFile)
		if err != nil {
			return fail(std, exitFailure, "%v", err)
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriterSize(std.stdout, 64<<10)
	if err := renderStream(m, triggers, bufio.NewReaderSize(in, 64<<10), out); err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	if err := out.Flush(); err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	return exitOK
}

func renderOne(m *mapping.Mapping, eventFile string, std streams) int {
	data, err := os.ReadFile(eventFile)
	if err != nil {
		return fail(std, exitFailure, "%v", err)
	}
	ev, err := event.NewDecoder(event.Limits{MaxBytes: maxFileEventBytes}).Decode(data)
	if err != nil {
		return fail(std, exitInvalid, "%s: %v", eventFile, err)
	}
	out, err := m.AppendJSON(nil, ev)
	if err != nil {
		return fail(std, exitInvalid, "rendering failed: %v", err)
	}
	std.stdout.Write(append(out, '\n'))
	return exitOK
}

func loadTriggers(path string) ([]*fql.Expr, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var sources []string
	if err := json.Unmarshal(data, &sources); err != nil {
		return nil, fmt.Errorf("%s: want a JSON array of trigger expressions: %v", path, err)
	}
	var errs []error
	triggers := make([]*fql.Expr, len(sources))
	for i, src := range sources {
		if triggers[i], err = fql.Parse(src); err != nil {
			errs = append(errs, fmt.Errorf("%s: trigger %d: %v", path, i, err))
		}
	}
	return triggers, errors.Join(errs...)
}

// renderStream writes one output line per input line. A bad line gets an error object on
// its own line so the output stays aligned with the input and the stream keeps going.
func renderStream(m *mapping.Mapping, triggers []*fql.Expr, in *bufio.Reader, out *bufio.Writer) error {
	decoder := event.NewDecoder(event.Limits{MaxBytes: maxFileEventBytes})
	var line, buf []byte
	for {
		var err error
		line, err = readLine(in, line[:0])
		if len(line) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if len(line) == 0 {
			continue // blank lines separate nothing; they carry no event
		}
		buf = renderLine(m, triggers, decoder, line, buf[:0])
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
}

// renderLine appends the output line for one input line to buf, which must be empty: an
// error replaces whatever was written for the line so far.
func renderLine(m *mapping.Mapping, triggers []*fql.Expr, decoder *event.Decoder, line, buf []byte) []byte {
	ev, err := decoder.Decode(line)
	if err != nil {
		return appendErrorLine(buf, err)
	}
	if triggers == nil {
		buf, err = m.AppendJSON(buf, ev)
		if err != nil {
			return appendErrorLine(buf[:0], err)
		}
		return append(buf, '\n')
	}
	buf = append(buf, `{"m":[`...)
	matched := false
	for i, t := range triggers {
		if t.Match(ev) {
			if matched {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(i), 10)
			matched = true
		}
	}
	buf = append(buf, `],"out":`...)
	if !matched {
		return append(buf, "null}\n"...)
	}
	buf, err = m.AppendJSON(buf, ev)
	if err != nil {
		return appendErrorLine(buf[:0], err)
	}
	return append(buf, "}\n"...)
}

func appendErrorLine(buf []byte, err error) []byte {
	buf = append(buf, `{"error":`...)
	msg, _ := json.Marshal(err.Error())
	buf = append(buf, msg...)
	return append(buf, "}\n"...)
}

// readLine reads one line of any length without its line ending.
func readLine(in *bufio.Reader, dst []byte) ([]byte, error) {
	for {
		chunk, err := in.ReadSlice('\n')
		dst = append(dst, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if n := len(dst); n > 0 && dst[n-1] == '\n' {
			dst = dst[:n-1]
			if n := len(dst); n > 0 && dst[n-1] == '\r' {
				dst = dst[:n-1]
			}
		}
		return dst, err
	}
}
