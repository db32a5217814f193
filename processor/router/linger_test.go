package router

import (
	"testing"
	"time"
)

// The linger follows the commits' duration: a few milliseconds when commits are quick, the
// configured interval at most when they are slow, and one slow commit moves it only part
// of the way.
func TestLingerFollowsTheCommitsDuration(t *testing.T) {
	l := linger{max: 100 * time.Millisecond}
	if got := l.next(); got != minLinger {
		t.Errorf("before any commit: %v, want %v", got, minLinger)
	}
	for range 20 {
		l.committed(3 * time.Millisecond)
	}
	if got := l.next(); got != 12*time.Millisecond {
		t.Errorf("after quick commits (3 ms): %v, want 12ms", got)
	}
	l.committed(60 * time.Millisecond)
	if got := l.next(); got <= 12*time.Millisecond || got >= 100*time.Millisecond {
		t.Errorf("after one slow commit: %v, want between the two", got)
	}
	for range 20 {
		l.committed(80 * time.Millisecond)
	}
	if got := l.next(); got != 100*time.Millisecond {
		t.Errorf("after slow commits (80 ms): %v, want the 100ms maximum", got)
	}
	for range 20 {
		l.committed(100 * time.Microsecond)
	}
	if got := l.next(); got != minLinger {
		t.Errorf("after instant commits: %v, want the %v floor", got, minLinger)
	}
}
