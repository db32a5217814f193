// Package destinations lists every destination Actuate ships and renders the
// catalog. The registry is the literal list in registry.go: adding a
// destination is one line there, grep finds every one, and nothing
// registers itself from init.
//
// A destination lives in its own package, destinations/<slug without
// dashes>, written against destkit:
//
//   - destination.go holds the Definition: slug (Segment's folder name),
//     settings (secrets marked Secret), auth scheme, actions, presets.
//   - one file per action holds its Action: fields as data (keys, types and
//     default mappings exactly as in Segment's definition, so existing
//     mappings render the same payload) and a Perform that turns a
//     validated payload into requests. Perform does no I/O; actions that
//     need a response to build the next call use Run with the Doer it is
//     given. Batches use PerformBatch (pure) or RunBatch.
//   - fields.go holds fields shared by several actions.
//   - tests use desttest: a recording server on 127.0.0.1, instances built
//     from settings, and payloads rendered through the real mapping engine.
//
// Three tests in this package keep the list honest: TestRegistry lints
// every definition (descriptions, secrets, FQL triggers, default mappings,
// presets, a test per action), TestReferenceFields compares fields with
// Segment's reference data when it is available, and the catalog tests
// cover what `actuate destinations list|show` prints (WriteCatalogText,
// WriteDestinationText, CatalogJSON, DestinationJSON).
package destinations
