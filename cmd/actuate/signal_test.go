package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A shutdown that hangs (a group leave stuck behind a rebalance, say) must not make the
// process deaf: the first signal cancels the context, the second exits at once.
func TestSecondSignalExitsAHungShutdown(t *testing.T) {
	if os.Getenv("ACTUATE_SIGNAL_CHILD") == "1" {
		ctx, stop := signalContext()
		defer stop()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		os.Stdout.WriteString("cancelled\n")
		select {} // a shutdown that never finishes
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalExitsAHungShutdown$")
	cmd.Env = append(os.Environ(), "ACTUATE_SIGNAL_CHILD=1")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitForOutput(t, &stdout, "ready")
	cmd.Process.Signal(syscall.SIGINT)
	waitForOutput(t, &stdout, "cancelled")
	cmd.Process.Signal(syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitFailure {
			t.Fatalf("exit: %v, want code %d", err, exitFailure)
		}
		if !strings.Contains(stderr.String(), "again: exiting now") {
			t.Fatalf("stderr does not say why it exited: %q", stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the second SIGINT did not end the process")
	}
}

func waitForOutput(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("child never printed %q; got %q", want, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
