package router

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/profile"
)

// The Kafka side of profiles (processor/profile says what they are):
//
//   - Each profile update an event makes is produced to the changelog topic, to the
//     event's partition, in the transaction that routes the event: the update, the
//     event's requests and its consumed offset commit together or not at all.
//   - The state applies a transaction's updates only once the broker committed it; an
//     aborted (or unknown) transaction's updates are thrown away, and its events routed
//     again from the committed state.
//   - Before the first event of a partition is routed here (after it was assigned, or
//     after a new session), its changelog partition is read, read_committed, from the
//     last offset this process applied to the end, so the profiles are what the last
//     committed transaction left, whoever made it.
//   - Every process must own the same partition numbers of every consumed topic, since
//     they share the partition's profiles: with profiles on, partitions are assigned by
//     range (each topic's partitions cut the same way among the same members) rather
//     than cooperative-sticky, and every events topic must have the changelog's number
//     of partitions.

// balancer is how the group assigns partitions: by range with profiles (co-partitioned),
// cooperative-sticky without.
func balancer(profiles bool) kgo.GroupBalancer {
	if profiles {
		return kgo.RangeBalancer()
	}
	return kgo.CooperativeStickyBalancer()
}

// partitioner puts records on the partition of their key, except profile records, which
// name their partition (the changelog the event's, the repartition topic their key's).
type partitioner struct{ manual []string }

var (
	keyPartitioner    = kgo.StickyKeyPartitioner(nil)
	manualPartitioner = kgo.ManualPartitioner()
)

func (p partitioner) ForTopic(topic string) kgo.TopicPartitioner {
	if slices.Contains(p.manual, topic) {
		return manualPartitioner.ForTopic(topic)
	}
	return keyPartitioner.ForTopic(topic)
}

// profileKeeper ties the profile state to the transactions.
type profileKeeper struct {
	state *profile.State
	// partitions is the changelog's partition count, once known (0 before).
	partitions atomic.Int32
	mu         sync.Mutex
	ends       map[int32]int64 // per changelog partition, past the last record produced in the open transaction
}

func newProfileKeeper(s *profile.State) *profileKeeper {
	k := &profileKeeper{state: s, ends: map[int32]int64{}}
	s.SetPartitioner(k.partitionOf)
	return k
}

// partitionOf returns the partition that owns key (0 before the count is known).
func (k *profileKeeper) partitionOf(key []byte) int32 {
	n := k.partitions.Load()
	if n <= 0 {
		return 0
	}
	return profile.PartitionOf(key, n)
}

func (k *profileKeeper) begin() {
	k.mu.Lock()
	clear(k.ends)
	k.mu.Unlock()
}

// written wraps a changelog record's promise to note its offset.
func (k *profileKeeper) written(promise func(*kgo.Record, error)) func(*kgo.Record, error) {
	return func(rec *kgo.Record, err error) {
		if err == nil {
			k.mu.Lock()
			k.ends[rec.Partition] = max(k.ends[rec.Partition], rec.Offset+1)
			k.mu.Unlock()
		}
		promise(rec, err)
	}
}

func (k *profileKeeper) commit() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.state.Commit(k.ends)
}

func (k *profileKeeper) abort() { k.state.Abort() }

// released is the session's revoked and lost callback: the partitions are no longer
// routed here, and are caught up again before they are.
func (k *profileKeeper) released(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
	for _, ps := range parts {
		k.state.Release(ps...)
	}
}

func (k *profileKeeper) releaseAll() { k.state.ReleaseAll() }

// ensureProfileTopics creates the changelog (compacted) and the repartition topic with
// the events topics' partition count, and checks that every events topic has it.
func (r *Router) ensureProfileTopics(ctx context.Context) error {
	topics := make([]string, 0, len(r.topics))
	for t := range r.topics {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	changelog, repartition := r.cfg.ProfilesChangelog, r.cfg.ProfilesRepartition
	// A client of its own: the session's creates topics it asks about, with the broker's
	// default partition count.
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(r.cfg.Brokers...)}, r.cfg.ClientOptions...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	admin := kadm.NewClient(cl)
	details, err := admin.ListTopics(ctx, append(topics, changelog, repartition)...)
	if err != nil {
		return fmt.Errorf("profiles: describing topics: %w", err)
	}
	n := int32(0)
	counts := map[string]int{}
	for _, t := range topics {
		d, ok := details[t]
		if !ok || d.Err != nil {
			continue // not created yet: its partitions are checked when it is
		}
		counts[t] = len(d.Partitions)
		if n == 0 {
			n = int32(len(d.Partitions))
		} else if int32(len(d.Partitions)) != n {
			return fmt.Errorf("profiles: the events topics must have one partition count, since a user's profile lives in the partition of the user's events: %v", counts)
		}
	}
	if n == 0 {
		n = r.cfg.TopicPartitions
	}
	for topic, configs := range map[string]map[string]*string{
		changelog:   {"cleanup.policy": kadm.StringPtr("compact")},
		repartition: {"retention.ms": kadm.StringPtr(fmt.Sprint((7 * 24 * time.Hour).Milliseconds()))},
	} {
		if d, ok := details[topic]; ok && d.Err == nil {
			if int32(len(d.Partitions)) != n {
				return fmt.Errorf("profiles: %s has %d partitions and the events topics %d: they must be the same", topic, len(d.Partitions), n)
			}
			continue
		}
		resp, err := admin.CreateTopic(ctx, n, -1, configs, topic)
		if err == nil {
			err = resp.Err
		}
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("profiles: creating %s: %w", topic, err)
		}
	}
	r.profiles.partitions.Store(n)
	return nil
}

