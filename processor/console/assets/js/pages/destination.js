// A destination: its mappings (toggle, reorder, rename, duplicate, delete, the 50 limit)
// and its settings.
import { get, patch, put, post, del, catalogEntry, enc } from '../api.js';
import { h, add, link, clear, showError, switchBox, confirmDialog, status } from '../ui.js';
import { settingsForm } from '../settings.js';
import { destHeader } from '../dest.js';
import { navigate } from '../app.js';

const maxMappings = 50;

export default async function page(main, { id, tab }) {
  const d = await get(`/v1/destinations/${enc(id)}`);
  const def = await catalogEntry(d.type).catch(() => null);
  document.title = `${d.id} · ${tab === 'settings' ? 'Settings' : 'Mappings'} · Actuate`;
  add(main, ...destHeader(d, def, tab));
  if (tab === 'settings') return settingsTab(main, d, def);
  return mappingsTab(main, d, def);
}

function mappingsTab(main, d, def) {
  const base = `/v1/destinations/${enc(d.id)}/mappings`;
  const box = h('div');
  const live = h('div.status', { role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const count = h('span');
  const addLink = h('a.button.primary', { href: `/console/destinations/${enc(d.id)}/mappings/new` }, 'New mapping');
  let mappings = d.mappings;
  const titles = Object.fromEntries((def?.actions || []).map((a) => [a.key, a.title]));

  const act = async (what, fn) => {
    showError(box, null);
    try { await fn(); status(live, what); } catch (err) { showError(box, err); }
    try { await reload(); } catch (err) { showError(box, err); }
  };
  const reload = async () => {
    mappings = (await get(base)).items;
    draw();
  };
  const move = (i, by) => act('Order saved', async () => {
    const order = mappings.map((m) => m.id);
    [order[i], order[i + by]] = [order[i + by], order[i]];
    await put(base + '/order', { order });
  });
  const rename = (m, cell) => {
    const input = h('input', { type: 'text', value: m.name || '', 'aria-label': `New name of ${m.name || m.id}` });
    const save = () => act('Renamed', () => patch(`${base}/${enc(m.id)}`, { name: input.value }));
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') save(); if (e.key === 'Escape') draw(); });
    clear(cell, h('div.row', input, h('button', { type: 'button', onclick: save }, 'Save'), h('button', { type: 'button', onclick: draw }, 'Cancel')));
    input.focus();
  };
  const draw = () => {
    const full = mappings.length >= maxMappings;
    count.textContent = `${mappings.length} of ${maxMappings} mappings`;
    if (full) { addLink.setAttribute('aria-disabled', 'true'); addLink.removeAttribute('href'); } else { addLink.removeAttribute('aria-disabled'); addLink.href = `/console/destinations/${enc(d.id)}/mappings/new`; }
    clear(body, mappings.length === 0 ? h('tr', h('td', { colspan: 6 }, h('span.muted', 'No mappings. Add one with New mapping.'))) : mappings.map((m, i) => {
      const label = m.name || m.id;
      const nameCell = h('td', link(`/console/destinations/${enc(d.id)}/mappings/${enc(m.id)}`, label));
      return h('tr', { 'data-mapping': m.id },
        h('td', h('div.row',
          h('button.icon', { type: 'button', 'aria-label': `Move ${label} up`, disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
          h('button.icon', { type: 'button', 'aria-label': `Move ${label} down`, disabled: i === mappings.length - 1, onclick: () => move(i, 1) }, '↓'))),
        nameCell,
        h('td', titles[m.action] || m.action),
        h('td', h('code', m.trigger)),
        h('td', switchBox(m.enabled ? 'Enabled' : 'Disabled', m.enabled, (e) =>
          act(e.target.checked ? `${label} enabled` : `${label} disabled`, () => patch(`${base}/${enc(m.id)}`, { enabled: e.target.checked })))),
        h('td', h('div.row',
          h('button', { type: 'button', onclick: () => rename(m, nameCell) }, 'Rename'),
          h('button', { type: 'button', disabled: full, title: full ? 'the destination has 50 mappings' : null, onclick: () => act(`${label} duplicated`, () => post(`${base}/${enc(m.id)}/duplicate`)) }, 'Duplicate'),
          h('button.danger', {
            type: 'button',
            onclick: async () => {
              if (await confirmDialog(`Delete ${label}?`, 'This mapping will be deleted and cannot be restored. Events it would send stop being sent.')) {
                act(`${label} deleted`, () => del(`${base}/${enc(m.id)}`));
              }
            },
          }, 'Delete'))));
    }));
  };
  add(main, 
    h('div.spread', h('h2', 'Mappings'), h('div.row', count, addLink)),
    h('p.small.muted', 'Mappings run in this order. New mappings start disabled: test them, then turn them on.'),
    box, live,
    h('table', { 'aria-label': 'Mappings' }, h('thead', h('tr', h('th', 'Order'), h('th', 'Name'), h('th', 'Action'), h('th', 'Trigger'), h('th', 'Status'), h('th', 'Manage'))), body));
  draw();
}

async function settingsTab(main, d, def) {
  const sources = await get('/v1/sources');
  const box = h('div');
  const live = h('div.status', { role: 'status', 'aria-live': 'polite' });
  const form = settingsForm(def ? def.settings : [], d.settings, d.secrets);
  const enabled = h('input', { type: 'checkbox', checked: d.enabled, id: 'set-enabled' });
  const boxes = sources.items.map((s) => h('input', { type: 'checkbox', value: s.id, checked: d.sources.includes(s.id), id: 'src-' + s.id }));
  add(main, h('form.card', {
    onsubmit: async (e) => {
      e.preventDefault();
      showError(box, null);
      try {
        const settings = form.values();
        await patch(`/v1/destinations/${enc(d.id)}`, { enabled: enabled.checked, sources: boxes.filter((b) => b.checked).map((b) => b.value), settings });
        status(live, 'Settings saved');
        navigate(location.pathname, { replace: true });
      } catch (err) {
        form.showProblems(err);
        showError(box, err);
      }
    },
  },
  h('h2', 'Settings'),
  h('p', h('label.inline', { for: enabled.id }, enabled, 'Destination enabled')),
  h('fieldset', h('legend', 'Sources'), boxes.map((b) => h('label.inline', { for: b.id }, b, b.value, ' '))),
  form.el, box, live, h('button.primary', { type: 'submit' }, 'Save settings')),
  h('div.card', h('h2', 'Delete this destination'), h('p', 'Deleting removes its settings, filters and mappings. It cannot be restored.'),
    h('button.danger', {
      type: 'button',
      onclick: async () => {
        if (!await confirmDialog(`Delete ${d.id}?`, 'The destination, its settings, filters and mappings will be deleted and cannot be restored.')) return;
        try { await del(`/v1/destinations/${enc(d.id)}`); navigate('/console/'); } catch (err) { showError(box, err); }
      },
    }, 'Delete destination')));
}
