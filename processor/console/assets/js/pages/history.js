// The history of config changes: when, who, what.
import { get } from '../api.js';
import { h, add, when, pretty, showError } from '../ui.js';

export default async function page(main) {
  document.title = 'History · Actuate';
  const body = h('tbody');
  const more = h('button', { type: 'button' }, 'Older changes');
  let before = 0;
  const load = async () => {
    const r = await get('/v1/history?limit=50' + (before ? '&before=' + before : ''));
    for (const e of r.entries) {
      body.append(h('tr', h('td', when(e.time)), h('td', e.actor || ''), h('td', e.message || ''),
        h('td', e.changes.map((c) => h('details', h('summary', `${c.op} ${c.key} (v${c.version})`), c.value ? h('pre', pretty(c.value)) : null)))));
      before = e.revision;
    }
    more.hidden = r.entries.length < 50;
  };
  const err = h('div');
  more.addEventListener('click', () => load().then(() => showError(err, null), (e) => showError(err, e)));
  add(main, h('h1', 'History'), h('p.small.muted', 'Every committed change of the workspace, newest first; secrets redacted.'),
    h('table', { 'aria-label': 'Config history' }, h('thead', h('tr', h('th', 'Time'), h('th', 'Actor'), h('th', 'Change'), h('th', 'Objects'))), body), err, more);
  await load();
}
