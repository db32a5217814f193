// Package changelog reads profiles from the changelog topic and asks for their erasure,
// for the control API and the Event Tester of a process that does not route (actuate
// serve); processor/profile says what the records are.
package changelog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/schemas"
)

// ErrNoProfiles is returned when the changelog topic does not exist: no processor has
// kept a profile yet.
var ErrNoProfiles = errors.New("profiles: the changelog topic does not exist (no processor has kept profiles yet)")

// Client reads profiles and asks for their erasure, for the control API, from any
// process: a profile is read from the state the process keeps when its partition is
// routed here, else from the changelog; an erasure is a command on the repartition topic,
// applied by the processor that owns the profile's partition in a transaction (a
// tombstone on the changelog), so that no copy of the profile outlives it.
type Client struct {
	Brokers []string
	// Options are extra franz-go options (TLS, SASL).
	Options []kgo.Opt
	// Local is this process's profiles, when it routes events; nil otherwise.
	Local *profile.State
	// Changelog and Repartition default to the schemas topics.
	Changelog, Repartition string
}

func (c *Client) topics() (string, string) {
	changelog, repartition := c.Changelog, c.Repartition
	if changelog == "" {
		changelog = schemas.TopicProfilesChangelog
	}
	if repartition == "" {
		repartition = schemas.TopicProfilesRepartition
	}
	return changelog, repartition
}

func (c *Client) client(opts ...kgo.Opt) (*kgo.Client, error) {
	return kgo.NewClient(append(append([]kgo.Opt{kgo.SeedBrokers(c.Brokers...)}, c.Options...), opts...)...)
}

// partitions returns the changelog's partition count.
func (c *Client) partitions(ctx context.Context, cl *kgo.Client) (int32, error) {
	changelog, _ := c.topics()
	details, err := kadm.NewClient(cl).ListTopics(ctx, changelog)
	if err != nil {
		return 0, fmt.Errorf("profile: describing %s: %w", changelog, err)
	}
	d, ok := details[changelog]
	switch {
	case !ok || errors.Is(d.Err, kerr.UnknownTopicOrPartition):
		return 0, ErrNoProfiles
	case d.Err != nil:
		// Anything else (a leader election, an authorization error) says nothing of
		// whether profiles exist: an erasure counted done on it would be a false success.
		return 0, fmt.Errorf("profile: describing %s: %w", changelog, d.Err)
	case len(d.Partitions) == 0:
		return 0, ErrNoProfiles
	}
	return int32(len(d.Partitions)), nil
}

// Get returns the committed profile of key, nil when there is none.
func (c *Client) Get(ctx context.Context, key string) (*profile.Profile, error) {
	cl, err := c.client()
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	n, err := c.partitions(ctx, cl)
	if errors.Is(err, ErrNoProfiles) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	part := profile.PartitionOf([]byte(key), n)
	if c.Local != nil && c.Local.Holds(part) {
		return c.Local.Lookup([]byte(key)), nil
	}
	return c.read(ctx, part, key)
}

// Lookup is Get for the Event Tester: nil when the profile cannot be read within ten
// seconds either.
func (c *Client) Lookup(key []byte) *profile.Profile {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, _ := c.Get(ctx, string(key))
	return p
}

// read finds the last committed record of key in a changelog partition.
func (c *Client) read(ctx context.Context, part int32, key string) (*profile.Profile, error) {
	changelog, _ := c.topics()
	adm, err := c.client()
	if err != nil {
		return nil, err
	}
	ends, err := kadm.NewClient(adm).ListEndOffsets(ctx, changelog)
	adm.Close()
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("profile: listing %s's end offsets: %w", changelog, err)
	}
	end, _ := ends.Lookup(changelog, part)
	if end.Offset <= 0 {
		return nil, nil
	}
	cl, err := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{changelog: {part: kgo.NewOffset().AtStart()}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	var last []byte
	found := false
	for pos := int64(0); pos < end.Offset; {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := fetches.Err0(); err != nil {
			return nil, fmt.Errorf("profile: reading %s[%d]: %w", changelog, part, err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			pos = r.Offset + 1
			if !r.Attrs.IsControl() && string(r.Key) == key {
				last, found = r.Value, true
			}
		})
	}
	if !found || last == nil {
		return nil, nil
	}
	return profile.Decode(last)
}

// Erase asks the processor that owns key's partition to erase its profile; it returns
// once the command is written, and the profile is gone once the processor routed it.
func (c *Client) Erase(ctx context.Context, key string) error {
	_, repartition := c.topics()
	cl, err := c.client(kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return err
	}
	defer cl.Close()
	n, err := c.partitions(ctx, cl)
	if err != nil {
		return err
	}
	rec := &kgo.Record{Topic: repartition, Key: []byte(key), Partition: profile.PartitionOf([]byte(key), n),
		Value: profile.EncodeCommand(profile.Command{Op: profile.OpErase})}
	if err := cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("profile: writing the erasure: %w", err)
	}
	return nil
}
