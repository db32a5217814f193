// Package replay sends a destination instance's dead letters again, once each.
//
// A replay (Run) works on one instance, optionally narrowed to one mapping, one reason
// and a time range of the dead letters' occurredAt:
//
//  1. It opens a transactional producer whose id is the instance's
//     ("actuate-replay-<instance>"): opening it fences any replay of the same instance
//     still running, whose open transaction the broker then aborts.
//  2. It reads the marker topic (schemas.TopicReplay, compacted) up to its last stable
//     offset: one record per dead letter already replayed, keyed
//     "<instance>/<dlq topic>/<partition>/<offset>". Those dead letters are skipped.
//  3. It reads the dead-letter topic up to its last stable offset at the start (dead
//     letters a replay writes itself are not read again by that replay) and selects the
//     instance's dead letters that pass the narrowing.
//  4. Each selected dead letter is handled by what it holds (Decide, no Kafka):
//     - a dead letter of the processor (stages filter, render, validate) holds the event
//     as consumed: it is routed again, through processor/route exactly as the
//     pipeline routes it, with today's workspace, through the dead letter's mapping (or
//     every enabled mapping, for an instance-level failure): a valid payload becomes an
//     ActionRequest on the instance's delivery topic, a failure a new dead letter;
//     - a dead letter of the sender (stages deliver, expire) holds the request's payload:
//     it is sent again as it was stored, as a new ActionRequest.
//     Mode narrows this to one kind. Two dead letters of the same event and mapping (or
//     the same stored request) are replayed once.
//  5. The requests, new dead letters and markers of a batch of dead letters commit in
//     one Kafka transaction: a dead letter is either replayed and marked, or neither,
//     across crashes. A dead letter whose routing sends nothing (filtered, no matching
//     trigger, mapping gone or disabled) is counted as skipped and not marked, so a later
//     replay tries it again; one that is dead-lettered again is marked (its new dead
//     letter is the one to replay next time).
//  6. Counts: the Result; the Prometheus counter actuate_replay_outcomes_total per
//     instance and outcome; and the same counts published to the overview topic after
//     each committed batch, which the Delivery Overview shows as "replayed".
//
// A dry run does steps 2 to 4 without writing anything and reports the same counts.
//
// A backfill (Backfill, backfill.go) reads a source's topics over a range of record
// timestamps instead of the dead letters, paced to a rate, and routes each event through
// every enabled mapping of one destination, as step 4 routes a dead letter. Instead of a
// marker per record, it keeps per destination and partition the spans of offsets done
// ("backfill/<instance>/<topic>/<partition>" on the marker topic), written in the same
// transaction as the requests; an offset in a span is not sent again.
package replay
