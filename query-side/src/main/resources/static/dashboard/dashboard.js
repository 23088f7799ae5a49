// The Interlock dashboard: plain JavaScript and SVG, served with the page (it needs no internet).
// Everything on it comes from the query API. The page signs in with its own form: the credentials
// are kept in this tab's sessionStorage and sent as an Authorization header, never in a URL, and
// with X-Requested-With so that a refusal does not make the browser pop up its own dialog.
'use strict';

const AUTH_KEY = 'interlock.auth';
const el = id => document.getElementById(id);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

let me = null;          // {name, roles, tenant}
let lifecycles = {};    // per type: {primary, fields: {field: {state: kind}}, diagram}
let stream = null;      // the live feed's AbortController
let timer = null;

class ApiError extends Error {
  constructor(status, body) { super(body?.detail || String(status)); this.status = status; this.body = body; }
}

async function api(path, init = {}) {
  const auth = sessionStorage.getItem(AUTH_KEY);
  const headers = {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...(init.headers || {})};
  if (auth) headers.Authorization = 'Basic ' + auth;
  const r = await fetch(path, {...init, headers, credentials: 'omit'});
  if (r.status === 401 && !init.signingIn) { signOut('Your session has ended: sign in again.'); }
  if (!r.ok) {
    let body = null;
    try { body = await r.json(); } catch (ignored) { /* not a problem body */ }
    throw new ApiError(r.status, body);
  }
  return init.raw ? r : r.json();
}

// ---- who is signed in -------------------------------------------------------------------------

const scoped = () => me && me.roles.includes('member') && !me.roles.includes('admin');
const is = role => me && me.roles.includes(role);
/** How this reader writes a resource in a path: bare in its own tenant, else <tenant>:<id>. */
const ref = (id, tenant) => scoped() || !tenant ? id : tenant + ':' + id;
const pathId = id => encodeURIComponent(id).replace(/%3A/gi, ':');
const link = (type, id, tenant) =>
  `<a href="#/r/${esc(type)}/${esc(pathId(ref(id, tenant)))}" title="${esc(ref(id, tenant))}">${esc(ref(id, tenant))}</a>`;

async function signIn(user, password) {
  sessionStorage.setItem(AUTH_KEY, btoa(unescape(encodeURIComponent(user + ':' + password))));
  try {
    me = await api('/v1/me', {signingIn: true});
  } catch (e) {
    sessionStorage.removeItem(AUTH_KEY);
    throw e;
  }
}

function signOut(message) {
  sessionStorage.removeItem(AUTH_KEY);
  me = null;
  if (stream) stream.abort();
  stream = null;
  clearInterval(timer);
  el('signInError').textContent = message || '';
  show('signIn');
}

function show(view) {
  for (const id of ['signIn', 'overview', 'resource']) el(id).hidden = id !== view;
  el('who').hidden = el('nav').hidden = view === 'signIn';
  if (me) {
    el('whoName').textContent = me.name;
    el('whoRoles').textContent = me.roles.join(', ');
    el('whoTenant').textContent = me.tenant ? 'tenant ' + me.tenant : 'every tenant';
  }
}

el('signInForm').addEventListener('submit', async event => {
  event.preventDefault();
  el('signInButton').disabled = true;
  el('signInError').textContent = '';
  try {
    await signIn(el('user').value, el('password').value);
    el('password').value = '';
    await start();
  } catch (e) {
    el('signInError').textContent = e.status === 401 ? 'Wrong user name or password.' : 'Sign-in failed: ' + e.message;
  } finally {
    el('signInButton').disabled = false;
  }
});
el('signOut').addEventListener('click', () => signOut());

// ---- charts -----------------------------------------------------------------------------------

function kindOf(type, field, state) {
  return lifecycles[type]?.fields?.[field]?.[state] || 'other';
}

