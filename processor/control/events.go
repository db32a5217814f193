package control

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// LatestEvents reads up to n of the latest records of topic, newest first: the last n of
// each partition, merged by time.
func LatestEvents(ctx context.Context, brokers []string, topic string, n int, opts ...kgo.Opt) ([][]byte, error) {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", topic, err)
	}
	starts, err := adm.ListStartOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", topic, err)
	}
	from := map[int32]kgo.Offset{}
	want := map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil || o.Topic != topic {
			return
		}
		start, _ := starts.Lookup(topic, o.Partition)
		first := max(start.Offset, o.Offset-int64(n))
		if first < o.Offset {
			from[o.Partition] = kgo.NewOffset().At(first)
			want[o.Partition] = o.Offset
		}
	})
	if len(from) == 0 {
		return nil, nil
	}
	cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{topic: from})
	type rec struct {
		at    time.Time
		value []byte
	}
	var recs []rec
	for len(want) > 0 {
		// Transaction markers hold the last offsets of some partitions and are never
		// returned: stop once a poll comes back empty.
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		fetches := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if fetches.NumRecords() == 0 && pctx.Err() != nil {
			break
		}
		fetches.EachRecord(func(r *kgo.Record) {
			recs = append(recs, rec{r.Timestamp, r.Value})
			if r.Offset+1 >= want[r.Partition] {
				delete(want, r.Partition)
			}
		})
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].at.After(recs[j].at) })
	out := make([][]byte, 0, n)
	for i := 0; i < len(recs) && i < n; i++ {
		out = append(out, recs[i].value)
	}
	return out, nil
}
