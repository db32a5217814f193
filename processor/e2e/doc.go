// Package e2e holds the end-to-end tests of the pipeline: events produced to a real Kafka
// broker go through the processor and the senders to local HTTP destinations, with tokens
// and rate limits on a real Redis. It has no code of its own.
package e2e