/** One horizontal bar chart per state field: a bar per value, as long as its count, coloured by its kind. */
function chart(type, field, counts) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const rows = entries.map(([state, n]) => {
    const kind = kindOf(type, field, state);
    const width = n === 0 ? 0 : Math.max(1, 100 * n / max);
    return `<div class="bar-row" data-count="${esc(type)}.${esc(field)}.${esc(state)}" data-value="${n}" data-kind="${kind}"
        title="${esc(state)}: ${n} (${kind})"><span class="state">${esc(state)}</span>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect x="0" y="0" width="${width.toFixed(2)}"
        height="10" rx="1" fill="var(--${kind})"></rect></svg><span class="value">${n}</span></div>`;
  }).join('');
  return `<div class="chart" data-chart="${esc(type)}.${esc(field)}"><h4>${esc(field)}</h4>${rows}</div>`;
}

/** Per resource type, its state fields' charts; types with nothing yet are named on one line. */
function statsView(s) {
  const empty = [];
  const blocks = Object.entries(s).map(([type, fields]) => {
    // the first field counts every resource of the type once (vmState, status, state, ...)
    const total = Object.values(Object.values(fields)[0] || {}).reduce((a, n) => a + n, 0);
    if (total === 0) { empty.push(type); return ''; }
    return `<div class="type" data-type="${esc(type)}"><h3>${esc(type)} <span>${total}</span></h3>`
      + Object.entries(fields).map(([field, counts]) => chart(type, field, counts)).join('') + '</div>';
  }).join('');
  return blocks + (empty.length ? `<p class="muted empty-types">None yet: ${empty.map(esc).join(', ')}.</p>` : '');
}

function bar(used, max, kind) {
  const fraction = max > 0 ? Math.min(1, used / max) : 0;
  return `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
    <rect x="0" y="0" width="100" height="10" rx="2" fill="#e5e8ec"></rect>
    <rect x="0" y="0" width="${(100 * fraction).toFixed(2)}" height="10" rx="2" fill="var(--${kind})"></rect></svg>`;
}

const percent = (used, max) => max > 0 ? Math.round(100 * used / max) + '%' : '–';
// filling up is worth a look, not an error: a dedicated subsystem is full by design
const useKind = (used, max) => max > 0 && used / max >= 0.8 ? 'transitional' : 'stable';

// ---- the overview -----------------------------------------------------------------------------

async function stats() {
  try {
    const s = await api('/v1/stats');
    el('stats').classList.remove('muted');
    el('stats').innerHTML = statsView(s);
  } catch (e) { unavailable('stats', e); }
}

async function utilisation() {
  try {
    const u = await api('/v1/utilisation');
    const t = u.totals;
    const nodes = u.nodes.map(n => {
      const subsystems = (n.subsystems || []).map(s => `<div class="use" data-subsystem="${esc(ref(s.nqn, n.tenant))}"
          data-used="${s.liveNamespaces}" data-max="${s.maxNamespaces}">
        <div class="label"><span>${link('subsystems', s.nqn, n.tenant)}${s.dedicated ? ' <span class="muted">dedicated</span>' : ''}</span>
          <span>${s.liveNamespaces} / ${s.maxNamespaces} namespaces</span></div>
        ${bar(s.liveNamespaces, s.maxNamespaces, s.dedicated ? 'stable' : useKind(s.liveNamespaces, s.maxNamespaces))}</div>`).join('');
      return `<div class="use" data-node="${esc(ref(n.nodeId, n.tenant))}" data-used="${n.usedSubsystems}" data-max="${n.maxSubsystems}">
        <div class="label"><b>${link('nodes', n.nodeId, n.tenant)}</b>
          <span class="fraction">${n.usedSubsystems} / ${n.maxSubsystems} subsystem slots used
          (${percent(n.usedSubsystems, n.maxSubsystems)}), ${n.maxSubsystems - n.usedSubsystems} free</span></div>
        ${bar(n.usedSubsystems, n.maxSubsystems, useKind(n.usedSubsystems, n.maxSubsystems))}
        <div class="subsystems">${subsystems}</div></div>`;
    }).join('');
    el('utilisation').classList.remove('muted');
    el('utilisation').innerHTML = t.nodes === 0 ? '<p class="muted">No storage nodes.</p>' : `
      <div class="use" id="totals"><div class="label"><b>All ${t.nodes} node${t.nodes === 1 ? '' : 's'}</b>
        <span>${t.usedSubsystems} / ${t.maxSubsystems} subsystem slots, ${t.liveNamespaces} / ${t.maxNamespaces}
        namespaces</span></div>${bar(t.usedSubsystems, t.maxSubsystems, useKind(t.usedSubsystems, t.maxSubsystems))}</div>
      ${nodes}`;
  } catch (e) { unavailable('utilisation', e); }
}

