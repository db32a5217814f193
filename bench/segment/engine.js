// Runs Segment's published engines over an NDJSON file of events, producing the same
// lines as `actuate mapping render --events F --triggers T`: for each event the indexes of
// the matching triggers and the rendered mapping (or null when none matched).
// Usage: node engine.js MAPPING.json TRIGGERS.json EVENTS.ndjson > out.ndjson
// The time spent on the events (start-up excluded) goes to stderr as JSON.
'use strict'
const fs = require('fs')
const { transform } = require('@segment/actions-core')
const { parseFql, validate } = require('@segment/destination-subscriptions')

const [mappingFile, triggersFile, eventsFile] = process.argv.slice(2)
if (!eventsFile) {
  console.error('usage: node engine.js MAPPING.json TRIGGERS.json EVENTS.ndjson')
  process.exit(2)
}
const mapping = JSON.parse(fs.readFileSync(mappingFile, 'utf8'))
const triggers = JSON.parse(fs.readFileSync(triggersFile, 'utf8')).map((src, i) => {
  const parsed = parseFql(src)
  if (parsed.error) {
    console.error(`trigger ${i}: ${parsed.error.message}`)
    process.exit(2)
  }
  return parsed
})
const lines = fs.readFileSync(eventsFile, 'utf8').split('\n')

const out = []
let events = 0
const start = process.hrtime.bigint()
for (const line of lines) {
  if (line.trim() === '') continue
  events++
  let event
  try {
    event = JSON.parse(line)
  } catch (err) {
    out.push(JSON.stringify({ error: err.message }))
    continue
  }
  const matched = []
  for (let i = 0; i < triggers.length; i++) {
    if (validate(triggers[i], event)) matched.push(i)
  }
  const rendered = matched.length > 0 ? transform(mapping, event) : null
  out.push(JSON.stringify({ m: matched, out: rendered }))
}
const text = out.join('\n') + '\n'
const elapsedNs = Number(process.hrtime.bigint() - start)
fs.writeSync(1, text)
console.error(JSON.stringify({ engine: 'segment', events, seconds: elapsedNs / 1e9, eventsPerSecond: events / (elapsedNs / 1e9) }))
