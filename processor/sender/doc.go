// Package sender is `actuate send`: it drains the delivery topics and the retry topic in
// the consumer group "actuate-sender" and delivers each action request to its destination
// — rate limit, batch, authenticate, HTTP — ending every request in exactly one final
// outcome: delivered, dead-lettered, or handed on to the retry topic.
//
// Isolation: each destination instance has its own lane (queues, batcher and up to
// Delivery.Concurrency workers) and its own limits (requests/s and requests in flight,
// shared with the other sender processes through Redis), and the poll loop never waits
// for a lane. A lane that falls behind pauses fetching of its own delivery topic, so a
// slow destination holds back only itself.
//
// Offsets (offsets.go): records of one partition finish out of order (instances share the
// retry topic; users, batches and retries interleave), so each partition's commit point
// is the lowest offset whose outcome is not final yet. Transaction markers are fetched as
// records that are final at once, so an idle partition is committed past its last marker
// (lag 0). Nothing is autocommitted. On revocation and on shutdown, work that has not
// started is abandoned, work in flight gets a grace period, and only what became final is
// committed; the next owner re-delivers the rest (at-least-once).
//
// Retries: a short wait (up to Config.InlineRetryMax) happens in process, holding no
// worker; a long one re-produces the request to the retry topic with its attempt count,
// first-attempt time, not-before time and last error, and the original record is then
// final. Retry-topic records wait in a timer heap until due (delay.go), so a record that
// is not due never blocks one that is.
//
// # Per-user order (delivery.ordering: per_user, the default)
//
// A user's requests to one instance reach the destination in the order of their
// delivery partition — the order the router wrote them in, which is the order of the
// user's events — through 5xx, 429 with Retry-After, timeouts, the retry topic, restarts
// and rebalances. "User" is the record key; requests without a key are not ordered. A user
// who waits holds no worker, so other users' requests are not held up by it. Step by
// step:
//
//  1. In a lane (lane.go, order.go), requests are assigned to workers by user, so a user's
//     single requests queue on one worker, in order. A user's batched requests join a
//     batch while it fills; once it is flushed, the user's next requests are parked until
//     it settles, so a batch holding a user's earlier request is settled before one
//     holding a later one is sent. A user's single and batched requests are never out
//     at once.
//  2. A request that fails with a wait up to InlineRetryMax becomes its user's head: it
//     leaves its worker and is routed again when due; meanwhile the user's later requests
//     are parked, in order (those already queued on the worker are taken off it when
//     reached). A batch's other requests of that user that also failed wait right behind
//     the head. When the head settles — delivered, dead-lettered, or handed to the retry
//     topic — the parked requests go back to the front of the user's worker queue (or
//     into a batch), in order. Parked requests and heads are not final, so the commit
//     point holds them and a crash redelivers them, in order.
//  3. A longer wait goes through the retry topic (retryorder.go). Before its retry record
//     is produced, the request's id (its delivery offset) is made pending for its user in
//     the OrderStore — in Redis, a hash per delivery partition with a TTL of the max age
//     plus an hour — and the record carries the delivery partition and id in its headers
//     (the Avro schema is unchanged). From then on the user is held in the retry topic:
//     each later request of the user is, when its worker reaches it, produced to the
//     retry topic behind it (due at once, keeping its own attempts) instead of sent. The
//     retry topic is keyed by user, so a user's records share a retry partition and are
//     produced in order by the owner of the delivery partition.
//  4. Whether a user is held is known to the delivery partition's owner without a round
//     trip for users it never saw held: it loads the partition's held users on first use
//     after an assignment and counts the ones it adds. For a user it thinks held it asks
//     the store, which has the truth: the retry side releases users, maybe in another
//     process. A store it cannot read or write holds the request in the lane instead.
//  5. On the retry side, records with the headers are sequenced per delivery partition
//     and user in retry-partition order: only the head is scheduled, at its not-before
//     time. When due it is checked to be still pending — a copy of a request already
//     final, fetched again after a crash or a rebalance, is skipped — and sent. A head
//     that needs another retry waits in process however long (produced again it would
//     land behind its followers); unsettled, it holds the retry partition's commit point,
//     so a restart finds it again. When the head is final its id is released in the store
//     (before its offset is done: a crash in between makes its copy a skip) and remembered
//     as done for DoneTTL (a delivery record forwarded before a crash and fetched again is
//     then not forwarded a second time), and the next record of the user is scheduled.
//     With the user's last id released, the delivery side sends the user's requests
//     directly again.
//  6. A request that finally fails (a 4xx, or past its max age) is dead-lettered and the
//     user's next requests go on. The dead letter says so in its error ("per-user order
//     broken here") and in the header actuate-order: broken.
//
// What it does not cover: requests of one batch are decided by the destination
// together; when it accepts some of a user's and rejects an earlier one for a retry
// (per-event statuses), the later ones are already delivered. Duplicates remain possible
// after unknown outcomes (timeouts, resets) and after crashes, as before, and a
// duplicate may then arrive after a later request of the same user ("stale"): a crash
// redelivers, in order, requests that were delivered but not yet committed, and parked
// requests hold the commit point, so there are more of those than without ordering.
//
// delivery.ordering: none turns all of it off for an instance: retries overtake, a
// user's batches may be in flight together, and long retries are produced to the retry
// topic without a place and re-produced when they fail again.
package sender
