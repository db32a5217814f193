package overview

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Bounds of the samples the Delivery Overview keeps in memory.
const (
	// SamplesPerReason is how many samples the overview shows per discard reason.
	SamplesPerReason = 10
	// sampleWindow is the resolution of sample time ranges: the latest samples of each
	// (instance, reason) are kept per window, so a range ending inside a window may miss
	// samples of that window that were pushed out by later ones.
	sampleWindow = time.Hour
	// sampleHistory is the overview's longest range; older samples are dropped.
	sampleHistory = 7 * 24 * time.Hour
	// DefaultMaxSampleBytes bounds all samples held; the oldest windows go first.
	DefaultMaxSampleBytes = 64 << 20
	maxSamplePayload      = schemas.MaxSampleEvent
	maxSampleError        = 2 << 10
)

// sampleBucket holds the latest samples of one instance and reason in one window.
type sampleBucket struct {
	instance, reason string
	window           int64
}

type sampleSet struct {
	items []Sample // at most SamplesPerReason
}

// sampleStore keeps the latest samples per (instance, reason, window), bounded in count
// and bytes.
type sampleStore struct {
	maxBytes int
	now      func() time.Time

	mu      sync.Mutex
	buckets map[sampleBucket]*sampleSet
	bytes   int
	oldest  int64 // the oldest window held, so most adds need not scan the buckets
}

func newSampleStore(maxBytes int) *sampleStore {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxSampleBytes
	}
	return &sampleStore{maxBytes: maxBytes, now: time.Now, buckets: map[sampleBucket]*sampleSet{}, oldest: math.MaxInt64}
}

func sampleSize(s *Sample) int { return len(s.Payload) + len(s.Error) + len(s.Mapping) + 64 }

// add keeps s if it is among the latest SamplesPerReason of its bucket.
func (st *sampleStore) add(instance, reason string, s Sample) {
	if s.Time.Before(st.now().Add(-sampleHistory)) {
		return
	}
	k := sampleBucket{instance: instance, reason: reason, window: s.Time.UnixNano() / int64(sampleWindow)}
	st.mu.Lock()
	defer st.mu.Unlock()
	set := st.buckets[k]
	if set == nil {
		set = &sampleSet{}
		st.buckets[k] = set
		st.oldest = min(st.oldest, k.window)
	}
	if len(set.items) < SamplesPerReason {
		set.items = append(set.items, s)
	} else {
		// Records of several partitions arrive out of time order: replace the oldest.
		oldest := 0
		for i := range set.items {
			if set.items[i].Time.Before(set.items[oldest].Time) {
				oldest = i
			}
		}
		if !s.Time.After(set.items[oldest].Time) {
			return
		}
		st.bytes -= sampleSize(&set.items[oldest])
		set.items[oldest] = s
	}
	st.bytes += sampleSize(&s)
	st.evict()
}

// evict drops windows older than the history, then the oldest windows while over budget.
func (st *sampleStore) evict() {
	horizon := st.now().Add(-sampleHistory).UnixNano() / int64(sampleWindow)
	for len(st.buckets) > 0 && (st.oldest < horizon || st.bytes > st.maxBytes) {
		next := int64(math.MaxInt64)
		for k, set := range st.buckets {
			if k.window != st.oldest {
				next = min(next, k.window)
				continue
			}
			for i := range set.items {
				st.bytes -= sampleSize(&set.items[i])
			}
			delete(st.buckets, k)
		}
		st.oldest = next
	}
}

// latest returns, per reason, the latest SamplesPerReason samples of instance with a
// time in [from, to), newest first, masked with inst's secrets.
func (st *sampleStore) latest(instance string, from, to time.Time, inst *workspace.Instance) map[string][]Sample {
	out := map[string][]Sample{}
	first, last := from.UnixNano()/int64(sampleWindow), to.UnixNano()/int64(sampleWindow)
	st.mu.Lock()
	for k, set := range st.buckets {
		if k.instance != instance || k.window < first || k.window > last {
			continue
		}
		for _, s := range set.items {
			if !s.Time.Before(from) && s.Time.Before(to) {
				out[k.reason] = append(out[k.reason], s)
			}
		}
	}
	st.mu.Unlock()
	masker := inst.Masker()
	for reason, list := range out {
		slices.SortFunc(list, func(a, b Sample) int { return b.Time.Compare(a.Time) })
		list = list[:min(len(list), SamplesPerReason)]
		// Secrets may have changed since the sample was kept: mask with today's too.
		for i := range list {
			maskSample(&list[i], masker)
		}
		out[reason] = list
	}
	return out
}

