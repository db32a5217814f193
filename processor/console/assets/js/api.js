// The control API, and nothing else: every page reads and writes through here.

const key = 'actuate.token';
const devToken = document.querySelector('meta[name="actuate-token"]')?.content || '';

export const token = {
  get: () => devToken || sessionStorage.getItem(key) || '',
  set: (t) => sessionStorage.setItem(key, t),
  clear: () => sessionStorage.removeItem(key),
  fixed: devToken !== '',
};

// ApiError carries the API's message and its problems (path + reason), so a page can put
// each reason next to the control it is about.
export class ApiError extends Error {
  constructor(status, message, problems = []) {
    super(message);
    this.status = status;
    this.problems = problems;
  }
  // problemsUnder returns the problems whose path starts with prefix, and marks them shown.
  take(prefix) {
    const out = this.problems.filter((p) => !p.shown && (p.path === prefix || p.path.startsWith(prefix + '.') || p.path.startsWith(prefix + '[')));
    out.forEach((p) => (p.shown = true));
    return out;
  }
}

export async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + token.get() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'The server did not answer (' + e.message + '). Is actuate still running?');
  }
  if (resp.status === 204) return null;
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!resp.ok) {
    if (resp.status === 401 && !token.fixed) {
      token.clear();
      window.dispatchEvent(new Event('actuate:signin'));
    }
    throw new ApiError(resp.status, (data && data.error) || `${method} ${path} answered ${resp.status}`, (data && data.problems) || []);
  }
  return data;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b ?? {});
export const patch = (p, b) => api('PATCH', p, b);
export const put = (p, b) => api('PUT', p, b);
export const del = (p) => api('DELETE', p);

export const enc = encodeURIComponent;

// Catalog entries change only with the binary: read each once per page load.
const catalogCache = new Map();
export function catalogEntry(slug) {
  if (!catalogCache.has(slug)) {
    const p = get('/v1/catalog/' + enc(slug));
    p.catch(() => catalogCache.delete(slug));
    catalogCache.set(slug, p);
  }
  return catalogCache.get(slug);
}

// JSON values of presets and field defaults come as JSON text in the catalog.
export function jsonValue(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch { return v; }
}
