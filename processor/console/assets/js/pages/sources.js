// Sources and their tracking plans, with each plan's latest violations.
import { get, enc } from '../api.js';
import { h, add, clear, showError, when, pretty } from '../ui.js';

export default async function page(main) {
  document.title = 'Sources · Actuate';
  const [sources, plans, dests] = await Promise.all([get('/v1/sources'), get('/v1/tracking-plans'), get('/v1/destinations')]);
  const usedBy = (sid) => dests.items.filter((d) => d.sources.includes(sid)).map((d) => d.id);
  add(main, h('h1', 'Sources'),
    sources.items.length === 0 ? h('p.muted', 'No source.') : h('table', { 'aria-label': 'Sources' },
      h('thead', h('tr', h('th', 'Source'), h('th', 'Topics'), h('th', 'Write key'), h('th', 'Tracking plan'), h('th', 'Destinations'))),
      h('tbody', sources.items.map((s) => h('tr', h('td', s.id), h('td', (s.topics || []).join(', ')), h('td', s.write_key ? h('code', s.write_key) : h('span.muted', 'none')),
        h('td', s.tracking_plan ? h('a', { href: '#plan-' + s.tracking_plan }, s.tracking_plan) : h('span.muted', 'none')),
        h('td', usedBy(s.id).map((id, i) => [i ? ', ' : '', h('a', { href: `/console/destinations/${enc(id)}` }, id)])))))),
    h('h2', 'Tracking plans'),
    plans.items.length === 0 ? h('p.muted', 'No tracking plan.') : h('div', plans.items.map((p) => plan(p))));
}

function plan(p) {
  const out = h('div', { 'aria-live': 'polite' });
  const err = h('div');
  const ov = p.on_violation || {};
  const events = Object.keys(p.events || {});
  return h('section.card', { id: 'plan-' + p.id, 'aria-labelledby': 'plan-h-' + p.id },
    h('h3', { id: 'plan-h-' + p.id }, p.id),
    h('dl.kv',
      h('dt', 'Planned events'), h('dd', events.length ? events.join(', ') : h('span.muted', 'none')),
      h('dt', 'Unplanned events'), h('dd', ov.unplanned_events || 'allow'),
      h('dt', 'Invalid properties'), h('dd', ov.invalid_properties || 'allow'),
      h('dt', 'Unplanned properties'), h('dd', ov.unplanned_properties || 'allow'),
      h('dt', 'Invalid traits'), h('dd', ov.invalid_traits || 'allow'),
      h('dt', 'Transformations'), h('dd', String((p.transformations || []).length))),
    h('details', h('summary', 'Plan as JSON'), h('pre', pretty(p))),
    h('button', {
      type: 'button',
      onclick: async () => {
        try {
          const r = await get(`/v1/tracking-plans/${enc(p.id)}/violations`);
          showError(err, null);
          clear(out, r.items.length === 0 ? h('p.muted', 'No violations seen.') : h('table', { 'aria-label': `Violations of ${p.id}` },
            h('thead', h('tr', h('th', 'Time'), h('th', 'Source'), h('th', 'Violations'), h('th', 'Event'))),
            h('tbody', r.items.map((v) => h('tr', h('td', when(v.time)), h('td', v.source, v.blocked ? h('div', h('span.badge.bad', 'blocked')) : null),
              h('td', h('ul', v.violations.map((x) => h('li', h('code', x.path), ' ', x.message)))),
              h('td', h('details', h('summary', 'event'), h('pre', pretty(v.event)))))))));
        } catch (e) { showError(err, e); }
      },
    }, 'Show latest violations'), err, out);
}