// maskSample replaces secret values in a sample's text. A cut payload may end with the
// first part of a secret, which is masked too.
func maskSample(s *Sample, m *destkit.Masker) {
	s.Error = m.Mask(s.Error)
	if s.Truncated {
		s.Payload = m.MaskCut(s.Payload)
	} else {
		s.Payload = m.Mask(s.Payload)
	}
}

// cutText cuts s to at most n bytes without splitting a character.
func cutText(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// addSampleRecord keeps a record of the samples topic: a discard sample of an instance,
// or a violation sample of a tracking plan.
func (a *Aggregator) addSampleRecord(value []byte) {
	rec, err := schemas.DecodeSample(value)
	if err != nil {
		return
	}
	switch r := rec.(type) {
	case *schemas.DiscardSample:
		if r.Instance != "" && r.Reason != "" {
			a.keep(r.Instance, r.Reason, Sample{Time: r.Time, Payload: r.Event, Truncated: r.Truncated})
		}
	case *schemas.ViolationSample:
		if r.Plan != "" {
			a.violations.add(r)
		}
	}
}

// addDeadLetter keeps a record of the dead-letter topic as a sample of its instance,
// by "<stage>: <reason>". Dead letters of no instance (unreadable events) are counted
// workspace-wide and not sampled.
func (a *Aggregator) addDeadLetter(value []byte) {
	dl, err := schemas.DecodeDeadLetter(value)
	if err != nil || dl.Instance == "" {
		return
	}
	original := dl.Original
	if schemas.IsSingleObject(original) {
		if env, err := schemas.DecodeEventEnvelope(original); err == nil {
			original = env.Event
		}
	}
	a.keep(dl.Instance, string(dl.Stage)+": "+dl.Reason, Sample{Time: dl.OccurredAt, Mapping: dl.Mapping, Error: dl.Error, Payload: string(original)})
}

// keep masks a sample with the instance's secrets before cutting it, so that no part
// of a secret outlives the cut, and stores it.
func (a *Aggregator) keep(instance, reason string, s Sample) {
	var inst *workspace.Instance
	if a.Workspace != nil {
		if ws := a.Workspace(); ws != nil {
			inst = ws.Instance(instance)
		}
	}
	maskSample(&s, inst.Masker())
	var cut bool
	s.Payload, cut = cutText(s.Payload, maxSamplePayload)
	s.Truncated = s.Truncated || cut
	s.Error, _ = cutText(s.Error, maxSampleError)
	s.Time = s.Time.UTC()
	a.sampleStore().add(instance, reason, s)
}

func (a *Aggregator) sampleStore() *sampleStore {
	a.samplesOnce.Do(func() { a.samples = newSampleStore(a.MaxSampleBytes) })
	return a.samples
}

// runSamples reads the samples and dead-letter topics, from the overview's longest
// range ago, committed records only: an aborted routing transaction is routed again.
func (a *Aggregator) runSamples(ctx context.Context) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(a.Brokers...), kgo.ConsumeTopics(a.SamplesTopic, a.DLQTopic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(time.Now().Add(-sampleHistory).UnixMilli()))}, a.Options...)...)
	if err != nil {
		return fmt.Errorf("samples: %w", err)
	}
	defer cl.Close()
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fetches.EachRecord(func(r *kgo.Record) {
			switch r.Topic {
			case a.SamplesTopic:
				a.addSampleRecord(r.Value)
			case a.DLQTopic:
				a.addDeadLetter(r.Value)
			}
		})
	}
}