// restoreProfiles catches up the profiles of every partition of fetches not yet routed
// here: it reads the partition's changelog, read_committed, from the last offset this
// process applied to the end (a transaction still open there is waited for), then claims
// the partition.
func (r *Router) restoreProfiles(ctx context.Context, fetches kgo.Fetches) error {
	need := map[int32]bool{}
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		if len(p.Records) > 0 && !r.cfg.Profiles.Holds(p.Partition) {
			need[p.Partition] = true
		}
	})
	if len(need) == 0 {
		return nil
	}
	if r.profiles.partitions.Load() == 0 {
		if err := r.ensureProfileTopics(ctx); err != nil {
			return err
		}
	}
	// Load this process's producer id first: that fences a predecessor with the same
	// transactional id (a restarted pod), whose open transaction would otherwise hold
	// the changelog's read_committed end back until it timed out.
	if _, _, err := r.session.Client().ProducerID(ctx); err != nil {
		return fmt.Errorf("profiles: initializing the transactional producer: %w", err)
	}
	parts := make([]int32, 0, len(need))
	for p := range need {
		parts = append(parts, p)
	}
	return RestoreProfiles(ctx, r.cfg.Brokers, r.cfg.ClientOptions, r.cfg.ProfilesChangelog, r.cfg.Profiles, parts, r.cfg.Logger)
}

// RestoreProfiles reads the partitions parts of the changelog topic into state, each from
// the last offset state applied to the end, and claims them. The restore benchmark uses it
// as the processor does.
func RestoreProfiles(ctx context.Context, brokers []string, clientOpts []kgo.Opt, topic string, state *profile.State, parts []int32, log *zap.Logger) error {
	start := time.Now()
	adm, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, clientOpts...)...)
	if err != nil {
		return err
	}
	ends, err := kadm.NewClient(adm).ListEndOffsets(ctx, topic)
	adm.Close()
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return fmt.Errorf("profiles: listing the changelog's end offsets: %w", err)
	}
	offsets := map[int32]kgo.Offset{}
	want := map[int32]int64{}
	for _, p := range parts {
		part := state.Partition(p)
		end, ok := ends.Lookup(topic, p)
		if !ok || end.Offset <= part.Next() {
			part.Claim()
			continue
		}
		offsets[p] = kgo.NewOffset().At(part.Next())
		want[p] = end.Offset
	}
	if len(want) == 0 {
		return nil
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers move the position to the end, which is how restoring knows
		// it is done when the last records are a transaction's.
		kgo.KeepControlRecords(),
		// What a restore buffers ahead of applying stays small, however big the changelog.
		kgo.FetchMaxBytes(4 << 20),
		kgo.FetchMaxPartitionBytes(1 << 20),
		kgo.MaxConcurrentFetches(1),
	}, clientOpts...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	records := 0
	var writes []profile.Write
	for len(want) > 0 {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ferr error
		fetches.EachError(func(t string, p int32, err error) {
			ferr = errors.Join(ferr, fmt.Errorf("profiles: reading %s[%d]: %w", t, p, err))
		})
		if ferr != nil {
			return ferr
		}
		var rerr error
		fetches.EachPartition(func(fp kgo.FetchTopicPartition) {
			if len(fp.Records) == 0 || rerr != nil {
				return
			}
			writes = writes[:0]
			for _, rec := range fp.Records {
				if rec.Attrs.IsControl() {
					continue
				}
				records++
				// Kept as written, decoded only when routing reads it: a restore holds no
				// more decoded profiles than the backend's cache.
				writes = append(writes, profile.Write{Key: string(rec.Key), JSON: rec.Value})
			}
			part := state.Partition(fp.Partition)
			end := fp.Records[len(fp.Records)-1].Offset + 1
			if err := part.Restore(writes, end); err != nil {
				rerr = err
				return
			}
			if end >= want[fp.Partition] {
				part.Claim()
				delete(want, fp.Partition)
			}
		})
		if rerr != nil {
			return rerr
		}
	}
	log.Info("profiles restored", zap.Int32s("partitions", parts), zap.Int("records", records), zap.Duration("took", time.Since(start)))
	return nil
}
