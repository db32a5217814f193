package router

import (
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// profileTopics is what the pipeline needs to keep profiles: the state, the topics its
// records go to, and which partition owns a key.
type profileTopics struct {
	state       *profile.State
	changelog   string
	repartition string
	// partitionOf returns the partition that owns a key; nil: every key is local.
	partitionOf func(key []byte) int32
	// the event being routed: its partition and outputs, for the route.Merger methods
	partition int32
	emit      Emit
	// command is Forward's record value, a buffer reused per forward.
	command []byte
}

// SetProfiles gives the pipeline the profile state: each event of a workspace with
// profiles on reads and updates its user's profile in the state of the event's partition,
// and every update is emitted to the changelog topic, to that partition. Merges whose
// anonymous id another partition owns (partitionOf) go through the repartition topic,
// which the pipeline also routes (Process).
// The topics default to schemas.TopicProfilesChangelog and TopicProfilesRepartition.
func (p *Pipeline) SetProfiles(s *profile.State, partitionOf func(key []byte) int32, changelog, repartition string) {
	if changelog == "" {
		changelog = schemas.TopicProfilesChangelog
	}
	if repartition == "" {
		repartition = schemas.TopicProfilesRepartition
	}
	p.profiles = profileTopics{state: s, changelog: changelog, repartition: repartition, partitionOf: partitionOf}
	p.route.SetMerger(&p.profiles)
}

// profilesFor points the router at the profiles of in's partition, for an event of src;
// nil when src keeps no profiles.
func (p *Pipeline) profilesFor(src *workspace.Source, in *Input, emit Emit) *profile.Partition {
	if !src.Profiles || p.profiles.state == nil {
		p.route.SetProfiles(nil)
		return nil
	}
	part := p.profiles.state.Partition(in.Partition)
	p.profiles.partition, p.profiles.emit = in.Partition, emit
	p.route.SetProfiles(part)
	return part
}

// emitChangelog emits the changelog records of the current event's profile updates.
func (p *Pipeline) emitChangelog(part *profile.Partition, partition int32, emit Emit) {
	for _, rec := range part.Drain() {
		emit(Output{Topic: p.profiles.changelog, Key: rec.Key, Value: rec.Value, Partition: partition})
	}
}

// Local is route.Merger's: whether key lives in the current event's partition.
func (t *profileTopics) Local(key []byte) bool {
	return t.partitionOf == nil || t.partitionOf(key) == t.partition
}

// Forward is route.Merger's: it asks the partition of from, through the repartition
// topic, to send its profile to into.
func (t *profileTopics) Forward(from, into []byte) {
	t.command = profile.AppendForward(t.command[:0], into)
	t.emit(Output{Topic: t.repartition, Key: from, Partition: t.partitionOf(from), Value: t.command})
}

// profileCommand applies one repartition record to the profile of its key, in its
// partition: an erasure, a forward (the anonymous profile taken out and sent on to the
// user's partition) or a merge.
func (p *Pipeline) profileCommand(in *Input, emit Emit) {
	cmd, err := profile.DecodeCommand(in.Value)
	if err != nil || len(in.Key) == 0 {
		if err == nil {
			err = errNoKey
		}
		p.ingestFailure(in, emit, schemas.StageDecode, "invalid profile command", err.Error(), "")
		return
	}
	part := p.profiles.state.Partition(in.Partition)
	cur := part.Profile(in.Key)
	switch cmd.Op {
	case profile.OpErase:
		part.Put(in.Key, nil)
	case profile.OpForward:
		merge := profile.Command{Op: profile.OpMerge, From: string(in.Key)}
		if cur != nil {
			merge.Profile = cur.JSON()
			part.Put(in.Key, nil)
		}
		into := []byte(cmd.Into)
		partition := in.Partition
		if p.profiles.partitionOf != nil {
			partition = p.profiles.partitionOf(into)
		}
		emit(Output{Topic: p.profiles.repartition, Key: into, Partition: partition, Value: profile.EncodeCommand(merge)})
	case profile.OpMerge:
		var from *profile.Profile
		if len(cmd.Profile) > 0 {
			if from, err = profile.Decode(cmd.Profile); err != nil {
				p.ingestFailure(in, emit, schemas.StageDecode, "invalid profile command", err.Error(), "")
				return
			}
		}
		part.Put(in.Key, profile.Merge(cur, from, cmd.From))
	}
	p.emitChangelog(part, in.Partition, emit)
}

type profileError string

func (e profileError) Error() string { return string(e) }

const errNoKey = profileError("a profile command needs a key")
