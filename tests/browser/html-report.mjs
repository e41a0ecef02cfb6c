#!/usr/bin/env node
// Checks a pillar HTML report in Debian's headless Chromium.
//
//   node tests/browser/html-report.mjs REPORT.html SCREENSHOT.png [--hostile TEXT] [--compliance REPORT.json]
//
// Fails (exit 1) on any console error, page error, dialog or network request
// other than the file itself; checks the summary and the "N of M" count
// against the embedded data, the filters, sorting by severity and a row's
// details; takes a full-page screenshot. With --hostile, also checks that
// TEXT (markup planted in the scanned snapshot) is shown as text. Without
// it, a copy of the report with suppression and baseline fields added to
// its data checks that the page renders and filters those.
//
// With --compliance, also checks that the framework view of every framework
// in REPORT.json's `compliance` list renders (totals, chart, per-section and
// per-control tables) with the JSON report's numbers.
//
// tests/e2e/html.rs runs it; `make setup` installs chromium and
// playwright-core (which never downloads a browser of its own here).

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.PILLAR_CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags Chromium phones home (updates,
// field trials, sync), which this test would rightly count as requests.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

class Failure extends Error {}

function check(cond, message) {
  if (!cond) throw new Failure(message);
}

function ok(message) {
  console.log('ok: ' + message);
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new Failure('playwright-core is not installed in tests/browser (run `make setup`): ' + e.message);
  }
}

