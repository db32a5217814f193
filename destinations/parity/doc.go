// Package parity holds the differential test of Actuate's destinations against Segment's
// own implementation: the npm package @segment/action-destinations, run under
// @segment/actions-core's test harness by runner.js with its HTTP answered in-process.
//
// For every registered destination and action, the test renders the action's default
// mapping (the fields' defaults) and each preset's mapping over realistic events that match
// the action's trigger, sends them through Actuate's destkit client and through Segment's
// action, and compares the requests: their number and order, method, URL, query, content
// type and body (JSON and form bodies compared by value). A difference either is fixed or
// appears in the test's table of known differences with its reason; an unlisted difference
// fails the test, and so does a listed one that no longer occurs.
//
// The test needs Node and `npm ci` in this folder (scripts/test.sh does both) and runs when
// ACTUATE_SEGMENT_REF=1.
package parity
