package datamodel

import (
	"context"
	"errors"
	"fmt"
	"regexp"
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

// Config configures a Store.
type Config struct {
	Brokers []string
	Logger  *zap.Logger
	// ClientOptions are extra franz-go options (TLS, SASL, test tuning).
	ClientOptions []kgo.Opt
}

// Store follows every model topic into its Tables and writes rows. It is safe for
// concurrent use.
type Store struct {
	*Tables
	cfg Config
	log *zap.Logger
	cl  *kgo.Client
	adm *kadm.Client

	mu      sync.Mutex
	pos     map[string]map[int32]int64 // offset past the last record read, per topic and partition
	changed chan struct{}              // closed and replaced whenever a position moves
	created map[string]bool            // model topics known to exist
}

// New connects a store; Run follows the model topics.
func New(cfg Config) (*Store, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("datamodel: no brokers")
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		// Every model topic, those of models added later included: a config change that
		// adds a model makes Follow refresh the metadata, which finds its topic.
		kgo.ConsumeRegex(),
		kgo.ConsumeTopics("^" + regexp.QuoteMeta(schemas.TopicModelPrefix) + ".+"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.FetchMaxWait(500 * time.Millisecond),
		kgo.MetadataMinAge(250 * time.Millisecond),
		kgo.MetadataMaxAge(30 * time.Second),
	}, cfg.ClientOptions...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("datamodel: %w", err)
	}
	return &Store{Tables: NewTables(), cfg: cfg, log: cfg.Logger, cl: cl, adm: kadm.NewClient(cl),
		pos: map[string]map[int32]int64{}, changed: make(chan struct{}), created: map[string]bool{}}, nil
}

// Close closes the store's client; Run closes it too when it returns.
func (s *Store) Close() { s.cl.Close() }

// Run reads the model topics until ctx ends.
func (s *Store) Run(ctx context.Context) error {
	defer s.cl.Close()
	for {
		fetches := s.cl.PollFetches(ctx)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		fetches.EachError(func(topic string, _ int32, err error) {
			s.log.Warn("reading data model rows", zap.String("topic", topic), zap.Error(err))
		})
		s.mu.Lock()
		moved := false
		fetches.EachRecord(func(r *kgo.Record) {
			parts := s.pos[r.Topic]
			if parts == nil {
				parts = map[int32]int64{}
				s.pos[r.Topic] = parts
			}
			if r.Offset+1 > parts[r.Partition] {
				parts[r.Partition] = r.Offset + 1
				moved = true
			}
			if r.Attrs.IsControl() {
				return
			}
			model := strings.TrimPrefix(r.Topic, schemas.TopicModelPrefix)
			key := string(r.Key)
			if r.Value == nil {
				s.Tables.Remove(model, key)
				return
			}
			row, err := ParseRow(r.Value)
			if err != nil {
				s.log.Warn("data model row ignored", zap.String("model", model), zap.Int64("offset", r.Offset), zap.Error(err))
				return
			}
			s.Tables.Set(model, key, row)
		})
		if moved {
			close(s.changed)
			s.changed = make(chan struct{})
		}
		s.mu.Unlock()
	}
}

// Follow makes sure the topics of models exist, so the store reads them; call it with
// every workspace.
func (s *Store) Follow(ctx context.Context, models []*workspace.DataModel) error {
	var errs []error
	added := false
	for _, m := range models {
		ok, err := s.ensureTopic(ctx, m.Topic)
		if err != nil {
			errs = append(errs, err)
		}
		added = added || ok
	}
	if added {
		s.cl.ForceMetadataRefresh()
	}
	return errors.Join(errs...)
}

// ensureTopic creates a model topic (one partition, compacted) unless it exists; ok
// reports that the store did not know it before.
func (s *Store) ensureTopic(ctx context.Context, topic string) (bool, error) {
	s.mu.Lock()
	known := s.created[topic]
	s.mu.Unlock()
	if known {
		return false, nil
	}
	resp, err := s.adm.CreateTopic(ctx, 1, -1, map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return false, fmt.Errorf("datamodel: creating %s: %w", topic, err)
	}
	s.mu.Lock()
	s.created[topic] = true
	s.mu.Unlock()
	return true, nil
}

