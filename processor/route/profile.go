package route

import (
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/workspace"
)

// Profiles is the per-user state of the partition the current event was read from:
// processor/profile's Partition for the pipeline, a read-only view for the Event Tester.
type Profiles interface {
	// Profile returns the profile of key, nil when none.
	Profile(key []byte) *profile.Profile
	// Put sets the profile of key after the event; nil erases it.
	Put(key []byte, p *profile.Profile)
}

// ProfileStep is what the profile step did for the current event.
type ProfileStep struct {
	// Key is the profile's key: the event's userId, else its anonymousId; empty when it
	// has neither (the event then gets the empty profile and nothing is kept).
	Key string
	// Before and After are the profile before and after the event (nil: none).
	Before, After *profile.Profile
	// Merged is the anonymous id whose profile an alias or an identify merged into the
	// user's, when it lives in the same partition; Forwarded when it does not.
	Merged, Forwarded string
}

type profiling struct {
	state  Profiles
	merger Merger
	update profile.Update
	// done is what the step did for the current event, made a ProfileStep only when asked
	// (Router.Profile, for the Event Tester).
	done stepDone
}

// stepDone is a ProfileStep whose ids are the event's bytes.
type stepDone struct {
	key, merged   []byte
	forwarded     bool // merged was forwarded to its partition, not merged here
	before, after *profile.Profile
}

// Merger sends the merge of an anonymous profile into a user's to the partition that owns
// the anonymous id, when that is not the current one (the pipeline's repartition topic).
type Merger interface {
	// Local reports whether key lives in the current event's partition.
	Local(key []byte) bool
	// Forward asks the partition of from to send its profile to into.
	Forward(from, into []byte)
}

// SetProfiles gives the router the profile state for the next event (per partition: set
// it before Protocols); nil leaves events of a workspace with profiles on with the
// profile their own traits make, kept nowhere.
func (r *Router) SetProfiles(p Profiles) { r.profile.state = p }

// SetMerger gives the router what merges profiles across partitions; nil merges only
// within the event's partition.
func (r *Router) SetMerger(m Merger) { r.profile.merger = m }

// Profile returns what the profile step did for the current event; zero without profiles.
func (r *Router) Profile() ProfileStep {
	d := &r.profile.done
	step := ProfileStep{Key: string(d.key), Before: d.before, After: d.after}
	if d.forwarded {
		step.Forwarded = string(d.merged)
	} else {
		step.Merged = string(d.merged)
	}
	return step
}

// profileEvent updates the profile of ev's user with what ev says (its userId, its
// context.traits and an identify's traits), merges the anonymous profile into the user's
// for an alias or an identify with both ids, and sets ev's profile object to the profile
// after: {"user_id", "anonymous_ids", "traits"}. Whatever profile the event came with is
// replaced. Without profiles ev is left as it is. Protocols has cleared what the step did
// for the event before.
func (r *Router) profileEvent(src *workspace.Source, ev *fastjson.Value) {
	pr, d := &r.profile, &r.profile.done
	if !src.Profiles {
		return
	}
	key := event.UserKey(ev)
	if len(key) == 0 {
		ev.Set("profile", profile.Empty.Value())
		return
	}
	d.key = key
	if pr.state != nil {
		d.before = pr.state.Profile(key)
	}
	profile.UpdateOf(ev, &pr.update)
	after, changed := profile.Apply(d.before, &pr.update)
	if anon := mergeFrom(ev, key); anon != nil {
		if pr.merger == nil || pr.merger.Local(anon) {
			var from *profile.Profile
			if pr.state != nil {
				from = pr.state.Profile(anon)
			}
			if from != nil || (after == nil || !containsID(after, anon)) {
				after, changed = profile.Merge(after, from, string(anon)), true
				if from != nil && pr.state != nil {
					pr.state.Put(anon, nil)
				}
			}
			d.merged = anon
		} else if after == nil || !containsID(after, anon) {
			// Once merged, the anonymous id is among the user's: an identify repeating
			// both ids (one per page load, say) forwards nothing more.
			pr.merger.Forward(anon, key)
			d.merged, d.forwarded = anon, true
		}
	}
	if changed && pr.state != nil {
		pr.state.Put(key, after)
	}
	d.after = after
	if after == nil {
		after = profile.Empty
	}
	ev.Set("profile", after.Value())
}

// mergeFrom returns the anonymous id whose profile ev merges into its user's (key): an
// alias's previousId, an identify's anonymousId when it has a userId too; nil otherwise.
func mergeFrom(ev *fastjson.Value, key []byte) []byte {
	var from *fastjson.Value
	switch string(ev.GetStringBytes("type")) {
	case "alias":
		from = ev.Get("previousId")
	case "identify":
		if ev.Get("userId") == nil {
			return nil
		}
		from = ev.Get("anonymousId")
	default:
		return nil
	}
	if from == nil {
		return nil
	}
	var id []byte
	switch from.Type() {
	case fastjson.TypeString:
		id = from.GetStringBytes()
	case fastjson.TypeNumber:
		id = from.MarshalTo(nil)
	}
	if len(id) == 0 || string(id) == string(key) {
		return nil
	}
	return id
}

func containsID(p *profile.Profile, id []byte) bool {
	for _, a := range p.AnonymousIDs {
		if a == string(id) {
			return true
		}
	}
	return false
}
