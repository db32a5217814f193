// Package reliability holds Actuate's proof under load and faults: integration tests on the
// real Kafka broker and Redis (scripts/testenv/with-services.sh) that kill processes, break
// destinations and feed hostile input, and then assert exact counts — each (event, mapping)
// once in its delivery topic, every request at least once at its destination, outcome counts
// that add up, a dead letter with a reason for every bad event, no secret anywhere.
//
// Event counts are scaled for CI; ACTUATE_RELIABILITY_EVENTS raises them (the figure
// is 100000).
package reliability