// Put writes a row (a JSON object) and returns once this process has applied it.
func (s *Store) Put(ctx context.Context, model *workspace.DataModel, key string, row []byte) error {
	_, err := s.PutRows(ctx, model, []Row{{Key: key, Value: row}})
	return err
}

// Delete deletes a row (a tombstone) and returns once this process has applied it.
func (s *Store) Delete(ctx context.Context, model *workspace.DataModel, key string) error {
	_, err := s.PutRows(ctx, model, []Row{{Key: key}})
	return err
}

// PutRows writes rows (a nil Value deletes) in order and returns once this process has
// applied them. On an error, written says how many of the first rows were acknowledged.
func (s *Store) PutRows(ctx context.Context, model *workspace.DataModel, rows []Row) (written int, err error) {
	if _, err := s.ensureTopic(ctx, model.Topic); err != nil {
		return 0, err
	}
	records := make([]*kgo.Record, len(rows))
	for i, r := range rows {
		records[i] = &kgo.Record{Topic: model.Topic, Key: []byte(r.Key), Value: r.Value}
	}
	results := s.cl.ProduceSync(ctx, records...)
	ends := map[int32]int64{}
	for i, r := range results {
		if r.Err != nil {
			return i, fmt.Errorf("datamodel: writing row %q: %w", rows[i].Key, r.Err)
		}
		ends[r.Record.Partition] = max(ends[r.Record.Partition], r.Record.Offset+1)
	}
	s.cl.ForceMetadataRefresh() // a topic this process has not read yet
	for p, end := range ends {
		if err := s.WaitFor(ctx, model.Topic, p, end); err != nil {
			return len(rows), err
		}
	}
	return len(rows), nil
}

// WaitFor waits until the store has read every record of the partition before offset.
func (s *Store) WaitFor(ctx context.Context, topic string, partition int32, offset int64) error {
	for {
		s.mu.Lock()
		pos, ch := s.pos[topic][partition], s.changed
		s.mu.Unlock()
		if pos >= offset {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("datamodel: waiting for %s[%d] to reach offset %d (at %d): %w", topic, partition, offset, pos, ctx.Err())
		case <-ch:
		}
	}
}

// CatchUp makes sure the models' topics exist and waits until every row committed to them
// before the call has been read: what a processor does before it routes.
func (s *Store) CatchUp(ctx context.Context, models []*workspace.DataModel) error {
	if len(models) == 0 {
		return nil
	}
	if err := s.Follow(ctx, models); err != nil {
		return err
	}
	topics := make([]string, len(models))
	for i, m := range models {
		topics[i] = m.Topic
	}
	offsets, err := s.adm.ListCommittedOffsets(ctx, topics...)
	if err != nil {
		return fmt.Errorf("datamodel: listing offsets: %w", err)
	}
	var errs []error
	offsets.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			errs = append(errs, fmt.Errorf("datamodel: listing offsets of %s: %w", o.Topic, o.Err))
			return
		}
		if o.Offset > 0 {
			if err := s.WaitFor(ctx, o.Topic, o.Partition, o.Offset); err != nil {
				errs = append(errs, err)
			}
		}
	})
	return errors.Join(errs...)
}

// Watch follows the data models of the workspace in force (ws) as it changes, checking
// every second, until ctx ends: a model added to the config is read from then on.
func (s *Store) Watch(ctx context.Context, ws func() *workspace.Workspace) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	followed := int64(-1)
	for {
		if w := ws(); w != nil && w.Version != followed {
			if err := s.Follow(ctx, w.DataModels); err != nil {
				s.log.Warn("following data models", zap.Error(err))
			} else {
				followed = w.Version
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
