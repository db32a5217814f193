// Package parity holds the differential test of Actuate's destinations against Segment's
// own implementation: the npm package @segment/action-destinations, run under
// @segment/actions-core's test harness by runner.js (one Node process reading NDJSON
// cases), with its HTTP answered in-process by nock.
//
// For every registered destination and action, the test renders the action's default
// mapping (the fields' defaults) and each preset's mapping, plus the fields a user must
// fill in (mappingExtras), over realistic events that match the action's trigger; sends
// them through Actuate's destkit client, whose transport records and answers in-process,
// and through Segment's action; and compares the requests: their number and order,
// method, URL, query, content type and body (JSON and form bodies compared by value).
// Lookups of multi-step actions get the same scripted answers on both sides
// (scriptedReplies). Destinations whose actions need more than the sample events get
// their own events or edits of every event (destinationEvents, eventEdits) and
// settings (destinationSettings). Each action's default mapping also runs against an
// API that answers 400 to every request ("400 reply"): both sides must stop at the same
// request and fail. Kafka is compared as records: runner.js stands in for kafkajs, and
// Actuate produces to an in-process kfake cluster. Segment's own destination returns its
// batch instead of calling HTTP; that batch is compared with the body Actuate posts.
//
// For the destinations held to parity (held), a difference either is fixed or appears in the test's
// knownDifferences table with its reason; an unlisted difference fails the test, so does a
// listed one that no longer occurs, and so does an action for which Segment sent nothing
// in any case (the case compared nothing). Differences of the other destinations are
// logged until they are held to parity.
//
// TestLostReferenceFields (lostfields_test.go) reads Segment's definitions through
// fieldfacts.js and holds every field, property, default and preset mapping named
// "category" or "description" to them: the shared reference lost those names, so
// TestReferenceFields lets them through and this test vouches for them instead.
//
// The tests need Node and `npm ci` in this folder (scripts/test.sh does both) and run when
// ACTUATE_SEGMENT_REF=1; PARITY_ONLY=<slug>[,<slug>…] restricts the parity test to those
// destinations and PARITY_PRINT=1 prints unlisted differences as table entries.
package parity