function ago(instant) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000));
  if (seconds < 90) return seconds + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return Math.round(seconds / 3600) + ' h';
}

/** The longest stuck first; past these the list says how many more there are. */
const STUCK_ROWS = 10;

async function stuck() {
  try {
    const s = await api('/v1/stuck?olderThan=' + encodeURIComponent(el('age').value));
    el('stuck').classList.remove('muted');
    el('stuck').innerHTML = s.items.length === 0 ? '<p class="muted">Nothing is stuck.</p>' : `<table>
      <thead><tr><th style="width:8rem">type</th><th style="width:45%">resource</th><th>state</th><th style="width:5rem">for</th></tr></thead><tbody>`
      + s.items.slice(0, STUCK_ROWS).map(i => `<tr data-stuck="${esc(i.type)}/${esc(ref(i.id, i.tenant))}">
        <td>${esc(i.type)}</td><td class="wrap">${link(i.type, i.id, i.tenant)}</td>
        <td class="wrap"><span class="badge transitional">${esc(i.state)}</span></td>
        <td title="since ${esc(i.since)}">${ago(i.since)}</td></tr>`).join('') + '</tbody></table>'
      + (s.items.length > STUCK_ROWS ? `<p class="muted">… and ${s.items.length - STUCK_ROWS} more, stuck for less long.</p>` : '');
  } catch (e) { unavailable('stuck', e); }
}

async function projections() {
  if (!is('admin')) return;
  try {
    const ps = await api('/v1/admin/projections');
    el('projections').classList.remove('muted');
    el('projections').innerHTML = `<table><thead><tr><th>projection</th><th>status</th>
      <th>progress</th><th title="events behind, and how long the oldest has waited">lag</th></tr></thead><tbody>` + ps.map(p => `<tr data-projection="${esc(p.name)}">
        <td title="${esc(p.name)}">${esc(p.name.replace(/-projection$/, ''))}</td>
        <td><span class="badge ${p.status === 'failed' ? 'error' : p.status === 'rebuilding' ? 'transitional' : 'stable'}"
          title="${esc(p.failure ? 'stopped at event ' + p.failure.position + ' (' + p.failure.eventType + '): ' + p.failure.error : p.error || '')}">${esc(p.status)}</span></td>
        <td title="${p.position} of ${p.head}">${bar(p.progressPercent, 100, p.status === 'failed' ? 'error' : 'stable')}
          <span class="small muted">${p.position} / ${p.head} (${p.progressPercent}%)</span></td>
        <td title="${p.lagEvents} events behind the store, the oldest waiting ${p.lagSeconds.toFixed(1)} s">${p.lagEvents} · ${p.lagSeconds.toFixed(1)} s</td></tr>`).join('') + '</tbody></table>';
  } catch (e) { unavailable('projections', e); }
}

function unavailable(id, e) {
  el(id).classList.add('muted');
  el(id).textContent = e.status === 503 && e.body?.progressPercent !== undefined
    ? `The read model is being rebuilt (${e.body.progressPercent}%)…` : 'Unavailable: ' + e.message;
}

function refreshSoon() {
  clearTimeout(refreshSoon.pending);
  refreshSoon.pending = setTimeout(() => { stats(); utilisation(); stuck(); }, 250);
}