// Opens the file and records everything the page must never do.
async function open(browser, file, hash = '') {
  const url = pathToFileURL(path.resolve(file)).href;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('request', (r) => {
    if (r.url().split('#')[0] !== url) problems.push('network request: ' + r.url());
  });
  page.on('dialog', (d) => {
    problems.push('dialog opened: ' + d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(url + hash, { waitUntil: 'load' });
  return { page, problems, url };
}

function clean(problems, what) {
  check(problems.length === 0, what + ':\n  ' + problems.join('\n  '));
}

const embedded = (page) => page.evaluate(() => JSON.parse(document.getElementById('pillar-data').textContent));

async function visibleRows(page) {
  return page.$$eval('#findings-table tr.finding:not([hidden])', (trs) => trs.map((tr) => ({
    index: Number(tr.getAttribute('data-index')),
    severity: tr.getAttribute('data-severity'),
    rule: tr.querySelector('[data-col="rule"] .mono').textContent,
    text: tr.textContent,
  })));
}

async function countText(page) {
  return (await page.textContent('#count')).trim();
}

function tally(items, key) {
  const m = {};
  for (const it of items) m[key(it)] = (m[key(it)] || 0) + 1;
  return m;
}

function sameCounts(actual, expected, what) {
  const nonzero = (o) => Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0).sort());
  const a = JSON.stringify(nonzero(actual));
  const e = JSON.stringify(nonzero(expected));
  check(a === e, `${what}: the page shows ${a}, the data says ${e}`);
}

// The Rust-rendered summary against counts computed here from the data.
async function checkSummary(page, data) {
  const open = data.findings.filter((f) => f.verdict === 'fail' && !f.suppression);
  const totals = await page.$$eval('li[data-total]', (lis) => Object.fromEntries(
    lis.map((li) => [li.getAttribute('data-total'), Number(li.querySelector('.n').textContent)])));
  check(totals.open === open.length, `open total ${totals.open}, data ${open.length}`);
  const suppressed = data.findings.filter((f) => f.verdict === 'fail' && f.suppression).length;
  check(totals.suppressed === suppressed, `suppressed total ${totals.suppressed}, data ${suppressed}`);
  const unknown = data.findings.filter((f) => f.verdict === 'unknown').length;
  check(totals.unknown === unknown, `unknown total ${totals.unknown}, data ${unknown}`);
  const keys = {
    severity: (f) => f.severity,
    pillar: (f) => f.pillar,
    account: (f) => (f.resource && f.resource.account) || '(none)',
    region: (f) => (f.resource && f.resource.region) || 'global',
  };
  for (const [chart, key] of Object.entries(keys)) {
    const shown = await page.$$eval(`table.counts[data-chart="${chart}"] tr[data-key]`, (trs) => Object.fromEntries(
      trs.map((tr) => [tr.getAttribute('data-key'), Number(tr.querySelector('[data-count]').getAttribute('data-count'))])));
    sameCounts(shown, tally(open, key), `chart "${chart}"`);
    const bars = await page.locator(`#chart-${chart} svg rect`).count();
    check(bars === Object.keys(shown).length, `chart "${chart}" draws ${bars} bars for ${Object.keys(shown).length} rows`);
  }
  ok(`summary: ${open.length} open, ${suppressed} suppressed, ${unknown} unknown; 4 charts match the data`);

  const banner = await page.locator('#incomplete').count();
  check(banner === (data.complete ? 0 : 1), `incomplete banner shown ${banner}, complete=${data.complete}`);
  if (!data.complete) {
    check(await page.locator('#incomplete').isVisible(), 'the incomplete banner is not visible');
    const gaps = await page.locator('#gaps tbody tr').count();
    check(gaps === data.gaps.length, `${gaps} gap rows for ${data.gaps.length} gaps`);
    ok(`incomplete banner and ${gaps} collection gap(s) shown`);
  }
}

async function checkFilters(page, data) {
  const total = data.findings.length;
  check(await countText(page) === `${total} of ${total} findings`, `count reads "${await countText(page)}"`);
  check((await visibleRows(page)).length === total, 'not every finding has a visible row');
  ok(`count reads "${total} of ${total} findings"`);

  const present = data.severities.filter((s) => data.findings.some((f) => f.severity === s));
  const sev = present.includes('high') ? 'high' : present[0];
  await page.selectOption('#filter-severity', sev);
  const expected = data.findings.filter((f) => f.severity === sev);
  let rows = await visibleRows(page);
  check(rows.length === expected.length && rows.every((r) => r.severity === sev),
    `severity=${sev}: ${rows.length} rows (${[...new Set(rows.map((r) => r.severity))]}), data has ${expected.length}`);
  check(await countText(page) === `${expected.length} of ${total} findings`, `count reads "${await countText(page)}"`);
  ok(`severity filter "${sev}": ${rows.length} of ${total}`);

  // A word of one of those findings' resource ids, which other findings lack.
  const id = expected[0].resource.id;
  const term = id.split(/[/:]/).filter((s) => s.length > 2).pop();
  await page.fill('#filter-q', term);
  rows = await visibleRows(page);
  const needle = term.toLowerCase();
  check(rows.length > 0, `text "${term}" hides every row`);
  for (const r of rows) {
    const f = data.findings[r.index];
    check(f.severity === sev && JSON.stringify(f).toLowerCase().includes(needle),
      `row ${r.index} is shown for text "${term}" but does not match`);
  }
  const mustShow = expected.filter((f) => f.resource && f.resource.id.toLowerCase().includes(needle)).length;
  check(rows.length >= mustShow, `text "${term}": ${rows.length} rows, ${mustShow} resources match`);
  check(await countText(page) === `${rows.length} of ${total} findings`, `count reads "${await countText(page)}"`);
  const said = await page.textContent('#active-filters');
  check(said.includes(`severity ${sev}`) && said.includes(term), `the active filters read "${said}"`);
  ok(`text filter "${term}" with severity: ${rows.length} of ${total}`);

  const hash = await page.evaluate(() => location.hash);
  const params = new URLSearchParams(hash.slice(1));
  check(params.get('severity') === sev && params.get('q') === term, `the hash does not keep the filters: ${hash}`);
  ok(`filters kept in the URL: ${hash}`);
  return { hash, shown: rows.length };
}

async function checkSort(page, data) {
  await page.click('#clear');
  await page.click('th[data-col="rule"] button');
  let rows = await visibleRows(page);
  const ids = rows.map((r) => r.rule);
  check(ids.every((id, i) => i === 0 || ids[i - 1].localeCompare(id) <= 0), 'sorting by rule is out of order');
  const rank = (s) => data.severities.indexOf(s);
  await page.click('th[data-col="severity"] button');
  rows = await visibleRows(page);
  check(rows.length === data.findings.length, 'clearing the filters did not show every row');
  const worstFirst = rows.map((r) => rank(r.severity));
  check(worstFirst.every((n, i) => i === 0 || worstFirst[i - 1] <= n), 'severity descending is not worst first');
  check(await page.getAttribute('th[data-col="severity"]', 'aria-sort') === 'descending', 'aria-sort is not descending');
  await page.click('th[data-col="severity"] button');
  const mildFirst = (await visibleRows(page)).map((r) => rank(r.severity));
  check(mildFirst.every((n, i) => i === 0 || mildFirst[i - 1] >= n), 'severity ascending is not mildest first');
  await page.click('th[data-col="severity"] button');
  ok(`sorted by severity rank both ways (${rows[0].severity} … ${rows[rows.length - 1].severity})`);
}

// A chart's bar is a shortcut to the open findings it counts.
async function checkChartLink(page, data) {
  const sev = data.severities.find((s) => data.findings.some((f) => f.severity === s && f.verdict === 'fail'));
  await page.click(`#chart-severity svg g[data-key="${sev}"] rect`);
  const expected = data.findings.filter((f) => f.severity === sev && f.verdict === 'fail' && !f.suppression).length;
  const rows = await visibleRows(page);
  check(rows.length === expected && rows.every((r) => r.severity === sev),
    `clicking the ${sev} bar shows ${rows.length} rows, not the ${expected} open ${sev} findings`);
  await page.click('#clear');
  ok(`the ${sev} bar shows its ${expected} open findings`);
}

// The first text line of a markdown body, as the page shows it.
function firstLine(body) {
  const line = body.split('\n').map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('```') && !l.startsWith('|')) || '';
  return line.replace(/^(?:[-*]|\d+\.)\s+/, '').replace(/`/g, '').replace(/\*\*/g, '').slice(0, 40);
}

async function checkDetail(page, data) {
  const first = (await visibleRows(page))[0];
  const f = data.findings[first.index];
  await page.click(`tr.finding[data-index="${first.index}"] button.expand`);
  const detail = page.locator(`#detail-${first.index}`);
  check(await detail.isVisible(), 'the expanded row shows no details');
  const text = await detail.textContent();
  const rule = data.rules[f.rule_id];
  const remediation = rule.sections.find((s) => s.title === 'Remediation');
  check(remediation, `${f.rule_id} has no Remediation section in the data`);
  check(await detail.locator('.remediation h4').textContent() === 'Remediation', 'no Remediation heading');
  check(text.includes(firstLine(remediation.body)), `the remediation "${firstLine(remediation.body)}" is not shown`);
  check(text.includes(f.fingerprint), 'the fingerprint is not shown');
  check(!f.evidence || text.includes(f.evidence), 'the evidence pointer is not shown');
  check(text.includes(f.resource.id) && text.includes(f.resource.kind), 'the resource is not shown');
  const link = await detail.locator('.doclink a').getAttribute('href');
  check(link === rule.help_uri, `the documentation link is ${link}`);
  ok(`row ${f.rule_id} on ${f.resource.id} expands to its remediation, evidence and fingerprint`);
}

// The page must show planted markup as text and run none of it.
async function checkHostile(page, hostile) {
  const images = await page.locator('img').count();
  check(images === 0, `${images} <img> element(s) were created from data`);
  await page.fill('#filter-q', hostile);
  const rows = await visibleRows(page);
  check(rows.length > 0, `no row matches the planted text ${hostile}`);
  check(rows.some((r) => r.text.includes(hostile)), 'the planted text is not shown literally in the table');
  await page.click(`tr.finding[data-index="${rows[0].index}"] button.expand`);
  check((await page.locator(`#detail-${rows[0].index}`).textContent()).includes(hostile),
    'the planted text is not shown literally in the details');
  check(await page.evaluate(() => window.pwned === undefined), 'planted script ran');
  ok(`planted markup shown as text in ${rows.length} row(s), nothing ran`);
}

// A copy of the report whose data has the fields mutes and baselines add.
function withFutureFields(file, out) {
  const html = readFileSync(file, 'utf8');
  const re = /(<script type="application\/json" id="pillar-data">)([\s\S]*?)(<\/script>)/;
  const m = html.match(re);
  check(m, 'no pillar-data element in the report');
  const data = JSON.parse(m[2]);
  const target = data.findings.findIndex((f) => f.verdict === 'fail' && !f.suppression);
  data.findings[target].suppression = {
    kind: 'mute', justification: 'accepted until the migration', owner: 'platform-team', expires: '2027-01-31',
  };
  data.findings.forEach((f, i) => { f.baseline = i % 3 === 0 ? 'new' : 'unchanged'; });
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  writeFileSync(out, html.replace(re, (_, a, __, c) => a + json + c));
  return { data, target };
}

async function checkFutureFields(browser, file) {
  const copy = path.join(path.dirname(path.resolve(process.argv[3])), 'report-with-mutes-and-baseline.html');
  const { data, target } = withFutureFields(file, copy);
  const { page, problems } = await open(browser, copy);
  await page.selectOption('#filter-status', 'suppressed');
  let rows = await visibleRows(page);
  const suppressed = data.findings.filter((f) => f.suppression).length;
  check(rows.length === suppressed, `status=suppressed shows ${rows.length}, data has ${suppressed}`);
  await page.click('#clear');
  await page.selectOption('#filter-baseline', 'new');
  rows = await visibleRows(page);
  const fresh = data.findings.filter((f) => f.baseline === 'new').length;
  check(rows.length === fresh && fresh > 0, `baseline=new shows ${rows.length}, data has ${fresh}`);
  await page.click('#clear');
  await page.click(`tr.finding[data-index="${target}"] button.expand`);
  const text = await page.locator(`#detail-${target}`).textContent();
  for (const s of ['mute: accepted until the migration', 'owner platform-team', 'expires 2027-01-31']) {
    check(text.includes(s), `the muted finding's details lack "${s}"`);
  }
  const badge = await page.locator(`tr.finding[data-index="${target}"] .badge.status-suppressed`).count();
  check(badge === 1, 'the muted finding has no "suppressed" badge');
  clean(problems, 'with suppression and baseline fields');
  ok(`suppression {kind, justification, owner, expires} and baseline render and filter (${copy})`);
  await page.close();
}

// On paper: no controls, the summary and the rows as filtered; a PDF next
// to the screenshot shows what a manager would get.
async function checkPrint(page, screenshot) {
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('#filters').isVisible()), 'the filters are printed');
  check(await page.locator('#summary svg').first().isVisible(), 'the charts are not printed');
  const pdf = screenshot.replace(/\.png$/, '') + '.pdf';
  await page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
  const size = statSync(pdf).size;
  check(size > 20000, `the PDF is only ${size} bytes`);
  await page.emulateMedia({ media: 'screen' });
  ok(`print layout hides the controls; PDF ${pdf} (${size} bytes)`);
}

