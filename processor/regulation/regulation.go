package regulation

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Type is a regulation's type, as Segment names them.
type Type string

// The regulation types.
const (
	SuppressOnly       Type = "SUPPRESS_ONLY"
	SuppressWithDelete Type = "SUPPRESS_WITH_DELETE"
	DeleteOnly         Type = "DELETE_ONLY"
	Unsuppress         Type = "UNSUPPRESS"
)

// ParseType reads a type by Segment's name or its short form (suppress, delete,
// suppress_with_delete, unsuppress), in any case.
func ParseType(s string) (Type, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "SUPPRESS", "SUPPRESS_ONLY":
		return SuppressOnly, true
	case "SUPPRESS_WITH_DELETE":
		return SuppressWithDelete, true
	case "DELETE", "DELETE_ONLY":
		return DeleteOnly, true
	case "UNSUPPRESS":
		return Unsuppress, true
	}
	return "", false
}

func (t Type) suppresses() bool { return t == SuppressOnly || t == SuppressWithDelete }
func (t Type) deletes() bool    { return t == DeleteOnly || t == SuppressWithDelete }

// States of a deletion at one destination.
const (
	StatePending      = "pending"
	StateRetrying     = "retrying"
	StateSucceeded    = "succeeded"
	StateFailed       = "failed"
	StateNotSupported = "not_supported" // the destination has no delete operation
	StateSkipped      = "skipped"       // profiles were off when the regulation was made
)

// profilesKey is the profiles' erasure's key among a regulation's statuses: an instance
// id is never empty, so no destination can take it.
const profilesKey = ""

// Regulation is one privacy request.
type Regulation struct {
	ID        string    `json:"id"`
	Type      Type      `json:"type"`
	UserIDs   []string  `json:"user_ids"`
	CreatedAt time.Time `json:"created_at"`
	// Destinations holds each destination's deletion status (deleting types only); filled
	// by Store.Get, not stored in the regulation's record.
	Destinations map[string]*Status `json:"destinations,omitempty"`
	// Profiles is the erasure of the users' profiles (deleting types only, made by this
	// version on): filled by Store.Get like Destinations.
	Profiles *Status `json:"profiles,omitempty"`
}

// Status is a deletion's state at one destination, or of the profiles' erasure.
type Status struct {
	// Destination is the instance id; empty for the profiles' erasure.
	Destination string    `json:"destination,omitempty"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	Error       string    `json:"error,omitempty"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (s *Status) open() bool { return s.State == StatePending || s.State == StateRetrying }

// state is what a process knows of the regulations topic.
type state struct {
	mu         sync.RWMutex
	regs       map[string]*Regulation
	statuses   map[string]map[string]*Status // regulation → destination → status
	suppressed map[string]bool
}

func newState() *state {
	return &state{regs: map[string]*Regulation{}, statuses: map[string]map[string]*Status{}, suppressed: map[string]bool{}}
}

func (s *state) putRegulation(r *Regulation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regs[r.ID] = r
	s.recompute()
}

func (s *state) putStatus(id string, st *Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.statuses[id]
	if m == nil {
		m = map[string]*Status{}
		s.statuses[id] = m
	}
	if cur := m[st.Destination]; cur != nil && cur.UpdatedAt.After(st.UpdatedAt) {
		return // an older record read after a newer one written here
	}
	m[st.Destination] = st
}

// recompute rebuilds the suppressed users: suppressing regulations in creation order,
// less the users a later UNSUPPRESS names. Called with mu held.
func (s *state) recompute() {
	regs := make([]*Regulation, 0, len(s.regs))
	for _, r := range s.regs {
		regs = append(regs, r)
	}
	sort.Slice(regs, func(i, j int) bool {
		if !regs[i].CreatedAt.Equal(regs[j].CreatedAt) {
			return regs[i].CreatedAt.Before(regs[j].CreatedAt)
		}
		return regs[i].ID < regs[j].ID
	})
	out := map[string]bool{}
	for _, r := range regs {
		for _, u := range r.UserIDs {
			switch {
			case r.Type.suppresses():
				out[u] = true
			case r.Type == Unsuppress:
				delete(out, u)
			}
		}
	}
	s.suppressed = out
}

func (s *state) isSuppressed(userID []byte) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.suppressed[string(userID)]
}

func (s *state) get(id string) (*Regulation, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.regs[id]
	if !ok {
		return nil, false
	}
	out := *r
	out.UserIDs = slices.Clone(r.UserIDs)
	for k, v := range s.statuses[id] {
		c := *v
		if k == profilesKey {
			out.Profiles = &c
			continue
		}
		if out.Destinations == nil {
			out.Destinations = map[string]*Status{}
		}
		out.Destinations[k] = &c
	}
	return &out, true
}

// list returns every regulation with its statuses, newest first.
func (s *state) list() []*Regulation {
	s.mu.RLock()
	ids := make([]string, 0, len(s.regs))
	for id := range s.regs {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	out := make([]*Regulation, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.get(id); ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

// due is one deletion to attempt.
type due struct {
	reg    Regulation
	status Status
}

func (s *state) due(now time.Time) []due {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []due
	for id, m := range s.statuses {
		r := s.regs[id]
		if r == nil {
			continue
		}
		for _, st := range m {
			if st.open() && !st.NextAttempt.After(now) {
				out = append(out, due{reg: *r, status: *st})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].reg.ID != out[j].reg.ID {
			return out[i].reg.ID < out[j].reg.ID
		}
		return out[i].status.Destination < out[j].status.Destination
	})
	return out
}
