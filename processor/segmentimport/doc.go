// Package segmentimport turns a Segment workspace's Destination Actions, as its Public API
// returns them, into Actuate config objects, with a report of what was imported, what was
// changed on the way and what could not be. It does no I/O: the caller reads the saved
// responses, and writes or applies the result.
//
// # Inputs
//
// Three Public API responses, as a user saves them (with or without the {"data": …}
// envelope): Get Destination ({"destination": {id, name, enabled, sourceId,
// metadata: {slug, …}, settings}}; List Destinations' {"destinations": […]} is read too),
// List Subscriptions from Destination ({"subscriptions": [{id, name, actionSlug,
// destinationId, modelId, enabled, trigger, settings}]}) and List Filters from Destination
// ({"filters": [{id, sourceId, destinationId, if, actions, title, description, enabled}]}).
// Subscriptions and filters go to the destination their destinationId names; without one,
// to the only destination, or to the destination read from the same position.
//
// # Step by step, per destination
//
//  1. The definition is found by metadata.slug, Segment's slug ("actions-amplitude"),
//     against each definition's SegmentSlug. None: the destination and everything under it
//     are not imported.
//  2. The instance id is Options.ID, or the destination's name in lower case with every run
//     of other characters than letters and digits made one "-", made unique in the run.
//  3. Settings: each key the definition has is kept; any other is dropped and reported.
//     Every secret setting (destkit.Field.Secret), and every other value Segment masked
//     ("••••dada"), becomes an ${env:NAME} reference, NAME derived from the instance id and
//     the key (AMPLITUDE_PROD_API_KEY); the names are listed to be set. A masked value is
//     never written as a value.
//  4. The instance is connected to Options.Source, or to Segment's sourceId; a source the
//     run needs is created with Options.Topic.
//  5. Each subscription becomes a mapping with the same name, action, trigger, mapping JSON
//     (its settings, key order kept) and enabled state, in the same order; its id is the
//     subscription's id. A trigger of one of Segment's presets that Actuate ships rewritten
//     (an "==" where the definition's preset or default subscription has "=") takes the
//     definition's trigger, reported as a change: on Segment it never matched. A mapping is
//     not imported when it is a Reverse ETL subscription (modelId),
//     its action is not an action of the definition (browser plugins are named as such),
//     its trigger does not parse here or is one Actuate reads differently from Segment
//     (Divergences, each with the reason), or its mapping does not compile.
//  6. Each filter keeps its condition, actions, title, description and enabled state.
//     Segment's legacy action names (whitelist_fields, blacklist_fields) and the condition
//     "all" are rewritten and reported; a filter whose actions or condition do not compile
//     is not imported.
//  7. The instance, with what was imported under it, is compiled with its source
//     (workspace.Compile, secrets standing in for their references); if it does not
//     compile, it is not imported and the problems are the reasons.
//
// The report counts objects (destinations, subscriptions, filters): Outcome is All when
// every one was imported, Some when some were, None when none was.
package segmentimport
