// The header every destination page shares: where you are, and the tabs.
import { enc } from './api.js';
import { h, link } from './ui.js';

export function destHeader(d, def, current) {
  const base = `/console/destinations/${enc(d.id)}`;
  const tabs = [['mappings', base, 'Mappings'], ['filters', base + '/filters', 'Filters'], ['settings', base + '/settings', 'Settings'],
    ['tester', base + '/tester', 'Event Tester'], ['delivery', base + '/delivery', 'Delivery Overview']];
  return [
    h('div.crumbs', link('/console/', 'Destinations'), ' / ', d.id),
    h('div.spread', h('h1', d.id, ' ', h('span.muted.small', def ? def.name : d.type)),
      h('span', { class: 'badge ' + (d.enabled ? 'on' : '') }, d.enabled ? 'destination enabled' : 'destination disabled')),
    h('nav.tabs', { 'aria-label': 'Destination' }, tabs.map(([k, href, text]) => h('a', { href, 'aria-current': k === current ? 'page' : null }, text))),
  ];
}
