package kgroup

import (
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Logger passes franz-go's warnings and errors to l, prefixed "kafka: ". Its errors keep
// their level but not zap's stack trace: the stack would only show this adapter, and during
// a broker outage franz-go logs an error every few seconds.
func Logger(l *zap.Logger) kgo.Logger {
	return kafkaLogger{l.WithOptions(zap.AddStacktrace(zapcore.FatalLevel))}
}

type kafkaLogger struct{ l *zap.Logger }

func (k kafkaLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (k kafkaLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	fields := make([]zap.Field, 0, len(keyvals)/2)
	for i := 0; i+1 < len(keyvals); i += 2 {
		if key, ok := keyvals[i].(string); ok {
			fields = append(fields, zap.Any(key, keyvals[i+1]))
		}
	}
	if level <= kgo.LogLevelError {
		k.l.Error("kafka: "+msg, fields...)
	} else {
		k.l.Warn("kafka: "+msg, fields...)
	}
}
