// Package profile keeps per-user state from the events themselves, exactly once, the way
// Kafka Streams keeps a state store: in the processor that owns the user's partition,
// backed by a compacted changelog topic.
//
// # What a profile is
//
//  1. A profile's key is the key the event topics are partitioned by: the event's userId,
//     else its anonymousId (a number's JSON text for a numeric id). An event with neither
//     has no profile and gets the empty one ({"traits":{}}).
//  2. Each event updates its user's profile (Apply): userId becomes the event's userId
//     when it has one; each trait of its context.traits and, for an identify, of its
//     traits (applied after context.traits, so they win) takes its latest value. A
//     group's traits are the group's and do not count. Properties are not traits.
//  3. The event then carries the profile after its own update as its `profile` object:
//     {"user_id": "...", "anonymous_ids": [...], "traits": {...}}, so mappings read
//     $.profile.traits.<name>, $.profile.user_id and $.profile.anonymous_ids, and triggers
//     and filters profile.traits.plan = "pro". An event that changes nothing of its
//     profile writes nothing.
//  4. A profile is never changed once made: an update makes a new one (its JSON encoded
//     and parsed once), so routers and readers share profiles without copying.
//
// # The changelog (actuate.profiles.changelog)
//
// Compacted, with as many partitions as the event topics. A record's key is the profile's
// key; its value the profile's JSON as above (Profile.JSON: user_id and anonymous_ids
// left out when empty), or null (a tombstone) for an erased profile. JSON, like the data
// model rows, because the profile is JSON to every reader (mappings, the API) and a
// record is small; Decode reads it back. The processor produces each update to the
// partition of the event that made it, in the transaction that produces the event's
// requests and commits its offset (processor/router), so an update is in the changelog if
// and only if its event counts as routed.
//
// # State
//
// State holds, per partition routed here, the committed profiles (a Backend: Memory, or
// the disk store) and the open transaction's writes. Routing reads through the writes to
// the committed profiles; a commit applies the writes, an abort throws them away; readers
// outside routing (the Event Tester, the control API) see committed profiles only. Before
// a partition is routed here, the processor reads its changelog from the last offset it
// applied (Next; 0 in a new process) to the end, read_committed, waiting for any
// transaction still open there, so its profiles are exactly what the committed
// transactions left: nothing lost, nothing applied twice, whichever process made them.
//
// # Merges (alias, identify with both ids)
//
// An alias (userId and previousId) and an identify carrying a userId and an anonymousId
// merge the anonymous profile into the user's: the user's traits win, the anonymous
// profile's fill the traits the user's lacks, the anonymous id joins anonymous_ids (the
// last MaxAnonymousIDs), and the anonymous profile is erased. When both keys live in the
// event's partition this happens at once, in the event's transaction. When the anonymous
// id lives in another partition, the merge goes through the repartition topic
// (actuate.profiles.repartition, partitioned like the events), as Kafka Streams
// repartitions a stream by a new key:
//
//  1. The event's transaction writes {"op":"forward","into":<user>} keyed by the
//     anonymous id, to the anonymous id's partition.
//  2. That partition's processor, in its transaction, takes the anonymous profile out
//     (a tombstone) and writes {"op":"merge","from":<anon>,"profile":{...}} keyed by the
//     user, to the user's partition.
//  3. The user's partition's processor merges it in its transaction.
//
// The ordering this guarantees:
//
//   - Within one partition, everything is in the partition's order: events, forwards and
//     merges read from it are applied one after the other, each exactly once.
//   - The anonymous profile moved is the anonymous partition's state at the moment the
//     forward is read there: every event of the anonymous id before that point is in it;
//     an anonymous event after it (an event still keyed by the anonymous id) starts a new
//     anonymous profile, which the next alias or identify merges again.
//   - The user's events routed between the alias and the merge's arrival see the user's
//     profile without the anonymous traits; every event after the merge sees them. Traits
//     the user set in between are kept: the user's values win over the anonymous ones.
//   - Each step is in a transaction with the offsets of what it read, so no step is lost
//     or applied twice across crashes and rebalances; there is no order between merges of
//     different users, and none between a merge and events of other partitions.
//
// # Erasure
//
// A deletion request (DELETE /v1/profiles/{key}) is {"op":"erase"} on the repartition
// topic, keyed by the profile's key: the processor that owns the partition writes the
// tombstone in its transaction, so no copy of the profile (its state, its restore) outlives
// it. Profiles' traits are never logged.
package profile
