'use strict'
// Prints the field facts of Segment's published destinations, for lostfields_test.go.
//
// Reads the destination slugs as arguments and writes one JSON object:
//   {"<slug>": {"settings": [field…], "audienceFields": [field…],
//               "actions": {"<key>": [field…]}, "presets": [{"name","partnerAction","type","mapping"}]}}
// where a field is {"key","type","required","multiple","allowNull","default","choices","properties"}:
// the facts of Segment's definition as it is installed in node_modules, in its order (lists,
// so the order survives), choices as their values, properties as fields. A slug whose
// definition does not load is {"error": "…"}. Nothing here runs an action.

// xml-js is required by Salesforce Marketing Cloud's code but is not installed (see runner.js);
// only its definition is read here.
const Module = require('module')
const loadModule = Module._load
Module._load = function (request, ...rest) {
  if (request === 'xml-js') return { xml2js: () => undefined, js2xml: () => undefined }
  return loadModule.call(this, request, ...rest)
}

function fields(defs) {
  return Object.entries(defs || {}).map(([key, f]) => ({
    key,
    type: f.type,
    required: f.required === undefined ? false : f.required,
    multiple: !!f.multiple,
    allowNull: !!f.allowNull,
    default: f.default,
    choices: Array.isArray(f.choices) ? f.choices.map((c) => (c !== null && typeof c === 'object' ? c.value : c)) : undefined,
    properties: f.properties ? fields(f.properties) : undefined
  }))
}

const out = {}
for (const slug of process.argv.slice(2)) {
  try {
    const mod = require(`@segment/action-destinations/dist/destinations/${slug}`)
    const def = mod.default || mod
    const actions = {}
    for (const [key, a] of Object.entries(def.actions || {})) actions[key] = fields(a.fields)
    out[slug] = {
      settings: fields((def.authentication || {}).fields),
      audienceFields: fields(def.audienceFields),
      actions,
      presets: (def.presets || []).map((p) => ({ name: p.name, partnerAction: p.partnerAction, type: p.type, mapping: p.mapping }))
    }
  } catch (e) {
    out[slug] = { error: String((e && e.message) || e) }
  }
}
process.stdout.write(JSON.stringify(out))
