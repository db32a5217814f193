package configstore

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/actuate/actuate/processor/workspace"
)

// Memory is a store held in memory with the same write semantics as Store (versions,
// compare-and-set, history); unit tests of the control API use it.
type Memory struct {
	lookup  workspace.Lookup
	mu      sync.Mutex
	next    int64
	snap    *Snapshot
	history []HistoryEntry
}

// NewMemory returns an empty in-memory store.
func NewMemory(lookup workspace.Lookup) *Memory {
	ws, _ := Compile(nil, lookup)
	return &Memory{lookup: lookup, next: 1, snap: &Snapshot{objects: map[string]Object{}, Workspace: ws}}
}

// Snapshot returns the objects in force.
func (m *Memory) Snapshot() *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap
}

// Workspace returns the workspace in force.
func (m *Memory) Workspace() *workspace.Workspace { return m.Snapshot().Workspace }

// Update applies fn's changes atomically; an invalid result is refused.
func (m *Memory) Update(_ context.Context, meta Meta, fn func(*Snapshot) ([]Change, error)) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	changes, err := fn(m.snap)
	if err != nil || len(changes) == 0 {
		return m.snap, err
	}
	ws, err := Compile(m.snap.With(changes), m.lookup)
	if err != nil {
		return nil, err
	}
	objects := make(map[string]Object, len(m.snap.objects))
	for k, o := range m.snap.objects {
		objects[k] = o
	}
	entry := HistoryEntry{Revision: m.next, Time: time.Now().UTC(), Actor: meta.Actor, Message: meta.Message}
	for _, c := range changes {
		op := "put"
		if c.Value == nil {
			op = "delete"
			delete(objects, c.Key)
		} else {
			objects[c.Key] = Object{Key: c.Key, Value: append(json.RawMessage(nil), c.Value...), Version: m.next}
		}
		entry.Changes = append(entry.Changes, HistoryChange{Key: c.Key, Op: op, Version: m.next, Value: Redact(c.Key, c.Value, m.lookup)})
		m.next++
	}
	m.history = append(m.history, entry)
	m.snap = &Snapshot{Revision: m.next, objects: objects, Workspace: ws}
	return m.snap, nil
}

// History returns entries newest first.
func (m *Memory) History(_ context.Context, limit int, before int64) ([]HistoryEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []HistoryEntry
	for i := len(m.history) - 1; i >= 0 && len(out) < limit; i-- {
		if before <= 0 || m.history[i].Revision < before {
			out = append(out, m.history[i])
		}
	}
	return out, nil
}
