// The Event Tester: run a source's event, or a pasted one, through the destination as the
// pipeline would, and see each step; optionally send it.
import { get, post, catalogEntry, enc } from '../api.js';
import { h, add, clear, field, fieldError, showError, pretty } from '../ui.js';
import { destHeader } from '../dest.js';
import { exchanges } from './mapping.js';

export default async function page(main, { id }) {
  const d = await get(`/v1/destinations/${enc(id)}`);
  const def = await catalogEntry(d.type).catch(() => null);
  document.title = `${d.id} · Event Tester · Actuate`;
  add(main, ...destHeader(d, def, 'tester'));
  const src = h('select', d.sources.map((s) => h('option', { value: s }, s)));
  const ta = h('textarea.code', { rows: 10, placeholder: '{"type": "track", "event": "Order Completed", "userId": "ada", "properties": {"order_id": "o-1"}}' });
  const send = h('input', { type: 'checkbox', id: 'tester-send' });
  const err = h('div'); const out = h('div', { 'aria-live': 'polite' });
  const run = async (fromSource) => {
    showError(err, null); fieldError(ta, []);
    const body = { source: src.value || undefined, send: send.checked };
    if (fromSource) body.from_source = src.value;
    else {
      try { body.event = JSON.parse(ta.value); } catch (e) { fieldError(ta, [ta.value.trim() ? 'not valid JSON: ' + e.message : 'paste an event, or use the latest event of the source']); return; }
    }
    clear(out, h('p.muted', 'Testing…'));
    try {
      const r = await post(`/v1/destinations/${enc(d.id)}/test`, body);
      ta.value = pretty(r.event);
      clear(out, result(r.result));
    } catch (e) {
      clear(out);
      if (e.problems.some((p) => p.path === 'event')) { fieldError(ta, e.take('event').map((p) => p.reason)); }
      showError(err, e);
    }
  };
  add(main, h('div.cols',
    h('div.card',
      h('h2', 'Test event'),
      d.sources.length ? field('Source', src, 'Its tracking plan and the filters scoped to it apply.') : h('p.muted', 'This destination has no source.'),
      field('Event (JSON)', ta),
      h('p', h('label.inline', { for: send.id }, send, 'Send to the destination (shows the request and response, secrets masked)')),
      h('div.toolbar', h('button.primary', { type: 'button', onclick: () => run(false) }, 'Test event'),
        d.sources.length ? h('button', { type: 'button', onclick: () => run(true) }, 'Test the latest event of the source') : null),
      err),
    h('div', h('h2', 'Result'), out)));
}

function result(r) {
  return h('div',
    h('div.card',
      h('dl.kv',
        h('dt', 'Outcome'), h('dd', h('span', { class: 'badge ' + (r.outcome === 'routed' ? 'ok' : 'warn') }, r.outcome), r.stage ? ` at ${r.stage}` : ''),
        r.source ? [h('dt', 'Source'), h('dd', r.source)] : null,
        r.protocols ? [h('dt', 'Tracking plan'), h('dd', r.protocols.plan, r.protocols.blocked ? ` blocked the event: ${r.protocols.reason}` : ' let it through',
          (r.protocols.violations || []).length ? h('ul', r.protocols.violations.map((v) => h('li', h('code', v.path), ' ', v.message))) : null)] : null,
        (r.filters || []).length ? [h('dt', 'Filters'), h('dd', h('ul', r.filters.map((f) => h('li', f.filter, ': ', f.undecidable ? 'undecidable, dropped' : f.action, f.kept ? ' (kept)' : ' (dropped)'))))] : null),
      r.error ? h('div.error', { role: 'alert' }, r.error) : null),
    r.mappings.map((m) => h('div.card', { 'data-mapping': m.mapping },
      h('div.spread', h('h3', m.name || m.mapping, ' ', h('code.small.muted', m.action)),
        h('span.row', h('span', { class: 'badge ' + (m.enabled ? 'on' : '') }, m.enabled ? 'enabled' : 'disabled'),
          h('span', { class: 'badge ' + (m.matched ? 'ok' : '') }, m.matched ? 'trigger matched' : 'trigger did not match'))),
      m.validation_error || m.reason ? h('div.error', `${m.stage || ''}: ${m.reason || ''}${m.validation_error ? ' — ' + m.validation_error : ''}`) : null,
      m.payload !== undefined ? [h('h3', 'Payload'), h('pre', pretty(m.payload))] : null,
      m.requests || m.send_error || m.outcome ? exchanges(m) : null)));
}
