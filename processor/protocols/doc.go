// Package protocols applies a source's tracking plan (Segment's "Protocols") to events. It
// runs first in the router, before destination filters: an event it blocks reaches no
// destination of the source, and an event it changes reaches every destination changed.
//
// A plan is compiled once per config version with Compile; a compiled Plan is immutable
// and safe for concurrent use. Apply judges one event and may edit it in place.
//
// # What Apply does, in order
//
//  1. Pick the rules. A track event is planned when its "event" name is a key of the plan's
//     events (exact, case-sensitive match). An unplanned track event is blocked with reason
//     "unplanned event" under on_violation.unplanned_events: block, and otherwise passes with a
//     violation reported (only when the plan names any events or blocks unplanned ones, so a
//     plan that only transforms reports nothing). Identify and group events use the plan's
//     identify and group rules. Page, screen, alias and events of unknown type have no rules
//     and are only transformed.
//  2. Validate each part that has a schema against it, properties first, then traits, then
//     context. The part "properties" is the event's properties; "traits" is the top-level
//     traits, or context.traits when the event has no top-level traits (analytics.js puts
//     them there on track calls); "context" is the context. A part that is missing or null
//     validates as {}. Formats ("date-time", "email", …) are asserted, because that is what a
//     tracking-plan author means by writing one; patterns use Go's RE2 syntax.
//  3. Act on violations, per part:
//     - properties: on_violation.invalid_properties; traits: invalid_traits; context follows
//     invalid_properties too (Segment counts context problems with the event's properties)
//     but blocks with its own reason, "invalid context".
//     - allow (default): report the violations, change nothing.
//     - block: the event is blocked with reason "invalid properties", "invalid traits" or
//     "invalid context" (the first part that blocks decides), and nothing in it is changed.
//     - omit: remove, from the part, every top-level key that a failing schema location
//     points into (a bad properties.products[2].price removes properties.products). A
//     failure at the part itself — a missing required property, too few properties — has
//     no key to remove: the event then passes with the violation reported. Keys named by
//     additionalProperties: false are removed. Omission happens only after all parts were
//     judged, so a blocked event is always left as it arrived.
//  4. Omit unplanned keys: with unplanned_properties (or unplanned_traits): omit, every
//     top-level key of the part that the schema does not plan is removed. A key is planned
//     when the schema's top-level "properties" or "required" lists it, or one of its
//     "patternProperties" matches it; nothing else of the schema ($ref, allOf, …) is
//     consulted. A schema without "properties" therefore plans nothing beyond its required
//     keys, which matches Segment, where an event without planned properties loses them all.
//  5. Transform: each transformation whose FQL condition matches the event as it is at
//     that point (after omissions and after earlier transformations) sets "event" to
//     rename_event and renames keys under properties. The renames of one transformation
//     happen at once, so {a: b, b: c} moves a's value to b and b's value to c regardless of
//     map order; a missing source key is skipped; an existing target is overwritten.
//     Blocked events are not transformed.
//
// Violations name the place in the event ("properties.products.2.price") and what is wrong;
// messages never quote the event's own values (a pattern failure says which pattern, not
// which string), since a property may hold data that must not reach logs. At most
// MaxViolations are listed per event, then one entry counting the rest.
//
// Apply never panics on an event: anything the validator cannot take (numbers JSON cannot
// carry, nesting too deep) becomes a violation, and an unexpected failure blocks the event
// with ReasonInternal, failing closed.
package protocols
