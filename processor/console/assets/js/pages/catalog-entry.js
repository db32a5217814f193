// One catalog entry: its actions and settings, and adding it as a destination with Quick
// Setup (its presets become mappings, disabled) or Customized Setup (no mapping).
import { get, post, catalogEntry, jsonValue, enc } from '../api.js';
import { h, add, link, field, fieldError, showError, newId } from '../ui.js';
import { settingsForm } from '../settings.js';
import { navigate } from '../app.js';

export default async function page(main, { slug }) {
  const [def, sources, dests] = await Promise.all([catalogEntry(slug), get('/v1/sources'), get('/v1/destinations')]);
  document.title = `${def.name} · Catalog · Actuate`;
  const taken = new Set(dests.items.map((d) => d.id));
  let id = def.slug;
  for (let i = 2; taken.has(id); i++) id = `${def.slug}-${i}`;

  const idInput = h('input', { type: 'text', value: id, required: true, autocomplete: 'off' });
  const srcBoxes = sources.items.map((s, i) => h('input', { type: 'checkbox', value: s.id, checked: i === 0, id: newId('src') }));
  const settings = settingsForm(def.settings);
  const quick = h('input', { type: 'radio', name: 'setup', value: 'quick', checked: def.presets.length > 0, disabled: def.presets.length === 0, id: 'setup-quick' });
  const custom = h('input', { type: 'radio', name: 'setup', value: 'custom', checked: def.presets.length === 0, id: 'setup-custom' });
  const enabled = h('input', { type: 'checkbox', checked: true, id: 'dest-enabled' });
  const box = h('div');
  const srcErr = h('div.field-error', { role: 'alert' });
  const submit = h('button.primary', { type: 'submit' }, 'Add destination');

  const form = h('form.card', {
    onsubmit: async (e) => {
      e.preventDefault();
      showError(box, null);
      let values;
      try { values = settings.values(); } catch (err) { return showError(box, err); }
      const body = {
        id: idInput.value.trim(), type: def.slug, enabled: enabled.checked,
        sources: srcBoxes.filter((b) => b.checked).map((b) => b.value), settings: values,
      };
      if (quick.checked) {
        body.mappings = def.presets.map((p) => ({ name: p.name, action: p.action, trigger: p.trigger, mapping: jsonValue(p.mapping) }));
      }
      submit.disabled = true;
      try {
        await post('/v1/destinations', body);
        navigate(`/console/destinations/${enc(body.id)}`);
      } catch (err) {
        // Each reason goes next to its control: a taken id, an unknown source, a setting.
        fieldError(idInput, err.status === 409 ? [err.message] : err.problems.filter((p) => /^id$|^destination\/[^.]*\.id$/.test(p.path)).map((p) => ((p.shown = true), p.reason)));
        if (err.status === 409) err.problems.push({ path: 'id', reason: err.message, shown: true });
        srcErr.textContent = err.problems.filter((p) => !p.shown && /(^|\.)sources(\[|$)/.test(p.path)).map((p) => ((p.shown = true), p.reason)).join('; ');
        settings.showProblems(err);
        showError(box, err.status === 409 ? null : err);
        submit.disabled = false;
      }
    },
  },
  h('h2', 'Add ', def.name),
  field('Destination id', idInput, 'Names this instance in the API, metrics and the Delivery Overview.'),
  h('fieldset', h('legend', 'Sources'), sources.items.length === 0 ? h('p.muted', 'No source yet: add one in the config first.') :
    srcBoxes.map((b) => h('label.inline', { for: b.id }, b, b.value, ' ')), srcErr),
  h('h3', 'Settings'), settings.el,
  h('fieldset', h('legend', 'Setup'),
    h('div', h('label.inline', { for: quick.id }, quick, h('strong', 'Quick Setup'), ` — ${def.presets.length} preset mapping${def.presets.length === 1 ? '' : 's'}, created disabled so you can test them first`)),
    def.presets.length ? h('ul.small.muted', def.presets.map((p) => h('li', p.name, ': ', h('code', p.trigger)))) : null,
    h('div', h('label.inline', { for: custom.id }, custom, h('strong', 'Customized Setup'), ' — no mappings; add your own'))),
  h('p', h('label.inline', { for: enabled.id }, enabled, 'Enable the destination (mappings stay disabled until you turn them on)')),
  box, submit);

  add(main, 
    h('div.crumbs', link('/console/catalog', 'Catalog'), ' / ', def.name),
    h('h1', def.name), def.description ? h('p', def.description) : null,
    h('div.cols',
      form,
      h('div',
        h('h2', 'Actions'),
        def.actions.map((a) => h('div.card', h('h3', a.title, ' ', h('code.small', a.key)), a.description ? h('p.small', a.description) : null,
          a.default_subscription ? h('div.small', 'Default trigger: ', h('code', a.default_subscription)) : null,
          h('div.small.muted', `${a.fields.length} fields, ${a.fields.filter((f) => f.required).length} required`, a.batch ? ` · batches up to ${a.batch.max_size}` : ''))),
        h('h2', 'Settings'),
        def.settings.length ? h('ul', def.settings.map((f) => h('li', h('strong', f.label || f.key), f.required ? ' (required)' : '', f.secret ? ' (secret)' : '', f.description ? ': ' + f.description : ''))) : h('p.muted', 'None.'))));
  idInput.focus();
}
