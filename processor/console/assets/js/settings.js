// A settings form generated from a destination's field specs. Secrets are write-only: the
// form shows whether each is set, sends one only when typed, and clears it on request.
// The mapping editor builds hook input forms with it too: opts.prefix is where the API's
// problems name the fields (settings.<key>, inputs.<key>), opts.choices(f) loads a dynamic
// field's choices.
import { jsonValue } from './api.js';
import { h, field, fieldError, choicePicker, reasonsOf } from './ui.js';

export function settingsForm(specs, current = {}, secrets = {}, opts = {}) {
  const prefix = opts.prefix || 'settings';
  const controls = [];
  const rows = specs.map((f) => {
    const label = f.label || f.key;
    const desc = [f.description, f.required ? 'Required.' : ''].filter(Boolean).join(' ');
    let input;
    let clearBox = null;
    const have = current[f.key];
    if (f.secret) {
      const isSet = secrets[f.key] === 'set';
      input = h('input', { type: 'password', autocomplete: 'new-password', placeholder: isSet ? 'set: type to replace it' : 'not set' });
      if (isSet) clearBox = h('input', { type: 'checkbox' });
      controls.push({ f, input, clearBox, read: () => (clearBox?.checked ? null : input.value === '' ? undefined : input.value) });
      const badge = h('span.badge', { class: 'badge ' + (isSet ? 'ok' : 'warn') }, isSet ? 'set' : 'unset');
      const el = field(h('span', label + (f.required ? ' *' : ''), ' ', badge), input, desc);
      if (clearBox) el.append(h('label.inline', clearBox, 'Clear this secret'));
      return el;
    }
    if (f.choices && f.choices.length) {
      input = h('select', h('option', { value: '' }, '(default)'),
        f.choices.map((c) => h('option', { value: JSON.stringify(c.value), selected: have !== undefined && JSON.stringify(have) === JSON.stringify(c.value) }, c.label || String(c.value))));
      controls.push({ f, input, read: () => (input.value === '' ? emptyValue(have) : JSON.parse(input.value)) });
    } else if (f.type === 'boolean') {
      input = h('select', h('option', { value: '' }, '(default)'), h('option', { value: 'true', selected: have === true }, 'true'), h('option', { value: 'false', selected: have === false }, 'false'));
      controls.push({ f, input, read: () => (input.value === '' ? emptyValue(have) : input.value === 'true') });
    } else if (f.type === 'object' || f.multiple) {
      input = h('textarea.code', { rows: 3, placeholder: f.multiple ? '["a", "b"]' : '{"key": "value"}' });
      input.value = have === undefined ? '' : JSON.stringify(have, null, 2);
      controls.push({ f, input, read: () => (input.value.trim() === '' ? emptyValue(have) : JSON.parse(input.value)) });
    } else {
      const numeric = f.type === 'number' || f.type === 'integer';
      input = h('input', { type: numeric ? 'number' : 'text', step: f.type === 'integer' ? '1' : 'any', value: have === undefined ? '' : String(have) });
      const def = jsonValue(f.default);
      if (def !== undefined && def !== '') input.placeholder = 'default: ' + (typeof def === 'string' ? def : JSON.stringify(def));
      controls.push({ f, input, read: () => (input.value === '' ? emptyValue(have) : numeric ? Number(input.value) : input.value) });
      if (f.dynamic && opts.choices) {
        const el = field(label + (f.required ? ' *' : ''), input, desc);
        input.after(choicePicker(label, () => opts.choices(f), (v) => { input.value = String(v); }, (e) => fieldError(input, reasonsOf(e))));
        return el;
      }
    }
    return field(label + (f.required ? ' *' : ''), input, desc);
  });
  return {
    el: h('div', rows.length ? rows : h('p.muted', opts.empty || 'This destination has no settings.')),
    // values returns the settings to send: changed secrets, every other value; null removes.
    values() {
      const out = {};
      for (const c of controls) {
        fieldError(c.input, []);
        let v;
        try { v = c.read(); } catch (e) { fieldError(c.input, ['not valid JSON: ' + e.message]); throw new Error(`${c.f.label || c.f.key}: not valid JSON`); }
        if (v !== undefined) out[c.f.key] = v;
      }
      return out;
    },
    // showProblems puts the API's problems about <prefix>.<key> under their controls.
    showProblems(err) {
      for (const c of controls) {
        const mine = err.take ? [...err.take(prefix + '.' + c.f.key), ...err.problems.filter((p) => !p.shown && p.path.endsWith(`.${prefix}.${c.f.key}`)).map((p) => ((p.shown = true), p))] : [];
        fieldError(c.input, mine.map((p) => p.reason));
      }
    },
  };
}

// An emptied setting that had a value is removed (null); one that had none is left out.
function emptyValue(have) {
  return have === undefined ? undefined : null;
}
