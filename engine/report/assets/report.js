// pillar HTML report: the findings table (filters, sorting, details) drawn
// from the JSON embedded in #pillar-data.
//
// Every string in that data may be hostile: resource ids, tags and messages
// come from the scanned account or plan, rule help from third-party packs.
// They only ever reach the page as text nodes, textContent or attribute
// values set through the DOM, never as markup, and links only when they are
// http(s). The page's Content Security Policy is the second line of defence.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('pillar-data').textContent);
  const findings = Array.isArray(data.findings) ? data.findings : [];
  const rules = data.rules || {};
  const severities = Array.isArray(data.severities) ? data.severities : [];
  const pillarTitle = {};
  for (const p of data.pillars || []) pillarTitle[p.id] = p.title;

  // The labels the Rust summary uses for resources without an account or
  // region, so filters and charts name the same things.
  const NO_ACCOUNT = '(none)';
  const GLOBAL = 'global';

  // 0 for the worst severity; unknown names sort after every known one.
  function rank(s) {
    const i = severities.indexOf(s);
    return i < 0 ? severities.length : i;
  }

  // --- what each finding shows -------------------------------------------

  const res = (f) => f.resource || {};
  const rule = (f) => rules[f.rule_id] || null;
  const status = (f) => (f.suppression ? 'suppressed' : 'open');
  const account = (f) => res(f).account || NO_ACCOUNT;
  const region = (f) => res(f).region || GLOBAL;
  const pillarName = (p) => pillarTitle[p] || p || '(unknown)';

  // Lower-cased text the free-text filter searches, once per finding.
  function haystack(f) {
    const r = res(f);
    const parts = [f.rule_id, rule(f) && rule(f).title, f.message, f.evidence, f.fingerprint,
      r.id, r.kind, account(f), region(f), r.plan_action, r.location && r.location.file,
      f.suppression && f.suppression.justification, f.suppression && f.suppression.owner,
      f.baseline];
    if (r.tags && typeof r.tags === 'object') {
      for (const [k, v] of Object.entries(r.tags)) parts.push(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return parts.filter((p) => typeof p === 'string' && p !== '').join('\n').toLowerCase();
  }

  // The filters, in the order they are shown. `optional` ones appear only
  // when some finding has a value (baseline states come with --baseline).
  const FILTERS = [
    { key: 'severity', label: 'Severity', value: (f) => f.severity, order: rank },
    { key: 'pillar', label: 'Pillar', value: (f) => f.pillar || '', name: pillarName },
    { key: 'verdict', label: 'Verdict', value: (f) => f.verdict },
    { key: 'status', label: 'Status', value: status },
    { key: 'baseline', label: 'Baseline', value: (f) => f.baseline || '', optional: true },
    { key: 'account', label: 'Account', value: account },
    { key: 'region', label: 'Region', value: region },
    { key: 'rule', label: 'Rule', value: (f) => f.rule_id },
  ];

  // Sortable columns. Severity sorts by rank, descending = worst first.
  const COLUMNS = [
    { key: 'severity', label: 'Severity', sort: (f) => severities.length - rank(f.severity) },
    { key: 'verdict', label: 'Verdict', sort: (f) => f.verdict },
    { key: 'status', label: 'Status', sort: (f) => status(f) + ' ' + (f.baseline || '') },
    { key: 'rule', label: 'Rule', sort: (f) => f.rule_id },
    { key: 'resource', label: 'Resource', sort: (f) => res(f).id || '' },
    { key: 'account', label: 'Account', sort: account },
    { key: 'region', label: 'Region', sort: region },
    { key: 'message', label: 'Message', sort: (f) => f.message || '' },
  ];

  // --- DOM helpers ---------------------------------------------------------

  // Builds an element; strings among the children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c !== null && c !== undefined && c !== '') e.append(c);
    }
    return e;
  }

  // A link only for http(s) URLs; anything else (javascript:, data:) is text.
  function safeLink(url, label) {
    if (typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url)) {
      return el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, label);
    }
    return typeof url === 'string' && url !== '' ? el('span', { class: 'mono' }, url) : null;
  }

  // Inline `code` spans as <code>, the rest as text: enough markdown to
  // read rule help without interpreting any markup.
  function inline(text) {
    const out = [];
    text.split('`').forEach((part, i) => {
      if (part !== '') out.push(i % 2 === 1 ? el('code', null, part) : part.replace(/\*\*/g, ''));
    });
    return out;
  }

  const LIST_ITEM = /^\s*(?:[-*]|\d+\.)\s+/;

  // One markdown paragraph: a table kept as preformatted lines, a list as a
  // list, anything else as one paragraph (source line breaks are soft).
  function block(text) {
    if (text.startsWith('|')) return el('p', { class: 'pre' }, text);
    const lines = text.split('\n');
    if (!LIST_ITEM.test(lines[0])) return el('p', null, ...inline(lines.map((l) => l.trim()).join(' ')));
    const items = [];
    for (const line of lines) {
      if (LIST_ITEM.test(line) || items.length === 0) items.push(line.replace(LIST_ITEM, '').trim());
      else items[items.length - 1] += ' ' + line.trim();
    }
    const numbered = /^\s*\d+\./.test(lines[0]);
    return el(numbered ? 'ol' : 'ul', null, ...items.map((item) => el('li', null, ...inline(item))));
  }

  // A help section's markdown: fenced code as <pre>, the rest by block().
  function markdown(body) {
    const box = el('div', { class: 'md' });
    const chunks = String(body).split(/^```[^\n]*\n?/m);
    chunks.forEach((chunk, i) => {
      if (i % 2 === 1) {
        box.append(el('pre', null, el('code', null, chunk.replace(/\n$/, ''))));
        return;
      }
      for (const para of chunk.split(/\n\s*\n/)) {
        const t = para.trim();
        if (t !== '') box.append(block(t));
      }
    });
    return box;
  }

  function badge(kind, value) {
    // Class names come from fixed lists, never from the data itself.
    const known = {
      severity: severities,
      verdict: ['fail', 'unknown'],
      status: ['open', 'suppressed'],
      baseline: ['new', 'unchanged', 'absent'],
    };
    const cls = (known[kind] || []).includes(value) ? kind + '-' + value : kind + '-other';
    return el('span', { class: 'badge ' + cls }, value);
  }

  // --- state, kept in the URL hash -----------------------------------------

  const state = { filters: {}, q: '', sort: 'severity', dir: 'desc', open: new Set() };

  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    state.filters = {};
    for (const f of FILTERS) {
      const v = p.get(f.key);
      if (v !== null && v !== '') state.filters[f.key] = v;
    }
    state.q = p.get('q') || '';
    const sort = p.get('sort');
    state.sort = COLUMNS.some((c) => c.key === sort) ? sort : 'severity';
    state.dir = p.get('dir') === 'asc' ? 'asc' : 'desc';
    state.open = new Set((p.get('open') || '').split(',').filter((s) => s !== ''));
  }

  function writeHash() {
    const p = new URLSearchParams();
    for (const f of FILTERS) if (state.filters[f.key]) p.set(f.key, state.filters[f.key]);
    if (state.q) p.set('q', state.q);
    if (state.sort !== 'severity' || state.dir !== 'desc') {
      p.set('sort', state.sort);
      p.set('dir', state.dir);
    }
    if (state.open.size) p.set('open', [...state.open].join(','));
    const hash = p.toString();
    // replaceState: filtering is not navigation, and it fires no hashchange.
    try {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    } catch (e) {
      // Some file:// contexts refuse history changes; the state just is not kept.
    }
  }

  // --- building the page ----------------------------------------------------

  const form = document.getElementById('filters');
  const table = document.getElementById('findings-table');
  const tbody = table.tBodies[0];
  const count = document.getElementById('count');
  const active = document.getElementById('active-filters');

  // The filters in words, so a printed page says what it leaves out.
  function describeFilters() {
    const parts = FILTERS.filter((def) => state.filters[def.key])
      .map((def) => def.label.toLowerCase() + ' ' + (def.name ? def.name(state.filters[def.key]) : state.filters[def.key]));
    if (state.q.trim()) parts.push('text "' + state.q.trim() + '"');
    return parts.length ? 'Showing only: ' + parts.join(', ') + '.' : '';
  }

  const rows = findings.map((f, i) => ({ f, i, text: haystack(f), tr: null, detail: null }));

  function buildFilters() {
    for (const def of FILTERS) {
      const values = [...new Set(findings.map(def.value))].filter((v) => v !== '');
      if (def.optional && values.length === 0) continue;
      values.sort((a, b) => (def.order ? def.order(a) - def.order(b) : 0) || String(a).localeCompare(String(b)));
      const select = el('select', { name: def.key, id: 'filter-' + def.key }, el('option', { value: '' }, 'all'));
      for (const v of values) {
        const n = findings.filter((f) => def.value(f) === v).length;
        const name = def.name ? def.name(v) : v;
        select.append(el('option', { value: v }, name + ' (' + n + ')'));
      }
      select.addEventListener('change', () => {
        if (select.value) state.filters[def.key] = select.value;
        else delete state.filters[def.key];
        update();
      });
      form.append(el('label', { for: 'filter-' + def.key }, def.label, select));
    }
    const search = el('input', {
      type: 'search', name: 'q', id: 'filter-q', placeholder: 'id, message, tag…', autocomplete: 'off',
    });
    search.addEventListener('input', () => {
      state.q = search.value;
      update();
    });
    form.append(el('label', { for: 'filter-q', class: 'wide' }, 'Text', search));
    const clear = el('button', { type: 'button', id: 'clear' }, 'Clear filters');
    clear.addEventListener('click', () => {
      state.filters = {};
      state.q = '';
      update();
    });
    form.append(clear);
    form.addEventListener('submit', (e) => e.preventDefault());
  }

  function buildHead() {
    const tr = table.tHead.rows[0];
    tr.append(el('th', { scope: 'col', class: 'toggle' }, el('span', { class: 'visually-hidden' }, 'Details')));
    for (const c of COLUMNS) {
      const button = el('button', { type: 'button', 'data-sort': c.key }, c.label);
      button.addEventListener('click', () => {
        if (state.sort === c.key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
        else {
          state.sort = c.key;
          state.dir = c.key === 'severity' ? 'desc' : 'asc';
        }
        update();
      });
      tr.append(el('th', { scope: 'col', 'data-col': c.key }, button));
    }
  }

  function buildRow(row) {
    const f = row.f;
    const r = res(f);
    const toggle = el('button', {
      type: 'button', class: 'expand', 'aria-expanded': 'false', 'aria-controls': 'detail-' + row.i,
      'aria-label': 'Details of ' + f.rule_id,
    }, '▸');
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      setOpen(row, !state.open.has(f.fingerprint));
      writeHash();
    });
    const statusCell = el('td', { 'data-col': 'status' }, badge('status', status(f)));
    if (f.baseline) statusCell.append(' ', badge('baseline', f.baseline));
    const tr = el('tr', {
      class: f.suppression ? 'finding suppressed' : 'finding', 'data-index': row.i, 'data-severity': f.severity, 'data-fingerprint': f.fingerprint,
    },
    el('td', { class: 'toggle' }, toggle),
    el('td', { 'data-col': 'severity' }, badge('severity', f.severity)),
    el('td', { 'data-col': 'verdict' }, badge('verdict', f.verdict)),
    statusCell,
    el('td', { 'data-col': 'rule' }, el('span', { class: 'mono' }, f.rule_id), el('div', { class: 'sub' }, rule(f) ? rule(f).title : '')),
    el('td', { 'data-col': 'resource', class: 'resource' }, el('span', { class: 'mono' }, r.id || '(unknown resource)'), el('div', { class: 'sub' }, r.kind || '')),
    el('td', { 'data-col': 'account', class: 'mono' }, account(f)),
    el('td', { 'data-col': 'region' }, region(f)),
    el('td', { 'data-col': 'message', class: 'message' }, f.message || ''));
    tr.addEventListener('click', (e) => {
      // A click on a link or a selection of text is not a request to expand.
      if (e.target.closest('a') || String(window.getSelection()) !== '') return;
      toggle.click();
    });
    row.tr = tr;
    return tr;
  }

  function fact(dl, name, ...value) {
    if (value.every((v) => v === null || v === undefined || v === '')) return;
    dl.append(el('div', null, el('dt', null, name), el('dd', null, ...value)));
  }

  function place(loc) {
    if (!loc || typeof loc.file !== 'string') return null;
    return loc.line ? loc.file + ':' + loc.line : loc.file;
  }

  function buildDetail(row) {
    const f = row.f;
    const r = res(f);
    const info = rule(f);
    const box = el('div', { class: 'detail-box' });
    box.append(el('h3', null, el('span', { class: 'mono' }, f.rule_id), ' ', info ? info.title : ''));

    const dl = el('dl', { class: 'facts' });
    fact(dl, 'Message', f.message);
    fact(dl, 'Resource', el('span', { class: 'mono' }, r.id || ''));
    fact(dl, 'Kind', r.kind);
    fact(dl, 'Account', account(f));
    fact(dl, 'Region', region(f));
    fact(dl, 'Declared at', place(r.location));
    fact(dl, 'Plan action', r.plan_action);
    fact(dl, 'Evidence', f.evidence ? el('code', null, f.evidence) : null);
    fact(dl, 'Fingerprint', el('code', null, f.fingerprint || ''));
    if (info) {
      fact(dl, 'Pillar', pillarName(info.pillar) + (info.best_practice ? ' · ' + info.best_practice : ''));
      const sev = info.severity !== f.severity ? f.severity + ' (rule default ' + info.severity + ')' : f.severity;
      fact(dl, 'Severity', sev);
      fact(dl, 'Pack', info.pack);
      if (info.stats) {
        const s = info.stats;
        fact(dl, 'Rule results', s.evaluated + ' evaluated, ' + s.failed + ' failed, ' + s.unknown + ' unknown, ' + s.passed + ' passed');
      }
    }
    if (r.tags && typeof r.tags === 'object') {
      const tags = Object.entries(r.tags).map(([k, v]) => k + '=' + (typeof v === 'string' ? v : JSON.stringify(v)));
      fact(dl, 'Tags', tags.length ? el('span', { class: 'mono' }, tags.join(', ')) : null);
    }
    if (f.suppression) {
      const s = f.suppression;
      const parts = [String(s.kind || 'suppressed') + ': ' + (s.justification || 'no reason given')];
      if (s.owner) parts.push('owner ' + s.owner);
      if (s.expires) parts.push('expires ' + s.expires);
      if (place(s.location)) parts.push('at ' + place(s.location));
      fact(dl, 'Suppressed', parts.join(' · '));
    }
    fact(dl, 'Baseline', f.baseline);
    box.append(dl);

    if (info) {
      const sections = Array.isArray(info.sections) ? info.sections : [];
      const remediation = sections.find((s) => s.title === 'Remediation');
      if (remediation) {
        box.append(el('section', { class: 'remediation' }, el('h4', null, 'Remediation'), markdown(remediation.body)));
      }
      for (const s of sections) {
        if (s === remediation) continue;
        box.append(el('details', { class: 'help' }, el('summary', null, s.title), markdown(s.body)));
      }
      const link = safeLink(info.help_uri, 'Full rule documentation');
      if (link) box.append(el('p', { class: 'doclink' }, link));
    }
    row.detail = el('tr', { class: 'detail', id: 'detail-' + row.i },
      el('td', { colspan: COLUMNS.length + 1 }, box));
    return row.detail;
  }

  function setOpen(row, open) {
    const fp = row.f.fingerprint;
    if (open) state.open.add(fp);
    else state.open.delete(fp);
    if (open && !row.detail) row.tr.after(buildDetail(row));
    if (row.detail) row.detail.hidden = !open || row.tr.hidden;
    row.tr.classList.toggle('open', open);
    row.tr.querySelector('button.expand').setAttribute('aria-expanded', String(open));
  }

  // --- filtering and sorting ----------------------------------------------

  function matches(row) {
    for (const def of FILTERS) {
      const want = state.filters[def.key];
      if (want !== undefined && def.value(row.f) !== want) return false;
    }
    const q = state.q.trim().toLowerCase();
    return q === '' || q.split(/\s+/).every((w) => row.text.includes(w));
  }

  function compare(a, b) {
    const col = COLUMNS.find((c) => c.key === state.sort) || COLUMNS[0];
    const x = col.sort(a.f);
    const y = col.sort(b.f);
    let d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    if (state.dir === 'desc') d = -d;
    // Ties: worst first, then by rule and resource, then the data's order.
    return d || rank(a.f.severity) - rank(b.f.severity) || a.f.rule_id.localeCompare(b.f.rule_id)
      || String(res(a.f).id).localeCompare(String(res(b.f).id)) || a.i - b.i;
  }

  let sortedBy = '';

  function update() {
    // Controls follow the state (it may come from the hash).
    for (const def of FILTERS) {
      const select = form.elements.namedItem(def.key);
      if (select) select.value = state.filters[def.key] || '';
    }
    const search = form.elements.namedItem('q');
    if (search && search.value !== state.q) search.value = state.q;

    // Reordering thousands of rows on every keystroke is slow; only a new
    // sort moves them.
    const order = state.sort + ' ' + state.dir;
    if (order !== sortedBy) {
      for (const row of [...rows].sort(compare)) {
        tbody.append(row.tr);
        if (row.detail) tbody.append(row.detail);
      }
      sortedBy = order;
    }
    let shown = 0;
    for (const row of rows) {
      const visible = matches(row);
      row.tr.hidden = !visible;
      if (row.detail) row.detail.hidden = !visible || !state.open.has(row.f.fingerprint);
      if (visible) shown += 1;
    }
    for (const th of table.tHead.rows[0].cells) {
      const key = th.getAttribute('data-col');
      if (!key) continue;
      if (key === state.sort) th.setAttribute('aria-sort', state.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    count.textContent = shown + ' of ' + rows.length + ' findings';
    active.textContent = describeFilters();
    count.setAttribute('data-shown', shown);
    count.setAttribute('data-total', rows.length);
    writeHash();
  }

  // A click on a chart's bar shows those open findings.
  function linkCharts() {
    for (const key of ['severity', 'pillar', 'account', 'region']) {
      const bars = document.querySelectorAll('#chart-' + key + ' svg g[data-key]');
      for (const g of bars) {
        g.classList.add('link');
        g.addEventListener('click', () => {
          state.filters = { status: 'open', verdict: 'fail' };
          state.filters[key] = g.getAttribute('data-key');
          state.q = '';
          update();
          document.getElementById('findings').scrollIntoView();
        });
      }
    }
  }

  buildFilters();
  buildHead();
  for (const row of rows) tbody.append(buildRow(row));
  readHash();
  for (const row of rows) if (state.open.has(row.f.fingerprint)) setOpen(row, true);
  form.hidden = false;
  table.hidden = false;
  linkCharts();
  update();
  window.addEventListener('hashchange', () => {
    readHash();
    for (const row of rows) setOpen(row, state.open.has(row.f.fingerprint));
    update();
  });
}());
