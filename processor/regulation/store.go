package regulation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Config is where the regulations live.
type Config struct {
	Brokers       []string
	Topic         string // default schemas.TopicRegulations
	Logger        *zap.Logger
	ClientOptions []kgo.Opt
}

// Store follows the regulations topic and writes to it. Every process that drops
// suppressed users' events runs one.
type Store struct {
	cfg   Config
	cl    *kgo.Client
	state *state

	mu   sync.Mutex
	next int64 // offset of the next record to read (one partition)
	read chan struct{}
}

// ErrInvalid wraps a regulation that cannot be created.
var ErrInvalid = errors.New("invalid regulation")

// NewStore returns a store; Run reads the topic.
func NewStore(cfg Config) (*Store, error) {
	if cfg.Topic == "" {
		cfg.Topic = schemas.TopicRegulations
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	cfg.Logger = cfg.Logger.Named("regulation")
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...), kgo.ConsumeTopics(cfg.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.RequiredAcks(kgo.AllISRAcks())}, cfg.ClientOptions...)...)
	if err != nil {
		return nil, err
	}
	return &Store{cfg: cfg, cl: cl, state: newState(), read: make(chan struct{})}, nil
}

// Suppressed reports whether userID's events are to be dropped.
func (s *Store) Suppressed(userID []byte) bool {
	return len(userID) > 0 && s.state.isSuppressed(userID)
}

// Get returns a regulation with its destinations' statuses.
func (s *Store) Get(id string) (*Regulation, bool) { return s.state.get(id) }

// List returns every regulation with its destinations' statuses, newest first.
func (s *Store) List() []*Regulation { return s.state.list() }

// Run creates the topic when missing and follows it until ctx ends.
func (s *Store) Run(ctx context.Context) error {
	defer s.cl.Close()
	if err := ensureTopic(ctx, s.cl, s.cfg.Topic); err != nil {
		return err
	}
	for {
		fetches := s.cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fetches.EachError(func(t string, p int32, err error) {
			s.cfg.Logger.Warn("reading regulations", zap.String("topic", t), zap.Error(err))
		})
		fetches.EachRecord(func(r *kgo.Record) {
			s.apply(r.Key, r.Value)
			s.mu.Lock()
			s.next = r.Offset + 1
			close(s.read)
			s.read = make(chan struct{})
			s.mu.Unlock()
		})
	}
}

func (s *Store) apply(key, value []byte) {
	k := string(key)
	switch {
	case strings.HasPrefix(k, "regulation/"):
		var r Regulation
		if json.Unmarshal(value, &r) == nil && r.ID != "" {
			s.state.putRegulation(&r)
		}
	case strings.HasPrefix(k, "status/"):
		id, _, ok := strings.Cut(strings.TrimPrefix(k, "status/"), "/")
		var st Status
		if ok && json.Unmarshal(value, &st) == nil && st.Destination != profilesKey {
			s.state.putStatus(id, &st)
		}
	case strings.HasPrefix(k, "profiles/"):
		var st Status
		if json.Unmarshal(value, &st) == nil {
			st.Destination = profilesKey
			s.state.putStatus(strings.TrimPrefix(k, "profiles/"), &st)
		}
	}
}

// statusKey is the record key of a regulation's status: "status/<id>/<instance>" for a
// destination, "profiles/<id>" for the profiles' erasure, whose key no instance id can
// take.
func statusKey(id string, st *Status) []byte {
	if st.Destination == profilesKey {
		return []byte("profiles/" + id)
	}
	return []byte("status/" + id + "/" + st.Destination)
}

// CatchUp waits until the store has read every record written before the call.
func (s *Store) CatchUp(ctx context.Context) error {
	ends, err := kadm.NewClient(s.cl).ListEndOffsets(ctx, s.cfg.Topic)
	if err != nil {
		return err
	}
	end, ok := ends.Lookup(s.cfg.Topic, 0)
	if !ok || end.Err != nil {
		if end.Err != nil && !errors.Is(end.Err, kerr.UnknownTopicOrPartition) {
			return end.Err
		}
		return nil
	}
	for {
		s.mu.Lock()
		next, read := s.next, s.read
		s.mu.Unlock()
		if next >= end.Offset {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-read:
		}
	}
}

// Create writes a regulation of typ for userIDs and, for the deleting types, a pending
// status per destination instance of ws that can delete users (not_supported for the
// others) and one for the erasure of their profiles (skipped when ws keeps none). The
// regulation applies in this process at once and in the others as they read it.
func (s *Store) Create(ctx context.Context, typ Type, userIDs []string, ws *workspace.Workspace) (*Regulation, error) {
	if len(userIDs) == 0 {
		return nil, fmt.Errorf("%w: no user ids", ErrInvalid)
	}
	for _, u := range userIDs {
		if u == "" {
			return nil, fmt.Errorf("%w: an empty user id", ErrInvalid)
		}
	}
	var b [8]byte
	rand.Read(b[:])
	now := time.Now().UTC()
	reg := &Regulation{ID: "reg_" + hex.EncodeToString(b[:]), Type: typ, UserIDs: userIDs, CreatedAt: now}
	value, _ := json.Marshal(reg)
	recs := []*kgo.Record{{Topic: s.cfg.Topic, Key: []byte("regulation/" + reg.ID), Value: value}}
	var statuses []*Status
	if typ.deletes() && ws != nil {
		for _, inst := range ws.Instances {
			st := &Status{Destination: inst.ID, State: StatePending, UpdatedAt: now}
			if inst.Definition == nil || inst.Definition.Delete == nil {
				st.State = StateNotSupported
			}
			statuses = append(statuses, st)
		}
		profiles := &Status{Destination: profilesKey, State: StatePending, UpdatedAt: now}
		if !ws.Profiles {
			profiles.State = StateSkipped
		}
		statuses = append(statuses, profiles)
		for _, st := range statuses {
			v, _ := json.Marshal(st)
			recs = append(recs, &kgo.Record{Topic: s.cfg.Topic, Key: statusKey(reg.ID, st), Value: v})
		}
	}
	if err := s.cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return nil, fmt.Errorf("writing the regulation: %w", err)
	}
	s.state.putRegulation(reg)
	for _, st := range statuses {
		s.state.putStatus(reg.ID, st)
	}
	s.cfg.Logger.Info("regulation created", zap.String("id", reg.ID), zap.String("type", string(typ)), zap.Int("users", len(userIDs)))
	out, _ := s.state.get(reg.ID)
	return out, nil
}

// setStatus writes a deletion's new status.
func (s *Store) setStatus(ctx context.Context, id string, st *Status) error {
	st.UpdatedAt = time.Now().UTC()
	v, _ := json.Marshal(st)
	if err := s.cl.ProduceSync(ctx, &kgo.Record{Topic: s.cfg.Topic, Key: statusKey(id, st), Value: v}).FirstErr(); err != nil {
		return err
	}
	s.state.putStatus(id, st)
	return nil
}

func ensureTopic(ctx context.Context, cl *kgo.Client, topic string) error {
	// One partition: regulations are few, and one order is what every process reads.
	resp, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) && ctx.Err() == nil {
		return fmt.Errorf("regulations topic %s: %w", topic, err)
	}
	return nil
}