// Without JavaScript the summary still reads and the table says why not.
async function checkWithoutScript(browser, file, data) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.resolve(file)).href);
  const open = data.findings.filter((f) => f.verdict === 'fail' && !f.suppression).length;
  const shown = Number(await page.textContent('li[data-total="open"] .n'));
  check(shown === open, `without JavaScript the summary shows ${shown} open, not ${open}`);
  check(await page.locator('#chart-severity svg').isVisible(), 'without JavaScript the charts are not visible');
  check(await page.locator('noscript p.note').isVisible(), 'without JavaScript there is no note about the table');
  check(!(await page.locator('#findings-table').isVisible()), 'without JavaScript an empty table is shown');
  await context.close();
  ok('without JavaScript: summary and charts shown, the table explains itself');
}

// The framework view against the JSON report of the same scan.
async function checkCompliance(page, data, jsonFile) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const frameworks = report.compliance;
  check(Array.isArray(frameworks) && frameworks.length > 0, 'the JSON report has no compliance section');
  check(JSON.stringify(data.compliance) === JSON.stringify(frameworks), 'the embedded compliance data differs from the JSON report');
  const verdicts = ['pass', 'fail', 'unknown', 'not-checked', 'no-resources', 'manual', 'not-covered'];
  const key = (v) => v.replace('-', '_');
  for (const f of frameworks) {
    const id = f.framework.id;
    const section = page.locator(`section.compliance[data-framework="${id}"]`);
    check(await section.isVisible(), `no visible framework view for ${id}`);
    const heading = await section.locator('h2').textContent();
    check(heading.includes(f.framework.name) && heading.includes(f.framework.version), `heading of ${id}: ${heading}`);
    const totals = await section.locator('.compliance-totals li').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.getAttribute('data-verdict'), Number(li.querySelector('.num').textContent)])));
    check(totals.controls === f.totals.controls, `${id}: ${totals.controls} controls shown, ${f.totals.controls} in JSON`);
    for (const v of verdicts) {
      check(totals[v] === f.totals[key(v)], `${id}: ${v} total ${totals[v]} shown, ${f.totals[key(v)]} in JSON`);
    }
    const chart = section.locator('figure.compliance-chart svg');
    const box = await chart.boundingBox();
    check(box && box.width > 100 && box.height > 20, `${id}: the chart is not drawn (${JSON.stringify(box)})`);
    const bars = await chart.locator('g[data-section]').count();
    check(bars === f.sections.length, `${id}: ${bars} chart rows for ${f.sections.length} sections`);
    const rows = await section.locator('table.compliance-sections tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute('data-section'),
      counts: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-verdict'), Number(td.textContent)])),
    })));
    check(rows.length === f.sections.length + 1, `${id}: ${rows.length} section rows for ${f.sections.length} sections and a total`);
    for (const [i, s] of [...f.sections, { id: '', totals: f.totals }].entries()) {
      check(rows[i].id === s.id, `${id}: section row ${i} is ${rows[i].id}, not ${s.id}`);
      check(rows[i].counts.controls === s.totals.controls, `${id} ${s.id}: controls`);
      for (const v of verdicts) {
        check(rows[i].counts[v] === s.totals[key(v)], `${id} section ${s.id}: ${v} ${rows[i].counts[v]} shown, ${s.totals[key(v)]} in JSON`);
      }
    }
    const controls = await section.locator('table.compliance-controls tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute('data-control'),
      verdict: tr.querySelector('.badge').textContent,
      evaluated: Number(tr.querySelector('[data-col="evaluated"]').textContent),
      failing: Number(tr.querySelector('[data-col="failing"]').textContent),
      unknown: Number(tr.querySelector('[data-col="unknown"]').textContent),
    })));
    check(controls.length === f.controls.length, `${id}: ${controls.length} control rows for ${f.controls.length} controls`);
    for (const [i, c] of f.controls.entries()) {
      const shown = controls[i];
      const same = shown.id === c.id && shown.verdict === c.verdict && shown.evaluated === c.evaluated
        && shown.failing === c.failing && shown.unknown === c.unknown;
      check(same, `${id} control ${c.id}: shown ${JSON.stringify(shown)}, JSON ${JSON.stringify(c)}`);
    }
    ok(`compliance view of ${id}: ${f.totals.controls} controls, ${f.sections.length} sections and the chart match the JSON report`);
  }
}

