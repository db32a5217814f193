package profile

import (
	"encoding/json"
	"fmt"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Commands travel on the repartition topic (actuate.profiles.repartition), keyed by the
// profile they act on, to the partition that owns that key; the processor applies them in
// the same transaction as the events of that partition.
const (
	// OpErase erases the profile (a deletion request): a tombstone on the changelog.
	OpErase = "erase"
	// OpForward asks the partition of an anonymous id to take its profile out and send it
	// to the user's partition (Into) as an OpMerge.
	OpForward = "forward"
	// OpMerge merges an anonymous profile (From, Profile) into the key's.
	OpMerge = "merge"
)

// Command is one repartition record's value, as JSON.
type Command struct {
	Op string `json:"op"`
	// Into is the user's key, for OpForward.
	Into string `json:"into,omitempty"`
	// From is the anonymous id merged, for OpMerge; Profile its profile (absent when it
	// had none).
	From    string          `json:"from,omitempty"`
	Profile json.RawMessage `json:"profile,omitempty"`
}

// EncodeCommand returns c's record value.
func EncodeCommand(c Command) []byte {
	if c.Op == OpForward {
		return AppendForward(nil, []byte(c.Into))
	}
	b, _ := json.Marshal(c) // strings and valid JSON only: cannot fail
	return b
}

// AppendForward appends the record value of an OpForward command to the key into: the one
// command routing makes, per identify whose anonymous id lives elsewhere, so it is written
// out (into a buffer the caller reuses) rather than through reflection.
func AppendForward(dst, into []byte) []byte {
	dst = append(dst, `{"op":"forward","into":`...)
	return append(jsvalue.AppendQuotedBytes(dst, into), '}')
}

// DecodeCommand reads a repartition record's value.
func DecodeCommand(data []byte) (Command, error) {
	var c Command
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("profile command: %v", err)
	}
	switch c.Op {
	case OpErase:
	case OpForward:
		if c.Into == "" {
			return c, fmt.Errorf("profile command %s: into is missing", c.Op)
		}
	case OpMerge:
		if c.From == "" {
			return c, fmt.Errorf("profile command %s: from is missing", c.Op)
		}
	default:
		return c, fmt.Errorf("profile command: unknown op %q", c.Op)
	}
	return c, nil
}