// ---- the live feed: server-sent events read with fetch, which can send the Authorization header

const STATE_FIELDS = ['vmState', 'status', 'state', 'deletionStatus', 'taskState'];

function describe(change) {
  const life = lifecycles[change.type] || {fields: {}};
  const fields = Object.keys(life.fields || {});
  return Object.entries(change.state || {})
    .filter(([field, value]) => value !== null && typeof value !== 'object' && (fields.includes(field) || STATE_FIELDS.includes(field)))
    .map(([field, value]) => `<span class="badge ${kindOf(change.type, field, String(value))}" title="${esc(field)}">${esc(value)}</span>`)
    .join('') || `<span class="muted small">${esc(Object.entries(change.state || {}).filter(([, v]) => typeof v !== 'object')
      .map(([k, v]) => k + '=' + v).join(' ').slice(0, 120))}</span>`;
}

function onChange(change) {
  const rows = el('changes');
  const row = document.createElement('tr');
  row.className = 'fresh';
  row.dataset.change = change.type + '/' + ref(change.id, change.tenant);
  row.dataset.version = change.version;
  row.innerHTML = `<td>${new Date().toLocaleTimeString()}</td><td class="wrap">${esc(change.type)} ${link(change.type, change.id, change.tenant)}</td>
    <td>v${change.version}</td><td class="wrap">${describe(change)}</td>`;
  rows.prepend(row);
  while (rows.children.length > 50) rows.lastChild.remove();
  el('noChanges').hidden = true;
  refreshSoon();
}

async function live() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  el('liveStatus').textContent = 'connecting…';
  el('liveStatus').className = 'pill muted';
  try {
    const r = await api('/v1/stream', {raw: true, signal: controller.signal, headers: {Accept: 'text/event-stream'}});
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message', data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
        }
        if (event === 'ready') { el('liveStatus').textContent = 'live'; el('liveStatus').className = 'pill live'; }
        else if (event === 'change') onChange(JSON.parse(data));
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  }
  // the server ends a stream that falls too far behind, and restarts end them all: reconnect
  if (stream === controller && me) {
    el('liveStatus').textContent = 'reconnecting…';
    el('liveStatus').className = 'pill muted';
    setTimeout(() => { if (stream === controller && me) live(); }, 2000);
  }
}

// ---- a page per resource ----------------------------------------------------------------------

async function resourcePage(type, id) {
  show('resource');
  el('resourceTitle').textContent = `${type} ${id}`;
  for (const part of ['resourceState', 'resourceActions', 'resourceDiagram', 'resourceTimeline']) {
    el(part).classList.add('muted');
    el(part).textContent = 'loading…';
  }
  let resource;
  try {
    resource = await api(`/v1/${encodeURIComponent(type)}/${pathId(id)}`);
  } catch (e) {
    el('resourceState').textContent = e.status === 404 ? 'No such resource.' : 'Unavailable: ' + e.message;
    el('resourceActions').textContent = el('resourceDiagram').textContent = el('resourceTimeline').textContent = '';
    return;
  }
  const life = lifecycles[type] || {fields: {}};
  const scalar = Object.entries(resource).filter(([k, v]) => k !== 'allowedActions' && (v === null || typeof v !== 'object'));
  el('resourceState').classList.remove('muted');
  el('resourceState').innerHTML = '<dl class="state">' + scalar.map(([k, v]) =>
    `<dt>${esc(k)}</dt><dd data-field="${esc(k)}">${life.fields[k] && v !== null
      ? `<span class="badge ${kindOf(type, k, String(v))}">${esc(v)}</span>` : esc(v ?? '–')}</dd>`).join('') + '</dl>'
    + nested(resource);
  const actions = resource.allowedActions || [];
  el('resourceActions').classList.remove('muted');
  el('resourceActions').innerHTML = actions.length === 0 ? '<p class="muted">None: nothing may change it now.</p>'
    : '<div class="chips" id="allowedActions">' + actions.map(a => `<span>${esc(a)}</span>`).join('') + '</div>';
  const current = life.primary ? resource[life.primary] : null;
  const highlighted = current ? [current] : (resource.namespaces || []).map(n => n.status);
  el('resourceDiagram').classList.remove('muted');
  el('resourceDiagram').innerHTML = life.diagram ? diagram(type, life.diagram, highlighted)
    : '<p class="muted">This resource has no lifecycle of its own: its slots are what change.</p>';
  timeline(type, id, resource.tenant);
}

