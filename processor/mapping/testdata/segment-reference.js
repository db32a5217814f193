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

// A mapping is rejected when Segment fails it before looking at the
// payload: in the root-directive rewrite, or in the static validation of the
// whole mapping. Validation that @transform runs later on its "apply" part is
// a runtime error of that directive, so only the first validate() call of a
// transform() counts; we watch it by wrapping the module's export, which
// mapping-kit looks up on every call.
const validateModule = require(path.join(modules, '@segment/actions-core/dist/cjs/mapping-kit/validate'))
const realValidate = validateModule.default
let probe = null
validateModule.default = function (mapping) {
  if (probe && !probe.called) {
    probe.called = true
    try {
      return realValidate(mapping)
    } catch (err) {
      probe.error = err
      throw err
    }
  }
  return realValidate(mapping)
}

function messages(err) {
  if (err && typeof err[Symbol.iterator] === 'function' && err.name === 'AggregateError') {
    return [...err].map((e) => e.message)
  }
  return [String(err && err.message !== undefined ? err.message : err)]
}

// rejection returns Segment's messages if it refuses the mapping outright.
function rejection(text) {
  probe = { called: false, error: null }
  try {
    transform(JSON.parse(text), {})
    return null
  } catch (err) {
    if (!probe.called) return messages(err) // the root rewrite threw
    if (probe.error === err) return messages(err)
    return null
  } finally {
    probe = null
  }
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
    // An AggregateError's own message embeds stack traces; keep the
    // individual messages only, one per line.
    return { error: messages(err).join('\n') }
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
    const msgs = rejection(text)
    if (msgs) {
      out.rejected = msgs
      return out
    }
    const idx = c.events || input.events.map((_, i) => i)
    out.results = idx.map((i) => runOne(text, input.events[i]))
    return out
  })
  process.stdout.write(JSON.stringify({ events: input.events, cases }, null, 1) + '\n')
}

main()
