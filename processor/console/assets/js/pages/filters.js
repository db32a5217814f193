// Destination filters: list, create, edit, enable; FQL conditions with the drop, sample,
// allow properties and drop properties actions.
import { get, post, patch, del, catalogEntry, enc } from '../api.js';
import { h, add, clear, field, showError, switchBox, confirmDialog, fieldError, status } from '../ui.js';
import { destHeader } from '../dest.js';

const actionTypes = [['drop_event', 'Drop the event'], ['sample_event', 'Sample the event'], ['allow_properties', 'Allow only these properties'], ['drop_properties', 'Drop these properties']];
const migration = {
  title: 'Drop events before the migration',
  description: 'Events received before the switch to Actions were sent by the classic destination: drop them here so nothing is sent twice.',
  if: 'received_at < "2023-04-21T19:55:00.933Z"',
  actions: [{ type: 'drop_event' }],
};

export default async function page(main, { id }) {
  const d = await get(`/v1/destinations/${enc(id)}`);
  const def = await catalogEntry(d.type).catch(() => null);
  document.title = `${d.id} · Filters · Actuate`;
  add(main, ...destHeader(d, def, 'filters'));
  const base = `/v1/destinations/${enc(d.id)}/filters`;
  const listBox = h('div'); const formBox = h('div'); const box = h('div');
  const live = h('div.status', { role: 'status', 'aria-live': 'polite' });
  add(main, h('div.spread', h('h2', 'Filters'), h('button.primary', { type: 'button', onclick: () => edit(null) }, 'New filter')),
    h('p.small.muted', 'A filter acts on the events its condition (FQL) selects, before any mapping. At most 10 per destination.'), box, live, listBox, formBox);

  async function reload() {
    const { items } = await get(base);
    clear(listBox, items.length === 0 ? h('p.muted', 'No filters.') : h('table', { 'aria-label': 'Filters' },
      h('thead', h('tr', h('th', 'Title'), h('th', 'If'), h('th', 'Then'), h('th', 'Status'), h('th', 'Manage'))),
      h('tbody', items.map((f) => h('tr', { 'data-filter': f.id },
        h('td', f.title || f.id, f.sourceId && d.sources.length > 1 ? h('div.small.muted', 'source ' + f.sourceId) : null),
        h('td', h('code', f.if)),
        h('td', f.actions.map(describe).join('; ')),
        h('td', switchBox(f.enabled ? 'Enabled' : 'Disabled', f.enabled, async (e) => {
          try { await patch(`${base}/${enc(f.id)}`, { enabled: e.target.checked }); status(live, 'Filter ' + (e.target.checked ? 'enabled' : 'disabled')); showError(box, null); } catch (err) { showError(box, err); }
          reload().catch((err) => showError(box, err));
        })),
        h('td', h('div.row', h('button', { type: 'button', onclick: () => edit(f) }, 'Edit'),
          h('button.danger', {
            type: 'button',
            onclick: async () => {
              if (!await confirmDialog(`Delete filter ${f.title || f.id}?`, 'The filter will be deleted and cannot be restored.')) return;
              try { await del(`${base}/${enc(f.id)}`); status(live, 'Filter deleted'); } catch (err) { showError(box, err); }
              reload().catch((err) => showError(box, err));
            },
          }, 'Delete'))))))));
  }

  function edit(f) {
    const cur = f || { title: '', description: '', if: '', actions: [{ type: 'drop_event' }], enabled: true };
    const a = cur.actions[0] || { type: 'drop_event' };
    const title = h('input', { type: 'text', value: cur.title });
    const desc = h('input', { type: 'text', value: cur.description });
    const cond = h('textarea.code', { rows: 2, value: cur.if, placeholder: 'type = "track" and event = "Test"' });
    const type = h('select', actionTypes.map(([v, t]) => h('option', { value: v, selected: a.type === v }, t)));
    const percent = h('input', { type: 'number', min: 0, max: 100, step: 'any', value: a.percent !== undefined ? a.percent * 100 : 10 });
    const path = h('input', { type: 'text', value: a.path || '', placeholder: 'userId' });
    const part = h('select', ['properties', 'traits', 'context'].map((p) => h('option', { value: p, selected: a.fields && a.fields[p] }, p)));
    const keys = h('input', { type: 'text', value: a.fields ? Object.values(a.fields)[0]?.join(', ') : '', placeholder: 'email, phone' });
    const enabled = h('input', { type: 'checkbox', checked: cur.enabled, id: 'filter-enabled' });
    const sample = h('div', field('Percent of events kept', percent), field('Consistent per value of (optional)', path));
    const props = h('div', field('Part of the event', part), field('Keys (comma-separated)', keys));
    const show = () => { sample.hidden = type.value !== 'sample_event'; props.hidden = !type.value.endsWith('_properties'); };
    type.addEventListener('change', show);
    show();
    const err = h('div');
    const fill = (x) => { title.value = x.title; desc.value = x.description; cond.value = x.if; type.value = x.actions[0].type; show(); };
    const form = h('form.card', {
      onsubmit: async (e) => {
        e.preventDefault();
        const action = { type: type.value };
        if (type.value === 'sample_event') { action.percent = Number(percent.value) / 100; if (path.value) action.path = path.value; }
        if (type.value.endsWith('_properties')) action.fields = { [part.value]: keys.value.split(',').map((s) => s.trim()).filter(Boolean) };
        const body = { title: title.value, description: desc.value, if: cond.value, actions: [action], enabled: enabled.checked };
        [cond, percent, keys].forEach((c) => fieldError(c, []));
        try {
          if (f) await patch(`${base}/${enc(f.id)}`, body); else await post(base, body);
          status(live, f ? 'Filter saved' : 'Filter created');
          clear(formBox);
          reload().catch((err) => showError(box, err));
        } catch (ex) {
          for (const p of ex.problems) {
            if (/\.if$|^if$/.test(p.path)) { fieldError(cond, [p.reason]); p.shown = true; }
            if (/actions/.test(p.path)) { fieldError(type.value === 'sample_event' ? percent : keys, [p.reason]); p.shown = true; }
          }
          showError(err, ex);
        }
      },
    },
    h('h2', f ? `Edit ${f.title || f.id}` : 'New filter'),
    f ? null : h('p', h('button', { type: 'button', onclick: () => fill(migration) }, 'Example: the received_at migration')),
    field('Title', title), field('Description', desc),
    field('If (FQL)', cond, 'The events this filter acts on, for example: received_at < "2023-04-21T19:55:00.933Z"'),
    field('Then', type), sample, props,
    h('p', h('label.inline', { for: enabled.id }, enabled, 'Enabled')), err,
    h('div.toolbar', h('button.primary', { type: 'submit' }, f ? 'Save filter' : 'Create filter'), h('button', { type: 'button', onclick: () => clear(formBox) }, 'Cancel')));
    clear(formBox, form);
    title.focus();
  }

  await reload();
}

function describe(a) {
  switch (a.type) {
    case 'drop_event': return 'drop the event';
    case 'sample_event': return `keep ${Math.round((a.percent || 0) * 1000) / 10}%${a.path ? ' by ' + a.path : ''}`;
    case 'allow_properties': return 'allow only ' + Object.entries(a.fields || {}).map(([p, k]) => `${p}: ${k.join(', ')}`).join('; ');
    case 'drop_properties': return 'drop ' + Object.entries(a.fields || {}).map(([p, k]) => `${p}: ${k.join(', ')}`).join('; ');
    default: return a.type;
  }
}
