// The Delivery Overview: the steps from received to delivered for a time range, with the
// dead letters replays took (when any did), per mapping, as a chart over time, with the
// latest sample events per discard reason.
import { get, catalogEntry, enc } from '../api.js';
import { h, add, clear, field, fieldError, showError, when, pretty } from '../ui.js';
import { destHeader } from '../dest.js';

const ranges = [['1h', 'Last hour', 3600e3], ['24h', 'Last 24 hours', 86400e3], ['7d', 'Last 7 days', 7 * 86400e3]];
const sum = (m) => Object.values(m || {}).reduce((a, b) => a + b, 0);

export default async function page(main, { id }, query) {
  const d = await get(`/v1/destinations/${enc(id)}`);
  const def = await catalogEntry(d.type).catch(() => null);
  document.title = `${d.id} · Delivery Overview · Actuate`;
  add(main, ...destHeader(d, def, 'delivery'));
  const names = Object.fromEntries(d.mappings.map((m) => [m.id, m.name || m.id]));
  const range = h('select', ranges.map(([v, t]) => h('option', { value: v, selected: (query.get('range') || '1h') === v }, t)),
    h('option', { value: 'custom', selected: query.get('range') === 'custom' }, 'Custom range'));
  const local = (d) => new Date(d - d.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
  const fromIn = h('input', { type: 'datetime-local', value: local(new Date(Date.now() - 86400e3)) });
  const toIn = h('input', { type: 'datetime-local', value: local(new Date()) });
  const custom = h('div.row', field('From', fromIn), field('To', toIn));
  const refreshBtn = h('button', { type: 'button' }, 'Refresh');
  const err = h('div'); const body = h('div', { 'aria-live': 'polite' });
  const stamp = h('span.small.muted');
  add(main, h('div.toolbar', field('Time range', range), custom, refreshBtn, stamp), err, body);

  const load = async () => {
    custom.hidden = range.value !== 'custom';
    let from, to;
    if (range.value === 'custom') {
      from = new Date(fromIn.value); to = new Date(toIn.value);
      if (isNaN(from) || isNaN(to) || to <= from) {
        fieldError(toIn, ['choose a From before To']);
        return;
      }
      fieldError(toIn, []);
    } else {
      to = new Date(Math.ceil(Date.now() / 60e3) * 60e3);
      from = new Date(to - ranges.find((r) => r[0] === range.value)[2]);
    }
    const q = `from=${from.toISOString().replace(/\.\d+Z$/, 'Z')}&to=${to.toISOString().replace(/\.\d+Z$/, 'Z')}`;
    try {
      const [ov, series] = await Promise.all([get(`/v1/destinations/${enc(d.id)}/delivery?${q}`), get(`/v1/destinations/${enc(d.id)}/delivery/series?${q}&buckets=24`)]);
      showError(err, null);
      stamp.textContent = 'Updated ' + new Date().toLocaleTimeString();
      clear(body, steps(ov), h('h2', 'Over time'), chart(series), perMapping(ov, names), samples(ov, names));
    } catch (e) { showError(err, e); }
  };
  range.addEventListener('change', () => { history.replaceState(null, '', `?range=${range.value}`); load(); });
  refreshBtn.addEventListener('click', load);
  fromIn.addEventListener('change', load);
  toIn.addEventListener('change', load);
  await load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}

function steps(ov) {
  const row = (label, n, detail, kind) => h('tr', { 'data-step': label },
    h('th', { scope: 'row' }, label), h('td.num', { class: 'num ' + (kind === 'bad' && n ? 'bad-text' : kind === 'ok' && n ? 'ok-text' : '') }, String(n)),
    h('td.small.muted', detail && Object.keys(detail).length ? Object.entries(detail).map(([k, v]) => `${k}: ${v}`).join('; ') : ''));
  return h('div', h('h2', 'Steps'),
    h('table.funnel', { 'aria-label': 'Delivery steps' },
      h('thead', h('tr', h('th', 'Step'), h('th.num', 'Events'), h('th', 'By reason'))),
      h('tbody',
        row('Successfully received', ov.successfully_received),
        sum(ov.failed_on_ingest) ? row('Failed on ingest (all sources)', sum(ov.failed_on_ingest), ov.failed_on_ingest, 'bad') : null,
        row('Filtered at source', ov.filtered_at_source, null, 'bad'),
        row('Filtered at destination', sum(ov.filtered_at_destination), ov.filtered_at_destination, 'bad'),
        row('No matching mapping', ov.no_matching_mapping, null, 'bad'),
        row('Failed before send', sum(ov.failed_before_send), ov.failed_before_send, 'bad'),
        row('Routed to the senders', ov.routed),
        row('Retrying', ov.pending_retry),
        row('Failed delivery', sum(ov.failed_delivery), ov.failed_delivery, 'bad'),
        row('Successful delivery', ov.successful_delivery, null, 'ok'),
        sum(ov.replayed) ? row('Replayed dead letters', sum(ov.replayed), byOutcome(ov.replayed)) : null)),
    sum(ov.replayed) ? h('p.small.muted', 'Replayed dead letters: those replays took in the range, by outcome. The requests a replay sends are counted again in the steps above.') : null);
}

// Replay outcomes (processor/replay) in the order `actuate replay` prints them, any other after.
const replayOutcomes = ['replayed', 'dead_lettered', 'skipped', 'already_replayed', 'duplicate'];
const byOutcome = (m) => Object.fromEntries(Object.entries(m)
  .sort(([a], [b]) => (replayOutcomes.indexOf(a) + 1 || 99) - (replayOutcomes.indexOf(b) + 1 || 99) || a.localeCompare(b)));

function chart(series) {
  const b = series.buckets;
  const W = 1000, H = 180, pad = 28;
  const max = Math.max(1, ...b.map((x) => Math.max(x.successfully_received, x.successful_delivery)));
  const bw = (W - pad) / b.length;
  const y = (n) => H - pad - (n / max) * (H - 2 * pad);
  const svgNS = 'http://www.w3.org/2000/svg';
  const el = (tag, attrs, text) => { const e = document.createElementNS(svgNS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
  const fmt = (t) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const total = b.reduce((a, x) => a + x.successfully_received, 0);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `Received and delivered events over time: ${total} received in the range`, width: '100%' });
  svg.append(el('text', { x: 0, y: 12 }, String(max)), el('text', { x: 0, y: H - pad }, '0'));
  b.forEach((x, i) => {
    const x0 = pad + i * bw;
    const failed = sum(x.failed_delivery) + sum(x.failed_before_send);
    const bars = [['bar', x.successfully_received, 0], ['bar del', x.successful_delivery, 1], ['bar bad', failed, 2]];
    for (const [cls, n, k] of bars) {
      const r = el('rect', { class: cls, x: x0 + 2 + k * (bw - 4) / 3, y: y(n), width: Math.max(1, (bw - 4) / 3 - 1), height: H - pad - y(n) });
      r.append(el('title', {}, `${fmt(x.from)}: ${n} ${['received', 'delivered', 'failed'][k]}`));
      svg.append(r);
    }
    if (i % 6 === 0) svg.append(el('text', { x: x0, y: H - 8 }, fmt(x.from)));
  });
  return h('div.card', svg, h('div.small.muted', 'Blue: received · green: delivered · red: failed (before send or delivery). ', `${b.length} buckets of ${Math.round((new Date(series.to) - new Date(series.from)) / b.length / 60e3)} minutes.`));
}

function perMapping(ov, names) {
  const rows = Object.entries(ov.mappings || {});
  return h('div', h('h2', 'Per mapping'), rows.length === 0 ? h('p.muted', 'No mapping produced anything in this range.') :
    h('table', { 'aria-label': 'Per mapping' },
      h('thead', h('tr', h('th', 'Mapping'), h('th.num', 'Routed'), h('th.num', 'Failed before send'), h('th.num', 'Retrying'), h('th.num', 'Failed delivery'), h('th.num', 'Delivered'))),
      h('tbody', rows.map(([id, m]) => h('tr', h('td', names[id] || id), h('td.num', String(m.routed)), h('td.num', String(sum(m.failed_before_send))),
        h('td.num', String(m.pending_retry)), h('td.num', String(sum(m.failed_delivery))), h('td.num', String(m.successful_delivery)))))));
}

function samples(ov, names) {
  const entries = Object.entries(ov.samples || {});
  return h('div', h('h2', 'Samples by reason'), entries.length === 0 ? h('p.muted', 'No discarded events in this range.') :
    entries.map(([reason, list]) => h('details.card', h('summary', h('strong', reason), ` — ${list.length} latest`),
      list.map((s) => h('div', h('div.small.muted', when(s.time), s.mapping ? ' · mapping ' + (names[s.mapping] || s.mapping) : '', s.truncated ? ' · cut to 16 KiB' : ''),
        s.error ? h('div.error', s.error) : null, h('pre', pretty(s.payload)))))));
}
