package kgroup

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestLoggerKeepsLevelsAndDropsStacks(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	l := Logger(zap.New(core, zap.AddStacktrace(zapcore.ErrorLevel)))
	if l.Level() != kgo.LogLevelWarn {
		t.Fatalf("level %v, want warn", l.Level())
	}
	l.Log(kgo.LogLevelError, "group manage loop errored", "group", "g", "err", "dial: refused")
	l.Log(kgo.LogLevelWarn, "unable to open connection", "addr", "127.0.0.1:9")
	got := logs.All()
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2", len(got))
	}
	if got[0].Level != zapcore.ErrorLevel || got[0].Message != "kafka: group manage loop errored" || got[0].Stack != "" {
		t.Errorf("error entry: %v %q stack %q", got[0].Level, got[0].Message, got[0].Stack)
	}
	if got[0].ContextMap()["group"] != "g" || got[0].ContextMap()["err"] != "dial: refused" {
		t.Errorf("error entry fields: %v", got[0].ContextMap())
	}
	if got[1].Level != zapcore.WarnLevel || got[1].ContextMap()["addr"] != "127.0.0.1:9" {
		t.Errorf("warn entry: %v %v", got[1].Level, got[1].ContextMap())
	}
}
