// The catalog: search the destinations this server can send to.
import { get, enc } from '../api.js';
import { h, add, link, clear, field } from '../ui.js';

export default async function page(main, _params, query) {
  document.title = 'Catalog · Actuate';
  const { items } = await get('/v1/catalog');
  const search = h('input', { type: 'search', value: query.get('q') || '', placeholder: 'Name, slug or what it does', autocomplete: 'off' });
  const grid = h('div.grid', { 'aria-live': 'polite' });
  const count = h('p.muted.small');
  const show = () => {
    const q = search.value.trim().toLowerCase();
    const rows = items.filter((d) => !q || (d.slug + ' ' + d.name + ' ' + (d.description || '')).toLowerCase().includes(q));
    count.textContent = `${rows.length} of ${items.length} destinations`;
    clear(grid, rows.map((d) => h('div.card',
      h('h3', link(`/console/catalog/${enc(d.slug)}`, d.name)),
      h('div.small.muted', d.description || ''),
      h('div.small', `${d.actions.length} action${d.actions.length === 1 ? '' : 's'}`, d.presets ? ` · ${d.presets} preset${d.presets === 1 ? '' : 's'} for Quick Setup` : '', ' · auth: ', d.auth))));
    const u = new URL(location.href);
    if (q) u.searchParams.set('q', search.value); else u.searchParams.delete('q');
    history.replaceState(null, '', u.pathname + u.search);
  };
  search.addEventListener('input', show);
  add(main, h('h1', 'Catalog'), field('Search the catalog', search), count, grid);
  show();
  search.focus();
}
