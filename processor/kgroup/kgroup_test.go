package kgroup

import (
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestCloseWithinReturnsWhenTheCloseDoes(t *testing.T) {
	closed := false
	if !CloseWithin(func() { closed = true }, time.Minute, zap.NewNop()) || !closed {
		t.Fatal("a prompt close was not waited for")
	}
}

func TestCloseWithinGivesUpOnAHungLeave(t *testing.T) {
	core, logs := observer.New(zap.WarnLevel)
	hung := make(chan struct{})
	defer close(hung)
	if CloseWithin(func() { <-hung }, 10*time.Millisecond, zap.New(core)) {
		t.Fatal("a hung close reported finished")
	}
	if logs.Len() != 1 {
		t.Fatalf("want one warning saying why, got %d", logs.Len())
	}
}
