// The mapping editor, in Segment's steps: conditions, a test event, the field mapping with
// a live preview, Test Mapping, save. A draft is previewed and tested before it is saved
// (POST /v1/destinations/{id}/mappings/test); nothing is written until Save. A dynamic
// field loads its choices from the vendor; a saved mapping runs its action's hooks, whose
// saved entries (inputs and outputs) the draft carries through unchanged.
import { get, post, patch, catalogEntry, jsonValue, enc, ApiError } from '../api.js';
import { h, add, clear, field, fieldError, showError, debounce, pretty, pathsOf, newId, link, status, choicePicker, reasonsOf } from '../ui.js';
import { settingsForm } from '../settings.js';
import { destHeader } from '../dest.js';
import { navigate } from '../app.js';

const kinds = [['event_type', 'Event type'], ['event_name', 'Event name'], ['property', 'Property']];
const opNames = {
  '=': 'is', '!=': 'is not', contains: 'contains', not_contains: 'does not contain', starts_with: 'starts with',
  not_starts_with: 'does not start with', ends_with: 'ends with', not_ends_with: 'does not end with',
  number_equals: '= (number)', number_not_equals: '≠ (number)', '<': '<', '<=': '≤', '>': '>', '>=': '≥',
  exists: 'exists', not_exists: 'does not exist', is_true: 'is true', is_false: 'is false',
};
const opsByKind = {
  event_type: ['=', '!='],
  event_name: ['=', '!=', 'contains', 'not_contains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with'],
  property: Object.keys(opNames),
};
const noValue = new Set(['exists', 'not_exists', 'is_true', 'is_false']);
const eventTypes = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

const sampleEvent = () => ({
  type: 'track', event: 'Order Completed', userId: 'ada', anonymousId: 'anon-7', messageId: 'msg-' + Date.now(),
  timestamp: new Date().toISOString(), properties: { order_id: 'o-1', revenue: 42, coupon: 'SPRING', name: 'Checkout' },
  traits: { email: 'ada@example.com' }, context: { page: { path: '/checkout' }, ip: '203.0.113.7' },
});

// parseDirective reads a field's mapping into the editor's modes.
export function parseDirective(v, spec) {
  const isObj = (x) => x && typeof x === 'object' && !Array.isArray(x);
  const pathOf = (x) => (isObj(x) && Object.keys(x).length === 1 && typeof x['@path'] === 'string' ? x['@path'] : null);
  if (v === undefined) return { mode: 'path', path: '' };
  if (pathOf(v) !== null) return { mode: 'path', path: pathOf(v) };
  if (v === null || typeof v !== 'object') return { mode: 'static', value: v === null ? '' : String(v) };
  const iff = isObj(v) && Object.keys(v).length === 1 && v['@if'];
  if (iff && isObj(iff.exists) && pathOf(iff.exists) !== null && pathOf(iff.then) === pathOf(iff.exists) && pathOf(iff.else) !== null) {
    return { mode: 'coalesce', primary: pathOf(iff.then), fallback: pathOf(iff.else) };
  }
  const rep = isObj(v) && Object.keys(v).length === 1 && v['@replace'];
  if (rep && pathOf(rep.value) !== null && Object.keys(rep).every((k) => ['value', 'pattern', 'replacement', 'pattern2', 'replacement2'].includes(k))) {
    return { mode: 'replace', path: pathOf(rep.value), pairs: [[rep.pattern ?? '', rep.replacement ?? ''], [rep.pattern2 ?? '', rep.replacement2 ?? '']] };
  }
  if (spec?.type === 'object' && isObj(v) && Object.keys(v).every((k) => !k.startsWith('@')) &&
      Object.values(v).every((x) => pathOf(x) !== null || x === null || typeof x !== 'object')) {
    return { mode: 'object', rows: Object.entries(v).map(([k, x]) => (pathOf(x) !== null ? { key: k, kind: 'path', value: pathOf(x) } : { key: k, kind: 'static', value: x === null ? '' : String(x) })) };
  }
  return { mode: 'raw', raw: JSON.stringify(v, null, 2) };
}

