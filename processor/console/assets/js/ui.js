// DOM helpers: build elements, show errors next to their cause, confirm dialogs.

// h('tag.class#id', {attrs, on*: handler}, ...children)
export function h(spec, attrs, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9-]+)(.*)$/i);
  const el = document.createElement(tag);
  for (const m of rest.matchAll(/([.#])([\w-]+)/g)) {
    if (m[1] === '.') el.classList.add(m[2]); else el.id = m[2];
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

// add appends children to el as h does: arrays flattened, null, undefined and false left out.
export function add(el, ...children) {
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
export const newId = (p = 'f') => `${p}-${++uid}`;

// field returns a label and a control tied together, plus a slot for its error.
export function field(labelText, control, help) {
  if (!control.id) control.id = newId();
  const err = h('div.field-error', { id: control.id + '-err', role: 'alert' });
  control.setAttribute('aria-describedby', err.id);
  return h('div.field', h('label', { for: control.id }, labelText), help ? h('div.small.muted', help) : null, control, err);
}

// showError puts an API error (message and every problem) in box, or clears it.
export function showError(box, err) {
  if (!box) return;
  if (!err) return clear(box);
  const problems = (err.problems || []).filter((p) => !p.shown);
  clear(box, h('div.error', { role: 'alert' }, h('strong', err.message || String(err)),
    problems.length ? h('ul', problems.map((p) => h('li', h('code', p.path), ': ', p.reason))) : null));
}

// fieldError shows reasons under the control whose id is given.
export function fieldError(control, reasons) {
  const slot = document.getElementById(control.id + '-err');
  if (slot) slot.textContent = reasons.join('; ');
  if (reasons.length) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
}

export function pretty(v) {
  if (typeof v === 'string') {
    try { return JSON.stringify(JSON.parse(v), null, 2); } catch { return v; }
  }
  return JSON.stringify(v, null, 2);
}

export function when(t) {
  if (!t) return '';
  const d = new Date(t);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

// confirmDialog asks a yes/no question in a modal <dialog>; resolves true on yes.
export function confirmDialog(title, text, yes = 'Delete') {
  return new Promise((resolve) => {
    const dlg = h('dialog', { 'aria-labelledby': 'dlg-title' },
      h('h2#dlg-title', title), h('p', text),
      h('div.row', h('button.danger', { type: 'button', onclick: () => { dlg.close(); resolve(true); } }, yes),
        h('button', { type: 'button', onclick: () => { dlg.close(); resolve(false); } }, 'Cancel')));
    dlg.addEventListener('cancel', () => resolve(false));
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector('button.danger').focus();
  });
}

export function switchBox(labelText, checked, onchange) {
  const input = h('input', { type: 'checkbox', role: 'switch', checked, onchange });
  return h('label.switch', input, labelText);
}

export function status(el, text, ok = true) {
  el.textContent = text;
  el.className = 'status ' + (ok ? 'ok-text' : 'bad-text');
}

export function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

// pathsOf lists the JSON paths of a sample event ($.properties.order_id …) for pickers.
export function pathsOf(v, base = '$', out = []) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, c] of Object.entries(v)) {
      const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${base}.${k}` : `${base}['${k}']`;
      out.push(p);
      pathsOf(c, p, out);
    }
  }
  return out;
}

// choicePicker is a dynamic field's Load choices button and the select it fills. load()
// resolves to the API's {choices: [{value, label}]}; pick(value) takes the chosen value (the
// person can still type one); showErr(err or null) shows a failure next to the field.
export function choicePicker(label, load, pick, showErr) {
  const sel = h('select', { hidden: true, 'aria-label': `Choices for ${label}` });
  sel.addEventListener('change', () => { if (sel.value !== '') pick(JSON.parse(sel.value)); });
  const btn = h('button', {
    type: 'button',
    onclick: async () => {
      btn.disabled = true;
      showErr(null);
      try {
        const choices = (await load()).choices || [];
        clear(sel, h('option', { value: '' }, choices.length ? `Pick one of ${choices.length}` : 'No choices'),
          choices.map((c) => h('option', { value: JSON.stringify(c.value) }, c.label && c.label !== String(c.value) ? `${c.label} (${c.value})` : String(c.value))));
        sel.hidden = false;
      } catch (e) { showErr(e); }
      btn.disabled = false;
    },
  }, 'Load choices');
  return h('span.row.choices', btn, sel);
}

// reasonsOf is what an API error says about one field: its problems' reasons, else its message.
export function reasonsOf(err) {
  if (!err) return [];
  const ps = err.problems || [];
  ps.forEach((p) => (p.shown = true));
  return ps.length ? ps.map((p) => p.reason) : [err.message || String(err)];
}
