'use strict'
// Runs Segment's published destination actions for the parity test (parity_test.go).
//
// Reads NDJSON on stdin, one case a line:
//   {"id":…, "destination":"amplitude", "action":"logEventV2", "settings":{…}, "auth":{…},
//    "mapping":{…}, "events":[…], "batch":false, "responses":[{"method","url","status","body","headers","times"}]}
// and writes one NDJSON line per case:
//   {"id":…, "runs":[{"requests":[{"method","url","headers","body"}], "error":"…", "returned":…}]}
// where returned is what an action that made no request handed back.
// With batch false every event is its own run of the action (testAction); with batch true
// the events are one run of the batch form (testBatchAction).
//
// HTTP never leaves the process: nock answers every request, from the case's responses
// when one matches (first match whose times are not used up; url is a regular expression
// over the full URL) and otherwise with 200 and "{}".

const readline = require('readline')
const nock = require('nock')
const { createTestIntegration } = require('@segment/actions-core')

nock.disableNetConnect()

// Kafka is not HTTP: kafkajs is replaced by a producer that records each message it is
// given as a request "PRODUCE kafka:///<topic>?key=…&partition=…", the message headers as
// headers prefixed "kafka-", the value as the body (JSON).
const Module = require('module')
const loadModule = Module._load
const fakeKafkajs = {
  Partitioners: { DefaultPartitioner: () => () => 0, LegacyPartitioner: () => () => 0 },
  Kafka: class {
    producer() {
      return {
        connect: async () => {},
        disconnect: async () => {},
        send: async ({ topic, messages }) => {
          for (const m of messages) {
            const query = new URLSearchParams()
            if (m.key !== undefined && m.key !== null) query.set('key', String(m.key))
            if (m.partition !== undefined && m.partition !== null) query.set('partition', String(m.partition))
            const headers = { 'content-type': 'application/json' }
            for (const [k, v] of Object.entries(m.headers || {})) headers['kafka-' + k.toLowerCase()] = String(v)
            const q = query.toString()
            recorded.push({ method: 'PRODUCE', url: `kafka:///${topic}${q ? '?' + q : ''}`, headers, body: String(m.value) })
          }
        }
      }
    }
  }
}
// xml-js is required by Salesforce Marketing Cloud's code (its SOAP calls for listing data
// extensions, which run only in hooks) but is not among the package's dependencies, so npm
// does not install it; the actions compared never call it.
const missingXmlJs = {
  xml2js: () => { throw new Error('xml-js is not installed') },
  js2xml: () => { throw new Error('xml-js is not installed') }
}
Module._load = function (request, ...rest) {
  if (request === 'kafkajs') return fakeKafkajs
  if (request === 'xml-js') return missingXmlJs
  return loadModule.call(this, request, ...rest)
}

// createTestEvent fills in a sample event's fields; a field the case's event does not have
// is set to undefined instead, so both implementations see the same event.
const sampleEventKeys = [
  'anonymousId', 'context', 'event', 'messageId', 'properties', 'receivedAt', 'sentAt',
  'timestamp', 'traits', 'type', 'userId'
]

function exactEvent(event) {
  const out = { ...event }
  for (const k of sampleEventKeys) {
    if (!(k in out)) out[k] = undefined
  }
  return out
}

const destinations = new Map()

function destination(slug) {
  let d = destinations.get(slug)
  if (!d) {
    const mod = require(`@segment/action-destinations/dist/destinations/${slug}`)
    d = createTestIntegration(mod.default || mod)
    destinations.set(slug, d)
  }
  return d
}

// The requests of the run in progress and the replies scripted for it.
let recorded = []
let script = []

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']

function headerValue(v) {
  return Array.isArray(v) ? v.join(', ') : String(v)
}

function intercept() {
  for (const method of methods) {
    const scope = nock(/.*/).persist().intercept(/.*/, method).reply(function () {
      const req = this.req
      const url = `${req.options.proto}://${req.options.hostname}${req.options.port && ![80, 443].includes(Number(req.options.port)) ? ':' + req.options.port : ''}${req.path}`
      for (const r of script) {
        if (r.times > 0 && r.used >= r.times) continue
        if (r.method && r.method.toUpperCase() !== method) continue
        if (r.url && !new RegExp(r.url).test(url)) continue
        r.used++
        const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {})
        return [r.status || 200, body, { 'content-type': 'application/json', ...(r.headers || {}) }]
      }
      return [200, '{}', { 'content-type': 'application/json' }]
    })
    scope.on('request', (req, _interceptor, body) => {
      const headers = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = headerValue(v)
      const port = req.options.port && ![80, 443].includes(Number(req.options.port)) ? ':' + req.options.port : ''
      recorded.push({
        method: req.method,
        url: `${req.options.proto}://${req.options.hostname}${port}${req.path}`,
        headers,
        body: body || ''
      })
    })
  }
}

async function run(c) {
  const dest = destination(c.destination)
  const runs = []
  // A transaction context shared by the runs of a case, as Segment gives the actions of one
  // event (HubSpot's Upsert Contact stores the contact's id in it).
  const transaction = {}
  const transactionContext = { transaction, setTransaction: (k, v) => { transaction[k] = v } }
  const base = { mapping: c.mapping || {}, settings: c.settings || {}, auth: c.auth, transactionContext }
  const groups = c.batch ? [c.events] : c.events.map((e) => [e])
  for (const events of groups) {
    recorded = []
    script = (c.responses || []).map((r) => ({ ...r, used: 0 }))
    const out = {}
    try {
      if (c.batch) {
        await dest.testBatchAction(c.action, { ...base, events: events.map(exactEvent) })
      } else {
        await dest.testAction(c.action, { ...base, event: exactEvent(events[0]) })
      }
    } catch (err) {
      out.error = String((err && err.message) || err); if (process.env.PARITY_DEBUG) process.stderr.write(String(err.stack) + "\n")
    }
    out.requests = recorded
    // An action that hands its payload back instead of calling HTTP (Segment's own
    // destination does, for its internal pipeline): what it returned.
    const returned = (dest.results || []).find((r) => r && r.data !== undefined && r.output === 'Action Executed')
    if (!recorded.length && returned) out.returned = returned.data
    runs.push(out)
  }
  return runs
}

async function main() {
  intercept()
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of rl) {
    if (!line.trim()) continue
    let c
    try {
      c = JSON.parse(line)
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: 'bad input: ' + err.message }) + '\n')
      continue
    }
    let reply
    try {
      reply = { id: c.id, runs: await run(c) }
    } catch (err) {
      reply = { id: c.id, error: String((err && err.stack) || err) }
    }
    process.stdout.write(JSON.stringify(reply) + '\n')
  }
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\n')
  process.exit(1)
})
