// The console's shell: sign-in, the router (History API) and the navigation.
import { token, ApiError } from './api.js';
import { h, clear, field, showError } from './ui.js';

const routes = [
  [/^\/console\/?$/, 'destinations'],
  [/^\/console\/catalog\/?$/, 'catalog'],
  [/^\/console\/catalog\/(?<slug>[^/]+)$/, 'catalog-entry'],
  [/^\/console\/destinations\/(?<id>[^/]+)\/?$/, 'destination', { tab: 'mappings' }],
  [/^\/console\/destinations\/(?<id>[^/]+)\/filters$/, 'filters'],
  [/^\/console\/destinations\/(?<id>[^/]+)\/settings$/, 'destination', { tab: 'settings' }],
  [/^\/console\/destinations\/(?<id>[^/]+)\/mappings\/new$/, 'mapping'],
  [/^\/console\/destinations\/(?<id>[^/]+)\/mappings\/(?<mapping>[^/]+)$/, 'mapping'],
  [/^\/console\/destinations\/(?<id>[^/]+)\/tester$/, 'tester'],
  [/^\/console\/destinations\/(?<id>[^/]+)\/delivery$/, 'delivery'],
  [/^\/console\/sources\/?$/, 'sources'],
  [/^\/console\/history\/?$/, 'history'],
];

const main = document.getElementById('main');
let cleanup = null;
let renderSeq = 0;

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  render();
}

async function render() {
  const seq = ++renderSeq;
  if (cleanup) { try { cleanup(); } catch { /* a page's cleanup never blocks the next */ } cleanup = null; }
  const path = location.pathname;
  for (const a of document.querySelectorAll('.top nav a')) {
    const href = a.getAttribute('href');
    const current = href === '/console/' ? path === '/console/' || path.startsWith('/console/destinations') : path.startsWith(href);
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  renderWho();
  if (!token.get()) return signIn();
  let match = null;
  for (const [re, name, extra] of routes) {
    const m = path.match(re);
    if (m) { match = { name, params: { ...decodeAll(m.groups || {}), ...extra } }; break; }
  }
  if (!match) {
    document.title = 'Not found · Actuate';
    clear(main, h('h1', 'Page not found'), h('p', 'No console page has the address ', h('code', path), '. ', h('a', { href: '/console/' }, 'Back to the destinations')));
    return;
  }
  try {
    const page = await import(`./pages/${match.name}.js`);
    if (seq !== renderSeq) return;
    clear(main);
    cleanup = (await page.default(main, match.params, new URLSearchParams(location.search))) || null;
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 401 && !token.fixed) return signIn();
    const box = h('div');
    clear(main, h('h1', 'Something went wrong'), box);
    showError(box, err);
    console.warn(err);
  }
}

function decodeAll(o) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeURIComponent(v)]));
}

function renderWho() {
  const who = document.getElementById('who');
  if (token.fixed) return clear(who, 'actuate dev: signed in with the dev token');
  if (!token.get()) return clear(who);
  clear(who, 'Signed in', h('button.link', { type: 'button', onclick: () => { token.clear(); render(); } }, 'Sign out'));
}

function signIn() {
  document.title = 'Sign in · Actuate';
  const input = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const box = h('div');
  const form = h('form.card', {
    onsubmit: async (e) => {
      e.preventDefault();
      // Checked here rather than through api(), whose 401 would bring this form back.
      let resp;
      try {
        resp = await fetch('/v1/workspace', { headers: { Authorization: 'Bearer ' + input.value.trim() } });
      } catch (err) {
        return showError(box, new ApiError(0, 'The server did not answer (' + err.message + ').'));
      }
      if (resp.ok) {
        token.set(input.value.trim());
        return render();
      }
      showError(box, new ApiError(resp.status, resp.status === 401
        ? 'That token was refused: use the --api-token (ACTUATE_API_TOKEN) this server was started with.'
        : `The server answered ${resp.status}.`));
      input.focus();
    },
  },
  field('API token', input, 'The token is kept only while this tab is open.'), box,
  h('button.primary', { type: 'submit' }, 'Sign in'));
  clear(main, h('h1', 'Sign in to Actuate'), form);
  input.focus();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/console/') && url.pathname !== '/console') return;
  e.preventDefault();
  navigate(url.pathname + url.search);
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});
window.addEventListener('popstate', render);
window.addEventListener('actuate:signin', () => render());
render();
