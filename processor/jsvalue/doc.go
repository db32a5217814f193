// Package jsvalue is JavaScript's text of values, written once for every
// package that must print or measure values exactly as Segment's engine
// (Node) does:
//
//   - numbers as Number.prototype.toString prints them (AppendNumber,
//     FormatNumber) and as JSON.stringify does (AppendJSONNumber: null for
//     NaN and the infinities);
//   - string lengths and indexes in UTF-16 code units (UTF16Len, UTF16At,
//     ForEachCodeUnit), with JavaScript's whitespace (IsSpace, Trim);
//   - string quoting as JSON.stringify does it (AppendQuoted, AppendQuotedBytes,
//     AppendEscaped):
//     only '"', '\\' and C0 controls escaped, short forms where JSON has them,
//     '<', '>', '&' and U+2028 left raw; and a value fastjson parsed, written
//     back as JSON with its strings quoted so (AppendParsed);
//   - Member, the span of one top-level member in encoded JSON object text.
//
// Strings are Go strings holding WTF-8: UTF-8, plus lone UTF-16 surrogates
// encoded like ordinary code points (ED A0..BF xx). A JavaScript string may
// hold a lone surrogate (from a "\ud83d" escape, or by indexing into an
// emoji); WTF-8 carries it so that JSON.stringify's "\ud83d" escape can be
// written back. Bytes that are not UTF-8 (and not a WTF-8 surrogate) cannot
// come from a JavaScript string; each counts as one code unit and is written
// as U+FFFD, which is what Node reading them as UTF-8 would have made of them.
//
// The package depends on nothing else in the repository (only on fastjson, the
// parser every reader of events uses), so the engines
// (processor/fql, processor/mapping), the destination kit and the config
// loader can all share it.
package jsvalue