// buildDirective writes the editor's state back as mapping-kit JSON.
export function buildDirective(s, spec) {
  const typed = (text) => {
    if ((spec?.type === 'number' || spec?.type === 'integer') && text.trim() !== '' && !isNaN(Number(text))) return Number(text);
    if (spec?.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    return text;
  };
  switch (s.mode) {
    case 'path': return { '@path': s.path };
    case 'static': return typed(s.value ?? '');
    case 'coalesce': return { '@if': { exists: { '@path': s.primary }, then: { '@path': s.primary }, else: { '@path': s.fallback } } };
    case 'replace': {
      const r = { value: { '@path': s.path }, pattern: s.pairs[0][0], replacement: s.pairs[0][1] };
      if (s.pairs[1][0] !== '') Object.assign(r, { pattern2: s.pairs[1][0], replacement2: s.pairs[1][1] });
      return { '@replace': r };
    }
    case 'object': return Object.fromEntries(s.rows.filter((r) => r.key !== '').map((r) => [r.key, r.kind === 'path' ? { '@path': r.value } : r.value]));
    default: return JSON.parse(s.raw);
  }
}

export default async function page(main, { id, mapping: mappingId }, query) {
  const d = await get(`/v1/destinations/${enc(id)}`);
  const def = await catalogEntry(d.type);
  let existing = mappingId ? await get(`/v1/destinations/${enc(id)}/mappings/${enc(mappingId)}`) : null;
  document.title = `${existing ? existing.name || existing.id : 'New mapping'} · ${d.id} · Actuate`;
  const actionOf = (key) => def.actions.find((a) => a.key === key);
  // Hooks the console runs; their entries in the mapping are not edited as fields.
  const runnable = (action) => (action?.hooks || []).filter((x) => x.runs);

  // The editor's state.
  const st = { name: '', action: '', mode: 'builder', group: { match: 'all', conditions: [] }, fql: '', fields: new Map(), hooks: {}, event: null, maxConditions: 0 };
  const initTrigger = async (text) => {
    st.fql = text;
    if (!text) { st.mode = 'builder'; st.group = { match: 'all', conditions: [] }; return; }
    try {
      const r = await post('/v1/triggers', { trigger: text });
      st.maxConditions = r.max_conditions || 0;
      if (r.conditions) { st.mode = 'builder'; st.group = { match: r.conditions.match || 'all', conditions: r.conditions.conditions || [] }; } else st.mode = 'fql';
    } catch { st.mode = 'fql'; }
  };
  const resetFields = (action, mapping) => {
    st.fields = new Map();
    st.hooks = {};
    for (const x of runnable(action)) if (mapping && Object.hasOwn(mapping, x.key)) st.hooks[x.key] = mapping[x.key];
    for (const f of action.fields) {
      if (mapping && Object.hasOwn(mapping, f.key)) st.fields.set(f.key, parseDirective(mapping[f.key], f));
      else if (!mapping && (f.required || f.default !== undefined)) st.fields.set(f.key, parseDirective(jsonValue(f.default), f));
      else if (f.required) st.fields.set(f.key, parseDirective(undefined, f));
    }
    for (const [k, v] of Object.entries(mapping || {})) if (!st.fields.has(k) && !Object.hasOwn(st.hooks, k)) st.fields.set(k, { mode: 'raw', raw: JSON.stringify(v, null, 2) });
  };
  if (existing) {
    st.name = existing.name || ''; st.action = existing.action;
    await initTrigger(existing.trigger);
    resetFields(actionOf(existing.action) || { fields: [] }, existing.mapping || {});
  } else {
    const a = actionOf(query.get('action')) || def.actions[0];
    st.action = a.key; st.name = a.title;
    await initTrigger(a.default_subscription || '');
    resetFields(a, null);
  }

  // Layout.
  const triggerBox = h('div'); const eventBox = h('div'); const fieldsBox = h('div'); const saveBox = h('div'); const hooksBox = h('div');
  const hooksCard = h('section.card.step', { 'aria-labelledby': 'h-hooks' }, h('h2#h-hooks', 'Hooks'), hooksBox);
  const preview = h('div'); const testOut = h('div');
  const live = h('div.status', { role: 'status', 'aria-live': 'polite' });
  const datalist = h('datalist#event-paths');
  add(main, ...destHeader(d, def, 'mappings'),
    h('div.crumbs', link(`/console/destinations/${enc(d.id)}`, 'Mappings'), ' / ', existing ? existing.name || existing.id : 'New mapping'),
    h('div.cols',
      h('div.steps',
        h('section.card.step', { 'aria-labelledby': 'h-action' }, h('h2#h-action', 'Action and name'), actionPicker()),
        h('section.card.step', { 'aria-labelledby': 'h-cond' }, h('h2#h-cond', 'Select events to map and send'), triggerBox),
        h('section.card.step', { 'aria-labelledby': 'h-event' }, h('h2#h-event', 'Test event'), eventBox),
        h('section.card.step', { 'aria-labelledby': 'h-fields' }, h('h2#h-fields', 'Map fields'), fieldsBox),
        hooksCard,
        h('section.card.step', { 'aria-labelledby': 'h-save' }, h('h2#h-save', 'Save'), saveBox)),
      h('aside.sticky', { 'aria-label': 'Preview' }, h('div.card', h('h2', 'Preview'), preview, live, testOut))),
    datalist);

  function actionPicker() {
    const name = h('input', { type: 'text', value: st.name, oninput: (e) => { st.name = e.target.value; } });
    const sel = h('select', {
      onchange: (e) => { st.action = e.target.value; const a = actionOf(st.action); if (!existing) { resetFields(a, null); if (a.default_subscription) { initTrigger(a.default_subscription).then(drawTrigger); } } drawFields(); drawHooks(); refresh(); },
    }, def.actions.map((a) => h('option', { value: a.key, selected: a.key === st.action }, a.title)));
    return h('div', field('Action', sel, actionOf(st.action)?.description), field('Mapping name', name));
  }

  // Step: conditions.
  function drawTrigger() {
    const err = h('div');
    if (st.mode === 'fql') {
      const ta = h('textarea.code', { rows: 3, value: st.fql, oninput: (e) => { st.fql = e.target.value; refresh(); } });
      return clear(triggerBox, field('Trigger (FQL)', ta, 'For example: type = "track" and event = "Order Completed"'), err,
        h('button', {
          type: 'button',
          onclick: async () => {
            try {
              const r = await post('/v1/triggers', { trigger: st.fql });
              if (!r.conditions) return showError(err, new ApiError(400, 'The condition builder cannot show this trigger: ' + r.builder_error));
              st.group = { match: r.conditions.match || 'all', conditions: r.conditions.conditions || [] }; st.mode = 'builder'; drawTrigger();
            } catch (e) { showError(err, e); }
          },
        }, 'Use the condition builder'));
    }
    const g = st.group;
    const full = st.maxConditions > 0 && g.conditions.length >= st.maxConditions;
    const rows = g.conditions.map((c, i) => {
      const kindSel = h('select', { onchange: (e) => { c.kind = e.target.value; c.operator = '='; if (c.kind !== 'property') delete c.field; drawTrigger(); refresh(); } },
        kinds.map(([k, t]) => h('option', { value: k, selected: c.kind === k }, t)));
      const fieldIn = h('input', { type: 'text', value: c.field || '', placeholder: 'properties.plan', disabled: c.kind !== 'property', list: 'event-paths-fql', oninput: (e) => { c.field = e.target.value; refresh(); } });
      const opSel = h('select', { onchange: (e) => { c.operator = e.target.value; if (noValue.has(c.operator)) delete c.value; drawTrigger(); refresh(); } },
        opsByKind[c.kind].map((o) => h('option', { value: o, selected: c.operator === o }, opNames[o])));
      const valIn = c.kind === 'event_type'
        ? h('select', { onchange: (e) => { c.value = e.target.value; refresh(); } }, eventTypes.map((t) => h('option', { value: t, selected: c.value === t }, t)))
        : h('input', { type: 'text', value: c.value || '', disabled: noValue.has(c.operator), oninput: (e) => { c.value = e.target.value; refresh(); } });
      if (c.kind === 'event_type' && !c.value) c.value = 'track';
      const n = i + 1;
      const lab = (text, el) => { el.id = newId('c'); return h('div', h('label', { for: el.id }, `${text} ${n}`), el); };
      return h('div.cond', { 'data-condition': i }, lab('Condition', kindSel), lab('Field', fieldIn), lab('Operator', opSel), lab('Value', valIn),
        h('button.icon', { type: 'button', 'aria-label': `Remove condition ${n}`, onclick: () => { g.conditions.splice(i, 1); drawTrigger(); refresh(); } }, '✕'));
    });
    const matchSel = h('select', { onchange: (e) => { g.match = e.target.value; refresh(); } },
      h('option', { value: 'all', selected: g.match !== 'any' }, 'ALL of the conditions'), h('option', { value: 'any', selected: g.match === 'any' }, 'ANY of the conditions'));
    clear(triggerBox,
      h('div.row', field('Send events that match', matchSel)),
      rows.length ? rows : h('p.muted', 'No condition: add at least one.'), err,
      h('div.toolbar',
        h('button', { type: 'button', disabled: full, onclick: () => { g.conditions.push({ kind: 'event_type', operator: '=', value: 'track' }); drawTrigger(); refresh(); } }, '+ Add condition'),
        h('button', {
          type: 'button',
          onclick: async () => {
            try { st.fql = g.conditions.length ? (await post('/v1/triggers', { conditions: g })).trigger : ''; st.mode = 'fql'; drawTrigger(); } catch (e) { showError(err, e); }
          },
        }, 'Edit as FQL')),
      st.maxConditions > 0 ? h('p.small.muted', `Your plan allows up to ${st.maxConditions} conditions per trigger${full ? ': the limit is reached' : ''}.`) : null,
      h('datalist#event-paths-fql', (st.event ? pathsOf(st.event) : []).map((p) => h('option', { value: p.slice(2) }))));
  }

  // Step: test event.
  function drawEvent() {
    const ta = h('textarea.code', { rows: 8, 'aria-label': 'Test event (JSON)' });
    ta.value = st.event ? pretty(st.event) : '';
    const err = h('div');
    const src = h('select', d.sources.map((s) => h('option', { value: s }, s)));
    const pick = h('select', { hidden: true, 'aria-label': 'Latest events of the source' });
    let loaded = [];
    const use = (ev) => { st.event = ev; ta.value = pretty(ev); fieldError(ta, []); updatePaths(); refresh(); };
    ta.addEventListener('input', debounce(() => {
      if (ta.value.trim() === '') { st.event = null; fieldError(ta, []); return refresh(); }
      try { st.event = JSON.parse(ta.value); fieldError(ta, []); updatePaths(); refresh(); } catch (e) { fieldError(ta, ['not valid JSON: ' + e.message]); }
    }, 300));
    pick.addEventListener('change', () => use(loaded[Number(pick.value)]));
    clear(eventBox,
      h('p.small.muted', 'Load a recent event of a source, or paste one. The preview renders the mapping for it.'),
      h('div.toolbar', d.sources.length ? [field('Source', src), h('button', {
        type: 'button',
        onclick: async () => {
          showError(err, null);
          try {
            loaded = (await get(`/v1/sources/${enc(src.value)}/events?limit=10`)).items;
            if (!loaded.length) return showError(err, new ApiError(404, `Source ${src.value} has no events yet: send one, or paste or use a sample event.`));
            clear(pick, loaded.map((e, i) => h('option', { value: i }, `${e.type}${e.event ? ' ' + e.event : e.name ? ' ' + e.name : ''} · ${e.userId || e.anonymousId || ''} · ${e.timestamp || ''}`)));
            pick.hidden = false;
            use(loaded[0]);
          } catch (e) { showError(err, e); }
        },
      }, 'Load test event from source')] : null,
      h('button', { type: 'button', onclick: () => use(sampleEvent()) }, 'Use a sample event')),
      pick, err, field('Test event (JSON)', ta));
  }
  function updatePaths() {
    clear(datalist, (st.event ? pathsOf(st.event) : []).map((p) => h('option', { value: p })));
  }

  // Step: fields.
  const fieldRows = new Map();
  function drawFields() {
    const action = actionOf(st.action) || { fields: [] };
    const specs = new Map(action.fields.map((f) => [f.key, f]));
    fieldRows.clear();
    const rows = [];
    for (const f of action.fields) if (st.fields.has(f.key)) rows.push(fieldRow(f.key, f));
    for (const k of st.fields.keys()) if (!specs.has(k)) rows.push(fieldRow(k, null));
    const hidden = action.fields.filter((f) => !st.fields.has(f.key));
    const addSel = h('select', { 'aria-label': 'Optional field to add' }, hidden.map((f) => h('option', { value: f.key }, f.label || f.key)));
    clear(fieldsBox,
      h('p.small.muted', 'Required fields are always shown; add optional ones with +. Paths come from the test event.'),
      rows,
      hidden.length ? h('div.toolbar', addSel, h('button', {
        type: 'button',
        onclick: () => { const f = specs.get(addSel.value); st.fields.set(f.key, parseDirective(jsonValue(f.default), f)); drawFields(); refresh(); fieldRows.get(f.key)?.querySelector('select')?.focus(); },
      }, '+ Add field')) : null);
  }

  function fieldRow(key, spec) {
    const s = st.fields.get(key);
    const label = spec ? spec.label || key : key;
    const inputs = h('div.inputs');
    const err = h('div.field-error', { role: 'alert' });
    const modes = [['path', spec?.type === 'object' ? 'Select object (path)' : 'Event path'], ['static', 'Static value'], ['coalesce', 'Coalesce (primary, fallback)'], ['replace', 'Replace']];
    if (spec?.type === 'object') modes.push(['object', 'Edit object']);
    modes.push(['raw', 'JSON (any directive)']);
    const modeSel = h('select', { 'aria-label': `How ${label} is filled` }, modes.map(([m, t]) => h('option', { value: m, selected: s.mode === m }, t)));
    modeSel.addEventListener('change', () => {
      let raw;
      try { raw = JSON.stringify(buildDirective(s, spec), null, 2); } catch { raw = s.raw || ''; }
      const first = s.path || s.primary || '';
      Object.assign(s, { mode: modeSel.value });
      if (s.mode === 'raw') s.raw = raw;
      if (s.mode === 'path') s.path ??= first;
      if (s.mode === 'static') s.value ??= '';
      if (s.mode === 'coalesce') { s.primary ??= first; s.fallback ??= ''; }
      if (s.mode === 'replace') { s.path ??= first; s.pairs ??= [['', ''], ['', '']]; }
      if (s.mode === 'object') s.rows ??= [];
      drawInputs(); refresh();
    });
    const text = (lab, val, set, opts = {}) => {
      const el = h('input', { type: 'text', value: val ?? '', list: opts.path ? 'event-paths' : null, placeholder: opts.path ? '$.properties.…' : null, oninput: (e) => { set(e.target.value); refresh(); } });
      el.id = newId('in');
      return [h('label', { for: el.id }, lab), el];
    };
    const drawInputs = () => {
      const isObj = spec?.type === 'object';
      switch (s.mode) {
        case 'path': return clear(inputs, text(isObj ? 'Select object' : 'Path', s.path, (v) => (s.path = v), { path: true }));
        case 'static': {
          if (spec?.choices?.length || spec?.type === 'boolean') {
            const opts = spec.choices?.length ? spec.choices.map((c) => [String(c.value), c.label || String(c.value)]) : [['true', 'true'], ['false', 'false']];
            const sel = h('select', { id: newId('in'), onchange: (e) => { s.value = e.target.value; refresh(); } }, h('option', { value: '' }, '(empty)'), opts.map(([v, t]) => h('option', { value: v, selected: String(s.value) === v }, t)));
            return clear(inputs, h('label', { for: sel.id }, 'Value'), sel);
          }
          return clear(inputs, text('Value', s.value, (v) => (s.value = v)));
        }
        case 'coalesce': return clear(inputs, text('Primary path', s.primary, (v) => (s.primary = v), { path: true }), text('Fallback path', s.fallback, (v) => (s.fallback = v), { path: true }));
        case 'replace': return clear(inputs, text('Path', s.path, (v) => (s.path = v), { path: true }),
          text('Replace 1', s.pairs[0][0], (v) => (s.pairs[0][0] = v)), text('with', s.pairs[0][1], (v) => (s.pairs[0][1] = v)),
          text('Replace 2', s.pairs[1][0], (v) => (s.pairs[1][0] = v)), text('with', s.pairs[1][1], (v) => (s.pairs[1][1] = v)));
        case 'object': return clear(inputs, s.rows.map((r, i) => {
          const k = h('input', { type: 'text', value: r.key, 'aria-label': `Key ${i + 1} of ${label}`, oninput: (e) => { r.key = e.target.value; refresh(); } });
          const kind = h('select', { 'aria-label': `Key ${i + 1} value kind`, onchange: (e) => { r.kind = e.target.value; refresh(); } }, h('option', { value: 'path', selected: r.kind === 'path' }, 'path'), h('option', { value: 'static', selected: r.kind === 'static' }, 'static'));
          const v = h('input', { type: 'text', value: r.value, list: 'event-paths', 'aria-label': `Value of key ${i + 1} of ${label}`, oninput: (e) => { r.value = e.target.value; refresh(); } });
          return [h('div.row', k), h('div.row', kind, v, h('button.icon', { type: 'button', 'aria-label': `Remove key ${i + 1}`, onclick: () => { s.rows.splice(i, 1); drawInputs(); refresh(); } }, '✕'))];
        }), h('span'), h('div', h('button', { type: 'button', onclick: () => { s.rows.push({ key: '', kind: 'path', value: '' }); drawInputs(); } }, '+ Add key')));
        default: {
          const ta = h('textarea.code', { id: newId('in'), rows: 4, value: s.raw, oninput: (e) => { s.raw = e.target.value; refresh(); } });
          return clear(inputs, h('label', { for: ta.id }, 'Mapping JSON'), ta);
        }
      }
    };
    drawInputs();
    const required = spec?.required;
    const row = h('div.fieldrow', { 'data-field': key },
      h('div.head', h('strong', label, ' ', h('code.small.muted', key)), h('span.row',
        required ? h('span.badge.warn', 'required') : h('button.link', { type: 'button', 'aria-label': `Remove ${label}`, onclick: () => { st.fields.delete(key); drawFields(); refresh(); } }, 'Remove'))),
      spec?.description ? h('div.desc', spec.description) : null,
      h('div.row', modeSel, spec?.dynamic ? choicePicker(label, () => loadChoices(key), (v) => {
        Object.assign(s, { mode: 'static', value: String(v) }); modeSel.value = 'static'; drawInputs(); refresh();
      }, (e) => row.showErr(reasonsOf(e))) : null), inputs, err);
    row.showErr = (reasons) => { err.textContent = reasons.join('; '); };
    fieldRows.set(key, row);
    return row;
  }

  // loadChoices asks the vendor for a dynamic field's choices (key: field, object.property,
  // or hook.input), given the saved mapping and the static values typed so far.
  function loadChoices(key) {
    const values = {};
    for (const [k, s] of st.fields) {
      if (s.mode !== 'static' || s.value === '') continue;
      values[k] = buildDirective(s, (actionOf(st.action)?.fields || []).find((f) => f.key === k));
    }
    const q = new URLSearchParams({ values: JSON.stringify(values) });
    if (existing) q.set('mapping', existing.id);
    return get(`/v1/destinations/${enc(d.id)}/actions/${enc(st.action)}/fields/${enc(key)}/choices?${q}`);
  }

  // Step: hooks. Each runnable hook of a saved mapping gets a form of its inputs; Run
  // calls the destination and the API saves the inputs and outputs on the mapping.
  function drawHooks() {
    const action = actionOf(st.action);
    const hooks = action?.hooks || [];
    hooksCard.hidden = hooks.length === 0;
    if (!hooks.length) return clear(hooksBox);
    if (!existing || existing.action !== st.action) {
      return clear(hooksBox, h('p.muted', `Save the mapping${existing ? ' with this action' : ''} to run its hooks.`));
    }
    clear(hooksBox, hooks.map(hookForm));
  }
  function hookForm(x) {
    const label = x.label || x.key;
    const entry = st.hooks[x.key];
    const outBox = h('div'); const err = h('div'); const live = h('div.status', { role: 'status', 'aria-live': 'polite' });
    const outputs = (e) => (e?.outputs
      ? h('dl.kv', { 'aria-label': `Outputs of ${label}` }, (x.outputs || []).filter((o) => e.outputs[o.key] !== undefined).flatMap((o) => [h('dt', o.label || o.key), h('dd', h('code', typeof e.outputs[o.key] === 'string' ? e.outputs[o.key] : JSON.stringify(e.outputs[o.key])))]))
      : h('p.small.muted', 'Not run yet: no outputs are saved on the mapping.'));
    clear(outBox, outputs(entry));
    const head = h('div.head', h('strong', label, ' ', h('code.small.muted', x.key)));
    if (!x.runs) {
      return h('div.fieldrow', { 'data-hook': x.key }, head, x.description ? h('div.desc', x.description) : null,
        h('p.small.muted', `The console cannot run this hook: write its outputs on the mapping as the ${x.key} field.`), outBox);
    }
    const form = settingsForm(x.inputs || [], entry?.inputs || {}, {}, { prefix: 'inputs', empty: 'This hook has no inputs.', choices: (f) => loadChoices(`${x.key}.${f.key}`) });
    const run = h('button.primary', {
      type: 'button',
      onclick: async () => {
        showError(err, null);
        let inputs;
        try { inputs = Object.fromEntries(Object.entries(form.values()).filter(([, v]) => v !== null)); } catch (e) { return showError(err, e); }
        run.disabled = true;
        status(live, `Running ${label}…`);
        try {
          const r = await post(`/v1/destinations/${enc(d.id)}/mappings/${enc(existing.id)}/hooks/${enc(x.key)}`, { inputs });
          form.showProblems(new ApiError(200, ''));
          // The API saved the entry on the mapping: read the mapping as it now is.
          existing = await get(`/v1/destinations/${enc(d.id)}/mappings/${enc(existing.id)}`);
          st.hooks[x.key] = existing.mapping?.[x.key] ?? r.hook;
          clear(outBox, outputs(st.hooks[x.key]));
          status(live, `${label}: done, its outputs are saved on the mapping.`);
          refresh();
        } catch (e) {
          form.showProblems(e);
          showError(err, e);
          status(live, `${label} failed: see the errors.`, false);
        }
        run.disabled = false;
      },
    }, 'Run');
    return h('div.fieldrow', { 'data-hook': x.key }, head, x.description ? h('div.desc', x.description) : null,
      form.el, h('div.toolbar', run, live), err, h('h3', 'Saved outputs'), outBox);
  }

  // The draft as the API takes it; throws naming the field when a JSON field is invalid.
  function draft() {
    const mapping = {};
    for (const [k, s] of st.fields) {
      const spec = (actionOf(st.action)?.fields || []).find((f) => f.key === k);
      try { mapping[k] = buildDirective(s, spec); } catch (e) { throw new ApiError(400, `${spec?.label || k}: not valid JSON (${e.message})`, [{ path: 'mapping.mapping.' + k, reason: 'not valid JSON: ' + e.message }]); }
    }
    for (const x of runnable(actionOf(st.action))) if (Object.hasOwn(st.hooks, x.key)) mapping[x.key] = st.hooks[x.key];
    const m = { name: st.name, action: st.action, mapping };
    if (existing) m.id = existing.id;
    if (st.mode === 'fql') m.trigger = st.fql; else if (st.group.conditions.length) m.conditions = st.group;
    return m;
  }

  // Errors go next to their cause: fields, the trigger, or the preview.
  function placeProblems(err) {
    for (const [k, row] of fieldRows) row.showErr(err ? err.take('mapping.mapping.' + k).map((p) => p.reason) : []);
  }
  function markValidation(msg) {
    const action = actionOf(st.action) || { fields: [] };
    for (const [k, row] of fieldRows) {
      const f = action.fields.find((x) => x.key === k);
      const hits = (msg || '').split(/(?<=\.)\s+/).filter((sentence) => sentence.includes(`'${k}'`) || (f?.label && sentence.startsWith(f.label + ' ')));
      if (hits.length) row.showErr(hits);
    }
  }

  let seq = 0;
  async function runDraft(send) {
    const my = ++seq;
    let m;
    try { m = draft(); } catch (e) { placeProblems(e); showError(preview, e); return null; }
    if (!st.event) { placeProblems(null); clear(preview, h('p.muted', 'Load or paste a test event to preview the payload.')); return null; }
    try {
      const r = await post(`/v1/destinations/${enc(d.id)}/mappings/test`, { mapping: m, event: st.event, send });
      if (my !== seq && !send) return null;
      placeProblems(null);
      const res = r.result || {};
      clear(preview,
        h('p', r.matched ? h('span.badge.ok', 'trigger matches') : h('span.badge.warn', 'trigger does not match'), ' ',
          r.matched ? 'This event would be sent.' : 'This event would not be sent; the preview renders it anyway.'),
        r.error ? h('div.error', r.error) : null,
        res.validation_error ? h('div.error', { role: 'alert' }, h('strong', 'Validation: '), res.validation_error) : null,
        h('h3', 'Payload'), h('pre', { 'aria-label': 'Rendered payload' }, res.payload !== undefined ? pretty(res.payload) : '(none)'));
      markValidation(res.validation_error);
      return r;
    } catch (e) {
      if (my !== seq && !send) return null;
      placeProblems(e);
      showError(preview, e);
      return null;
    }
  }
  const refresh = debounce(() => runDraft(false), 300);

  // Step: save, and Test Mapping.
  function drawSave() {
    const err = h('div');
    const saveBtn = h('button.primary', {
      type: 'button',
      onclick: async () => {
        showError(err, null);
        let m;
        try { m = draft(); } catch (e) { placeProblems(e); return showError(err, e); }
        saveBtn.disabled = true;
        try {
          if (existing) { delete m.id; await patch(`/v1/destinations/${enc(d.id)}/mappings/${enc(existing.id)}`, m); } else await post(`/v1/destinations/${enc(d.id)}/mappings`, m);
          navigate(`/console/destinations/${enc(d.id)}`);
        } catch (e) {
          // The mapping endpoints name fields body.<field> or the compiled path.
          e.problems.forEach((p) => { p.path = p.path.replace(/^body\./, 'mapping.').replace(/^destination\/[^.]+\.mappings\[\d+\]/, 'mapping').replace(/^mapping\.mapping$/, 'mapping'); });
          placeProblems(e); showError(err, e); saveBtn.disabled = false;
        }
      },
    }, existing ? 'Save mapping' : 'Save (disabled until you enable it)');
    const testBtn = h('button', {
      type: 'button',
      onclick: async () => {
        testBtn.disabled = true;
        status(live, 'Sending the test event…');
        clear(testOut);
        const r = await runDraft(true);
        testBtn.disabled = false;
        if (!r) { status(live, st.event ? 'Test Mapping failed: see the errors.' : 'Load a test event first.', false); return; }
        status(live, 'Test Mapping done.');
        clear(testOut, h('h3', 'Test Mapping'), exchanges(r.result || {}));
      },
    }, 'Test Mapping');
    clear(saveBox, h('p.small.muted', 'Test Mapping sends the preview\'s payload to the destination now and shows the request and response, secrets masked.'),
      h('div.toolbar', testBtn, saveBtn, link(`/console/destinations/${enc(d.id)}`, 'Cancel')), err);
  }

  drawTrigger(); drawEvent(); drawFields(); drawHooks(); drawSave();
  clear(preview, h('p.muted', 'Load or paste a test event to preview the payload.'));
}

// exchanges shows the requests a test sent and their responses.
export function exchanges(res) {
  const reqs = res.requests || [];
  return h('div',
    res.outcome ? h('p', 'Outcome: ', h('span', { class: 'badge ' + (res.outcome === 'delivered' ? 'ok' : 'bad') }, res.outcome)) : null,
    res.send_error ? h('div.error', res.send_error) : null,
    !reqs.length && !res.send_error ? h('p.muted', res.stage ? `Not sent: it failed at ${res.stage}.` : 'Nothing was sent.') : null,
    reqs.map((x, i) => h('div', { 'data-request': i },
      h('h3', 'Request'), h('pre', `${x.method} ${x.url}\n${Object.entries(x.headers || {}).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${x.body ? pretty(x.body) : ''}`),
      h('h3', 'Response'), h('pre', x.transport_error ? 'Transport error: ' + x.transport_error : `${x.status}\n\n${x.response_body ? pretty(x.response_body) : ''}`))));
}
