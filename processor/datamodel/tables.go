// Package datamodel keeps data models, tables joined to the event stream: each model's
// rows live on the compacted topic actuate.model.<id>, keyed by the row key, with the row
// as a JSON object for value (a tombstone deletes the row).
//
// Every process that routes events follows every model topic as a global table: it reads
// each from the start, keeps the rows in memory (Tables) and applies each record as it
// arrives, so a changed row applies to the events routed after the process read it. The
// processor waits, before routing, until it has read every row written before it started
// (Store.CatchUp); after that, rows and events are read side by side and, as with Kafka
// Streams' global tables, a row and an event written at the same moment may be seen in
// either order.
//
// Rows are parsed once, when read, into values that are never changed again (a new
// version of a row is a new value), so routers on several goroutines read them without
// copying.
package datamodel

import (
	"errors"
	"fmt"
	"sync"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// MaxKeyLength bounds a row key, in bytes.
const MaxKeyLength = 1024

// Tables holds every model's rows in memory. It is safe for concurrent use.
type Tables struct {
	mu     sync.RWMutex
	models map[string]map[string]*fastjson.Value
}

// NewTables returns empty tables.
func NewTables() *Tables { return &Tables{models: map[string]map[string]*fastjson.Value{}} }

// Row returns the row of model with the key, or nil; the row must not be changed. It is
// route.Rows.
func (t *Tables) Row(model string, key []byte) *fastjson.Value {
	t.mu.RLock()
	v := t.models[model][string(key)]
	t.mu.RUnlock()
	return v
}

// Get returns the row of model with the key as JSON.
func (t *Tables) Get(model, key string) ([]byte, bool) {
	v := t.Row(model, []byte(key))
	if v == nil {
		return nil, false
	}
	return jsvalue.AppendParsed(nil, v), true
}

// Len returns how many rows model has.
func (t *Tables) Len(model string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.models[model])
}

// Set sets a row, parsed by ParseRow.
func (t *Tables) Set(model, key string, row *fastjson.Value) {
	t.mu.Lock()
	m := t.models[model]
	if m == nil {
		m = map[string]*fastjson.Value{}
		t.models[model] = m
	}
	m[key] = row
	t.mu.Unlock()
}

// Remove removes a row.
func (t *Tables) Remove(model, key string) {
	t.mu.Lock()
	delete(t.models[model], key)
	t.mu.Unlock()
}

// ParseRow parses a row, which must be a JSON object, into a value that is safe to read
// from several goroutines: fastjson unescapes keys and strings lazily, on first read,
// so every one is read here once.
func ParseRow(data []byte) (*fastjson.Value, error) {
	var p fastjson.Parser // one per row: the value lives in its parser
	v, err := p.ParseBytes(data)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if v.Type() != fastjson.TypeObject {
		return nil, fmt.Errorf("a row is a JSON object, not %s", v.Type())
	}
	settle(v)
	return v, nil
}

func settle(v *fastjson.Value) {
	switch v.Type() { // Type unescapes a string
	case fastjson.TypeObject:
		o, _ := v.Object()
		o.Visit(func(_ []byte, c *fastjson.Value) { settle(c) }) // Visit unescapes the keys
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, c := range a {
			settle(c)
		}
	}
}

// CheckKey says why key cannot be a row key, or returns nil.
func CheckKey(key string) error {
	switch {
	case key == "":
		return errors.New("the row key is empty")
	case len(key) > MaxKeyLength:
		return fmt.Errorf("the row key is %d bytes; at most %d", len(key), MaxKeyLength)
	}
	return nil
}
