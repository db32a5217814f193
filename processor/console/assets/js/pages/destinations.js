// The destinations list: every instance, its status and mappings.
import { get, patch, enc } from '../api.js';
import { h, add, link, showError, switchBox } from '../ui.js';

export default async function page(main) {
  document.title = 'Destinations · Actuate';
  const [{ items }, catalog] = await Promise.all([get('/v1/destinations'), get('/v1/catalog')]);
  const names = Object.fromEntries(catalog.items.map((c) => [c.slug, c.name]));
  const box = h('div');
  add(main, 
    h('div.spread', h('h1', 'Destinations'), link('/console/catalog', 'Add destination')),
    box,
    items.length === 0
      ? h('div.card', h('p', 'No destination yet.'), h('p', link('/console/catalog', 'Browse the catalog'), ' to add one.'))
      : h('table', { 'aria-label': 'Destinations' },
        h('thead', h('tr', h('th', 'Destination'), h('th', 'Type'), h('th', 'Sources'), h('th', 'Mappings'), h('th', 'Status'), h('th', 'Watch'))),
        h('tbody', items.map((d) => {
          const on = d.mappings.filter((m) => m.enabled).length;
          return h('tr',
            h('td', link(`/console/destinations/${enc(d.id)}`, d.id), d.managed_by_file ? h('span.badge', { title: 'defined in the --config file' }, ' file') : null),
            h('td', names[d.type] || d.type),
            h('td', d.sources.join(', ') || h('span.muted', 'none')),
            h('td', `${on} of ${d.mappings.length} enabled`),
            h('td', switchBox('Enabled', d.enabled, async (e) => {
              try { await patch(`/v1/destinations/${enc(d.id)}`, { enabled: e.target.checked }); showError(box, null); } catch (err) { e.target.checked = !e.target.checked; showError(box, err); }
            })),
            h('td', link(`/console/destinations/${enc(d.id)}/delivery`, 'Delivery Overview'), ' · ', link(`/console/destinations/${enc(d.id)}/tester`, 'Event Tester')));
        }))));
}