async function main() {
  const [file, screenshot] = process.argv.slice(2);
  const hostileAt = process.argv.indexOf('--hostile');
  const hostile = hostileAt > 0 ? process.argv[hostileAt + 1] : null;
  const complianceAt = process.argv.indexOf('--compliance');
  const complianceJson = complianceAt > 0 ? process.argv[complianceAt + 1] : null;
  check(file && screenshot, 'usage: html-report.mjs REPORT.html SCREENSHOT.png [--hostile TEXT]');
  const { chromium } = await loadPlaywright();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (e) {
    throw new Failure(`cannot start ${CHROMIUM} (run \`make setup\` to install Debian's chromium): ${e.message}`);
  }
  try {
    const { page, problems } = await open(browser, file);
    const data = await embedded(page);
    check(Array.isArray(data.findings) && data.findings.length > 0, 'the report has no findings to test with');
    await checkSummary(page, data);
    if (complianceJson) await checkCompliance(page, data, complianceJson);
    if (hostile) {
      await checkHostile(page, hostile);
    } else {
      const { hash, shown } = await checkFilters(page, data);
      const again = await open(browser, file, hash);
      const n = (await visibleRows(again.page)).length;
      check(n === shown, `reopening with ${hash} shows ${n} rows, not ${shown}`);
      clean(again.problems, 'reopened with filters in the hash');
      await again.page.close();
      ok('reopening the URL with its hash restores the filters');
      await checkSort(page, data);
      await checkChartLink(page, data);
      await checkDetail(page, data);
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    if (!hostile) await checkPrint(page, screenshot);
    clean(problems, 'while testing the report');
    ok(`no console errors, page errors, dialogs or network requests; screenshot ${screenshot}`);
    if (!hostile) {
      await checkFutureFields(browser, file);
      await checkWithoutScript(browser, file, data);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Failure ? 'FAIL: ' + e.message : e.stack || String(e));
  process.exit(1);
});