/** Lists a resource holds (snapshots, rules, steps, namespaces, subsystems), as small tables. */
function nested(resource) {
  return Object.entries(resource).filter(([k, v]) => Array.isArray(v) && k !== 'allowedActions' && v.length > 0)
    .map(([k, items]) => `<h3>${esc(k)}</h3>` + (typeof items[0] !== 'object' ? `<p>${items.map(esc).join(', ')}</p>`
      : '<table><tbody>' + items.map(item => '<tr>' + Object.entries(item).filter(([, v]) => typeof v !== 'object' || v === null)
        .map(([f, v]) => `<td title="${esc(f)}: ${esc(v)}">${esc(v ?? '–')}</td>`).join('') + '</tr>').join('') + '</tbody></table>'))
    .join('');
}

async function timeline(type, id, tenant) {
  const box = el('resourceTimeline');
  if (!is('auditor') && !is('admin')) {
    box.textContent = 'The timeline is the audit trail, which the auditor and admin roles read.';
    return;
  }
  // the audit trail names the resource as the store does: <tenant>:<id> for a tenant's resource
  const stored = tenant && !String(id).startsWith(tenant + ':') ? tenant + ':' + id : id;
  try {
    const events = await api(`/v1/audit/${encodeURIComponent(type)}/${pathId(stored)}/events`);
    box.classList.remove('muted');
    box.innerHTML = '<ol class="timeline">' + events.slice().reverse().map(e => `<li data-event="${esc(e.type)}" data-sequence="${e.sequence}">
      <div><span class="what">${esc(e.type)}</span> <span class="meta">#${e.sequence} · ${esc(new Date(e.timestamp).toLocaleString())}</span></div>
      <div class="meta">by ${esc(e.metadata?.principal || 'the system')}${e.metadata?.correlationId ? ' · correlation ' + esc(e.metadata.correlationId) : ''}</div>
      <div class="payload">${esc(Object.entries(e.payload || {}).filter(([k]) => !/Id$/.test(k) || k === 'taskId')
        .map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('  ').slice(0, 400))}</div></li>`).join('') + '</ol>';
  } catch (e) {
    box.textContent = 'Unavailable: ' + e.message;
  }
}

/**
 * The lifecycle diagram as SVG, laid out in columns by distance from the start state; edges out
 * of the current state are drawn strong, and listed under the drawing with their actions.
 */
