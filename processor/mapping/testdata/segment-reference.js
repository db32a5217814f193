#!/usr/bin/env node
// Runs Segment's own mapping-kit (the published @segment/actions-core) over
// a set of mappings and events and prints what it produces, so Actuate's Go
// engine can be compared with it byte for byte.
//
// Usage: node segment-reference.js INPUT.json > OUTPUT.json
//   INPUT:  {"events": ["<event JSON text>", ...],
//            "cases":  [{"name": "...", "mapping": <mapping JSON value>,
//                        "mappingText": "<raw text, overrides mapping>",
//                        "events": [indexes, optional: default all]}, ...]}
//   OUTPUT: the input with every case's "mappingText" filled in, and either
//            "rejected": [messages]   (Segment refuses the mapping itself), or
//            "results":  [one per event: {"output": "<JSON.stringify text>"}
//                         | {"undefined": true} | {"error": "<message>"}]
//
// Mapping and event texts are parsed afresh for every call because
// mapping-kit mutates the mapping it is given (@replace defaults, the root
// directive rewrite).
//
// Finds the packages in bench/segment/node_modules (npm ci there), or in
// the directory named by SEGMENT_NODE_MODULES.
'use strict'

const fs = require('fs')
const path = require('path')

const modules =
  process.env.SEGMENT_NODE_MODULES || path.resolve(__dirname, '../../../bench/segment/node_modules')
const { transform } = require(path.join(modules, '@segment/actions-core'))

const ROOT_ERRORS = new Set([
  'The root mapping must only have a single directive object',
  'The root directive must be an object'
])

// A mapping is rejected when Segment fails it before looking at the
// payload: static validation, or the root-directive rewrite.
function rejection(err) {
  if (err && typeof err[Symbol.iterator] === 'function' && err.name === 'AggregateError') {
    return [...err].map((e) => e.message)
  }
  if (err && err.constructor && err.constructor.name === 'ValidationError') {
    return [err.message]
  }
  if (err && (ROOT_ERRORS.has(err.message) || /Cannot convert undefined or null to object/.test(err.message))) {
    return [err.message]
  }
  return null
}

function runOne(mappingText, eventText) {
  const mapping = JSON.parse(mappingText)
  const event = JSON.parse(eventText)
  try {
    const out = transform(mapping, event)
    const text = JSON.stringify(out)
    if (text === undefined) return { undefined: true }
    return { output: text }
  } catch (err) {
    return { error: String(err && err.message !== undefined ? err.message : err) }
  }
}

function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const cases = input.cases.map((c) => {
    const out = { ...c }
    delete out.rejected
    delete out.results
    const text = c.mappingText !== undefined ? c.mappingText : JSON.stringify(c.mapping)
    out.mappingText = text
    try {
      transform(JSON.parse(text), {})
    } catch (err) {
      const msgs = rejection(err)
      if (msgs) {
        out.rejected = msgs
        return out
      }
    }
    const idx = c.events || input.events.map((_, i) => i)
    out.results = idx.map((i) => runOne(text, input.events[i]))
    return out
  })
  process.stdout.write(JSON.stringify({ events: input.events, cases }, null, 1) + '\n')
}

main()
