package parity

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
)

// segmentCase is one line the runner reads (see runner.js).
type segmentCase struct {
	ID          int               `json:"id"`
	Destination string            `json:"destination"`
	Action      string            `json:"action"`
	Settings    map[string]any    `json:"settings"`
	Auth        map[string]any    `json:"auth,omitempty"`
	Mapping     json.RawMessage   `json:"mapping"`
	Events      []json.RawMessage `json:"events"`
	Batch       bool              `json:"batch,omitempty"`
	Responses   []reply           `json:"responses,omitempty"`
}

// reply is a scripted response: the first reply whose method and URL pattern match a
// request (and whose Times are not used up; 0 means unlimited) answers it, on both sides.
type reply struct {
	Method string          `json:"method,omitempty"`
	URL    string          `json:"url,omitempty"` // regular expression over the full URL
	Status int             `json:"status,omitempty"`
	Body   json.RawMessage `json:"body,omitempty"`
	Times  int             `json:"times,omitempty"`
}

// sent is one request as either side made it.
type sent struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// run is what one event (or one batch) produced: the requests, and the error the action
// ended with, if any.
type run struct {
	Requests []sent `json:"requests"`
	Error    string `json:"error,omitempty"`
	// Returned is what Segment's action handed back when it made no request.
	Returned json.RawMessage `json:"returned,omitempty"`
}

type segmentReply struct {
	ID    int    `json:"id"`
	Runs  []run  `json:"runs"`
	Error string `json:"error"`
}

// segmentRunner is one long-lived `node runner.js`, fed many cases.
type segmentRunner struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	enc *json.Encoder
}

func startSegment(t *testing.T) *segmentRunner {
	t.Helper()
	if os.Getenv("ACTUATE_SEGMENT_REF") != "1" {
		t.Skip("set ACTUATE_SEGMENT_REF=1 (scripts/test.sh does) to run Segment's destinations under Node; it needs destinations/parity/node_modules (npm ci)")
	}
	if _, err := os.Stat("node_modules/@segment/action-destinations"); err != nil {
		t.Skipf("Segment's destinations are not installed: run `npm ci` in destinations/parity (scripts/test.sh does) (%v)", err)
	}
	cmd := exec.Command("node", "runner.js")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("node: %v", err)
	}
	r := &segmentRunner{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20), enc: json.NewEncoder(in)}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return r
}

// runAll sends every case, then reads the replies, in order; the runner handles one case
// at a time, so writing ahead only fills the pipe.
func (r *segmentRunner) runAll(cases []segmentCase) ([][]run, error) {
	errc := make(chan error, 1)
	go func() {
		for i := range cases {
			if err := r.enc.Encode(&cases[i]); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	out := make([][]run, len(cases))
	for i := range cases {
		line, err := r.out.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("reading the runner's reply %d: %w", i, err)
		}
		var rep segmentReply
		if err := json.Unmarshal(line, &rep); err != nil {
			return nil, fmt.Errorf("runner reply %q: %w", line, err)
		}
		if rep.Error != "" {
			return nil, fmt.Errorf("runner failed on %s/%s: %s", cases[i].Destination, cases[i].Action, rep.Error)
		}
		if rep.ID != cases[i].ID {
			return nil, fmt.Errorf("runner replied to case %d, want %d", rep.ID, cases[i].ID)
		}
		out[i] = rep.Runs
	}
	return out, <-errc
}
