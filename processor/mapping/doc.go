// Package mapping is Actuate's port of Segment's mapping-kit: the JSON
// "directive" language (@path, @template, @if, @arrayPath, ...) that turns an
// incoming event into the payload of a destination action.
//
// The package is deliberately a faithful re-implementation rather than a
// redesign: users bring mappings written for Segment and expect the same
// requests, so JavaScript value semantics leak through on purpose (undefined
// versus null, truthiness, String(n) number formatting, integer-like object
// keys enumerated first, JSON.stringify escaping). The few places where the
// port knowingly differs are listed in DIFFERENCES.md next to this file, and
// testdata/segment_golden.json pins the output of Segment's own engine for a
// few hundred mapping/event pairs.
//
// A mapping is compiled once (Compile) into a tree of nodes with paths
// pre-split and templates pre-parsed; rendering (Mapping.AppendJSON) walks
// that tree against a fastjson event and writes the JSON output straight into
// the caller's buffer, building intermediate values only for directives that
// need them (@merge, @flatten, @json, @transform, ...). Render and
// RenderValue produce the same result as an in-memory Value instead.
//
// A compiled Mapping is immutable and may be rendered from many goroutines
// at once; a fastjson event may not, because fastjson unescapes lazily in
// place.
package mapping