function diagram(type, d, highlighted) {
  const start = d.transitions.find(t => t.from === null)?.to;
  const depth = {};
  if (start) {
    depth[start] = 0;
    const queue = [start];
    while (queue.length) {
      const s = queue.shift();
      for (const t of d.transitions) {
        if (t.from === s && t.to && depth[t.to] === undefined && !t.failure) { depth[t.to] = depth[s] + 1; queue.push(t.to); }
      }
    }
  }
  const maxDepth = Math.max(0, ...Object.values(depth));
  for (const s of d.states) if (depth[s] === undefined) depth[s] = maxDepth + 1;
  const columns = {};
  for (const s of d.states) (columns[depth[s]] ||= []).push(s);
  const w = 150, h = 26, gapX = 110, gapY = 14, pad = 24;
  const pos = {};
  let height = 0;
  for (const [c, states] of Object.entries(columns)) {
    states.forEach((s, i) => { pos[s] = {x: pad + c * (w + gapX), y: pad + i * (h + gapY)}; });
    height = Math.max(height, states.length * (h + gapY));
  }
  const width = pad * 2 + (Object.keys(columns).length) * (w + gapX);
  const current = new Set(highlighted.filter(Boolean));
  const edges = d.transitions.filter(t => t.from && t.to).map(t => {
    const a = pos[t.from], b = pos[t.to];
    const out = current.has(t.from) ? ' out' : '';
    const cls = (t.failure ? 'failure' : '') + out;
    let path;
    if (t.from === t.to) {
      path = `M ${a.x + w - 20} ${a.y} c 10 -16 30 -16 20 0`;
    } else {
      const sx = a.x + w, sy = a.y + h / 2, tx = b.x, ty = b.y + h / 2;
      const bend = Math.max(40, Math.abs(tx - sx) / 2);
      path = tx > sx ? `M ${sx} ${sy} C ${sx + bend} ${sy}, ${tx - bend} ${ty}, ${tx} ${ty}`
        : `M ${a.x} ${sy} C ${a.x - 60} ${sy + 40}, ${b.x + w + 60} ${ty + 40}, ${b.x + w} ${ty}`;
    }
    return `<path class="${cls}" d="${path}" marker-end="url(#arrow${out ? 'Out' : ''})"><title>${esc(t.from)} → ${esc(t.to)}: ${esc((t.failure ? '✗ ' : '') + t.labels.join(', '))}</title></path>`;
  });
  const nodes = d.states.map(s => {
    const p = pos[s];
    const kind = Object.values(lifecycles[type]?.fields || {}).map(f => f[s]).find(Boolean) || 'stable';
    return `<g class="node ${kind}${current.has(s) ? ' current' : ''}" data-state="${esc(s)}"${current.has(s) ? ' data-current="true"' : ''}>
      <rect x="${p.x}" y="${p.y}" width="${w}" height="${h}" rx="5"></rect>
      <text x="${p.x + w / 2}" y="${p.y + h / 2 + 4}" text-anchor="middle">${esc(s)}</text></g>`;
  });
  const exits = d.transitions.filter(t => current.has(t.from) && t.to)
    .map(t => `<li>${t.failure ? '<span class="error">if it fails</span>' : esc(t.labels.join(', '))} → <b>${esc(t.to)}</b></li>`);
  return `<svg width="${width}" height="${height + pad * 2}" viewBox="0 0 ${width} ${height + pad * 2}" role="img" aria-label="${esc(type)} lifecycle">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c9d0d8" stroke="none"></path></marker>
    <marker id="arrowOut" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#2f6fde" stroke="none"></path></marker></defs>
    ${edges.join('')}${nodes.join('')}</svg>`
    + (current.size ? `<p class="small muted">Where the table leads from ${[...current].map(esc).join(', ')} (what may run now is under Allowed actions):</p><ul class="exits">${exits.join('') || '<li>nowhere: it ends here</li>'}</ul>` : '');
}

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  if (!me) return;
  const match = location.hash.match(/^#\/r\/([a-z]+)\/(.+)$/);
  if (match) {
    await resourcePage(match[1], decodeURIComponent(match[2]));
  } else {
    show('overview');
  }
}

async function start() {
  lifecycles = await api('/v1/lifecycles');
  el('projectionsCard').hidden = !is('admin');
  show('overview');
  stats(); utilisation(); stuck(); projections(); live();
  clearInterval(timer);
  timer = setInterval(() => { if (!el('overview').hidden) { stats(); utilisation(); stuck(); projections(); } }, 5000);
  route();
}

window.addEventListener('hashchange', route);
el('age').addEventListener('change', stuck);

(async () => {
  if (!sessionStorage.getItem(AUTH_KEY)) { show('signIn'); el('user').focus(); return; }
  try {
    me = await api('/v1/me', {signingIn: true});
    await start();
  } catch (e) {
    signOut(e.status === 401 ? '' : 'Could not reach the query side: ' + e.message);
  }
})();
