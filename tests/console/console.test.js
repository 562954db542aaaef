// SPDX-License-Identifier: Apache-2.0
// Fleet console in a real browser: a real hcp-hub, 55 simulated kiosks (hcp-fleet-sim) and
// Debian's headless chromium driven by playwright-core. Logs in, sees the fleet, opens a
// kiosk, pushes a configuration that every kiosk then fetches and verifies (hub signature),
// schedules staged updates (one completes, one halts on a rollback with an alert), reads
// the 通报, checks that a viewer cannot push, and saves screenshots to $HCP_SCREENSHOTS.
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const assert = require('assert');
const http_ = require('http');
const { chromium } = require(path.join(process.env.HCP_NODE_MODULES, 'playwright-core'));

const HUB = process.env.HCP_HUB;
const SIM = process.env.HCP_FLEET_SIM;
const UPDATE = process.env.HCP_UPDATE;
const SHOTS = process.env.HCP_SCREENSHOTS;
const KIOSKS = 55;
const SILENT = 2;
const ENROLL = 'console-enroll-token';
const ADMIN = 'console-admin-token';
const children = [];

const T0 = Date.now();
function log(...a) { console.log(`[console-test +${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a); }
function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
function startProcess(cmd, args, readyPattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${path.basename(cmd)} not ready: ${out}`)), timeoutMs);
    const onData = (d) => {
      out += d;
      const m = out.match(readyPattern);
      if (m) { clearTimeout(timer); resolve({ proc: p, match: m }); }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', (d) => { if (process.env.HCP_VERBOSE) process.stderr.write(d); });
    p.on('exit', (code) => reject(new Error(`${path.basename(cmd)} exited ${code}: ${out}`)));
  });
}
async function until(what, fn, timeoutMs = 30000, stepMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}
async function http(base, pathName, { method = 'GET', body, headers = {}, raw } = {}) {
  const r = await fetch(base + pathName, { method, headers: { 'Content-Type': 'application/json', ...headers },
    body: raw !== undefined ? raw : (body !== undefined ? JSON.stringify(body) : undefined) });
  const text = await r.text();
  let json = {};
  try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
  return { status: r.status, json, headers: r.headers };
}

// The console's 通报 rows, drill-down and printable page, the 回访 log and the calendar page
// (issue #12 item 8). Starts on the 差评通报 as the county (li.ops) after the 差评 loop above.
const cstDay = (iso, plusDays) => new Date(Date.parse(iso + 'T00:00:00Z') + plusDays * 86400e3).toISOString().slice(0, 10);
async function reportAndCalendarPages({ page, context, base, db, apiFromPage, shot, uiLogin }) {

  // 通报: a tab per row dimension, each with every measure, figures as the API computes them.
  const month = (await apiFromPage('grievance/report?period=month&from=2026-11-28', 'GET')).json;
  const dims = [['departments', 'greport-depts'], ['halls', 'greport-halls'], ['areas', 'greport-areas'], ['staff', 'greport-staff'],
    ['tasks', 'greport-tasks'], ['channels', 'greport-channels']];
  assert.strictEqual(await page.locator('#greport-tabs button').count(), dims.length);
  for (const [field, table] of dims) {
    await page.click(`#greport-tabs button[data-tab="${field}"]`);
    await page.waitForSelector(`#${table}:visible`);
    const heads = await page.locator(`#${table} thead th`).allTextContents();
    for (const h of ['评价数', '好评率', '差评率', '评价率', '差评整改率', '按期整改率', '回访率', '申诉数', '不予采纳', '默认评价', '主要差评原因'])
      assert.ok(heads.includes(h), `${field}: column ${h}`);
    assert.ok(month[field].length > 0, `${field} rows`);
    assert.strictEqual(await page.locator(`#${table} tbody tr[data-key]`).count(), month[field].length, field);
    for (const r of month[field]) {
      const cells = await page.locator(`#${table} tbody tr[data-key="${r.key}"] td`).allTextContents();
      assert.ok(cells[0].includes(r.name), `${field} ${r.key} named ${r.name}`);
      assert.strictEqual(cells[1], String(r.ratings), `${field} ${r.key} ratings`);
      assert.ok(cells[2].startsWith(r.ratings ? (r.goodRate * 100).toFixed(1) + '%' : '—'), `${field} ${r.key} 好评率 ${cells[2]}`);
      assert.ok(cells[3].startsWith(r.ratings ? (r.badRate * 100).toFixed(1) + '%' : '—'), `${field} ${r.key} 差评率 ${cells[3]}`);
      if (field === 'channels') assert.strictEqual(cells[4], '—', 'a channel has no 评价率');
    }
  }
  assert.match(await page.textContent('#greport-channels tbody'), /[\u4e00-\u9fa5]/, 'channels are named');
  await page.click('#greport-tabs button[data-tab="areas"]');
  await shot('21-greport-areas');
  // Drill-down from a count: the department's 差评, then a channel's ratings, then the county's 不予采纳.
  await page.click('#greport-tabs button[data-tab="departments"]');
  const dept = month.departments.find((d) => d.key === '11110105MB00000001');
  const drillCount = async (selector, expected, pattern) => {
    await page.click(selector);
    await page.waitForFunction(([n, p]) => !document.querySelector('#greport-drill').hidden
      && document.querySelectorAll('#greport-evals tbody tr').length === n
      && new RegExp(p).test(document.querySelector('#greport-drill-title').textContent), [expected, pattern]);
  };
  await drillCount(`#greport-depts tr[data-key="${dept.key}"] a[data-measure="bad"]`, dept.bad, `差评（${dept.bad} 条）`);
  const levels = await page.locator('#greport-evals tbody td:nth-child(3)').allTextContents();
  assert.ok(levels.every((l) => /^[12] 分$/.test(l)), 'the 差评 drill lists ratings of 2 and 1: ' + levels);
  await shot('22-greport-drill');
  const channel = month.channels[0];
  await page.click('#greport-tabs button[data-tab="channels"]');
  await drillCount(`#greport-channels tr[data-key="${channel.key}"] a[data-measure="ratings"]`, channel.ratings, `评价（${channel.ratings} 条）`);
  await drillCount('#greport-overall-drill a[data-measure="excluded"]', 1, '不予采纳（1 条）');
  assert.match(await page.textContent('#greport-evals tbody'), /不予采纳，不计入/);
  // Top 差评 reasons and the questionnaire answers.
  assert.ok(month.reasons.length > 0 && month.questionnaire.length > 0, 'the simulated ratings carry reasons and answers');
  for (const r of month.reasons.slice(0, 10))
    assert.match(await page.textContent(`#greport-reasons li[data-code="${r.code}"]`), new RegExp(`${r.count} 次`));
  assert.strictEqual(await page.locator('#greport-questionnaire .question').count(), month.questionnaire.length);
  await page.locator('#greport-reasons').scrollIntoViewIfNeeded();
  await shot('23-greport-reasons');

  // The printable 通报 opens in its own tab: every dimension, no navigation, and a PDF.
  const [print] = await Promise.all([context.waitForEvent('page'), page.click('#greport-print')]);
  await print.waitForSelector('body[data-print-ready]');
  for (const [field] of dims)
    assert.strictEqual(await print.locator(`#gprint-sections table[data-dimension="${field}"] tbody tr[data-key]`).count(), month[field].length, 'print ' + field);
  assert.match(await print.textContent('#gprint-range'), /2026-11-01 至 2026-11-30/);
  assert.match(await print.textContent('#gprint-title'), /差评通报（月度）/);
  await print.emulateMedia({ media: 'print' });
  const printed = await print.evaluate(() => ({ topbar: getComputedStyle(document.querySelector('.topbar')).display,
    button: document.querySelector('#gprint-print').getClientRects().length,
    sections: [...document.querySelectorAll('#gprint-sections table')].filter((t) => t.getBoundingClientRect().height > 0).length,
    text: document.querySelector('#view-gprint').innerText }));
  assert.strictEqual(printed.topbar, 'none', 'no navigation on paper');
  assert.strictEqual(printed.button, 0, 'no print button on paper');
  assert.strictEqual(printed.sections, dims.length);
  for (const word of ['部门', '大厅', '乡镇（街道）/村', '工作人员', '服务事项', '评价渠道', '主要差评原因', '调查问卷', dept.name])
    assert.ok(printed.text.includes(word), 'printed: ' + word);
  await print.screenshot({ path: path.join(SHOTS, '24-greport-print.png'), fullPage: true });
  const pdf = await print.pdf({ format: 'A4', landscape: true, printBackground: true });
  const pdfText = pdf.toString('latin1');
  assert.ok(pdfText.startsWith('%PDF-'), 'a PDF');
  const pages = (pdfText.match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 20, `the PDF has ${pages} pages`);
  fs.writeFileSync(path.join(SHOTS, '24-greport-print.pdf'), pdf);
  await print.close();
  log(`通报: ${dims.length} row tabs checked against the API, drill-downs, print page (${pages} PDF pages)`);

  // 回访 log: the county's list with its filters (department, period, result, method).
  await page.click('nav a[data-view="followups"]');
  await page.waitForSelector('#followups-table tbody tr');
  const all = (await apiFromPage('grievance/followups', 'GET')).json.followUps;
  assert.ok(all.length >= 1, 'the walked file has its 回访');
  assert.strictEqual(await page.locator('#followups-table tbody tr').count(), all.length);
  const visit = all.find((v) => v.method === '电话' && v.result === '满意');
  assert.ok(visit && visit.deptCode === '11110105MB00000001', 'the handler\'s 电话 回访');
  assert.match(await page.textContent(`#followups-table tr[data-followup="${visit.id}"]`), /电话.*满意.*zhao\.dept.*群众表示满意/);
  const filter = async (fields, expected) => {
    for (const id of ['dept', 'from', 'to']) await page.fill('#followups-' + id, fields[id] || '');
    await page.selectOption('#followups-result', fields.result || '');
    await page.selectOption('#followups-method', fields.method || '');
    await page.click('#followups-apply');
    await page.waitForFunction((n) => document.querySelectorAll('#followups-table tbody tr').length === n
      && document.querySelector('#followups-empty').hidden === (n > 0), expected);
  };
  await filter({ result: '不满意' }, 0);
  await filter({ dept: '11110105MB00000002' }, 0);
  await filter({ from: visit.visitDate, to: visit.visitDate, dept: '11110105MB00000001', method: '电话', result: '满意' }, 1);
  await shot('25-followups');
  await filter({ to: cstDay(visit.visitDate, -1) }, 0);
  await filter({ method: '追评' }, all.filter((v) => v.method === '追评').length);
  // As an anonymous client and as a handler of another department, through the API.
  const anonymous = await http(base, '/console/api/grievance/followups?dept=11110105MB00000001');
  assert.strictEqual(anonymous.status, 401);
  assert.ok(!anonymous.json.followUps, 'nothing for an anonymous client');
  run(HUB, ['--db', db, 'add-user', 'qian.dept', 'handler', '11110105MB00000002'], 'pass-qian.dept-2026\n');
  const qian = await fetch(base + '/console/api/login', { method: 'POST', body: JSON.stringify({ user: 'qian.dept', password: 'pass-qian.dept-2026' }) });
  assert.strictEqual(qian.status, 200);
  const qianCookie = qian.headers.get('set-cookie').split(';')[0];
  const asQian = (q) => http(base, '/console/api/grievance/followups' + q, { headers: { Cookie: qianCookie } });
  const own = await asQian('');
  assert.strictEqual(own.status, 200);
  assert.ok(own.json.followUps.every((v) => v.deptCode === '11110105MB00000002'), 'only its department');
  assert.ok(!own.json.followUps.some((v) => v.id === visit.id), 'not the other department\'s 回访');
  assert.strictEqual((await asQian('?dept=11110105MB00000001')).status, 403);
  assert.strictEqual((await asQian('?result=很好')).status, 400);
  // The department's handler has the page too, without the department filter, its own rows only.
  await uiLogin('zhao.dept', '部门办理');
  await page.click('nav a[data-view="followups"]');
  await page.selectOption('#followups-method', ''); // the filters above stay in the form
  await page.click('#followups-apply');
  await page.waitForSelector(`#followups-table tr[data-followup="${visit.id}"]`);
  assert.ok(await page.isHidden('#followups-dept-label'), 'a handler has no department filter');
  const deptNames = await page.locator('#followups-table tbody td:nth-child(4)').allTextContents();
  assert.ok(deptNames.every((d) => d === '区公安分局'), 'its department only: ' + deptNames);
  log(`回访 log: ${all.length} 回访 listed, filters applied; anonymous 401, another department's handler 403`);

  // 节假日 (admin): the years held with their days off and make-up days, next year's missing
  // notice as a warning, a malformed upload refused with the hub's Chinese reasons, a good one listed.
  await uiLogin('zhang.admin', '管理员');
  await page.click('nav a[data-view="calendar"]');
  await page.waitForSelector('#calendar-years tbody tr[data-year]');
  const before = (await apiFromPage('calendar', 'GET')).json;
  assert.strictEqual(await page.locator('#calendar-years tbody tr[data-year]').count(), before.years.length);
  const y2026 = before.years.find((y) => y.year === 2026);
  await page.click('#calendar-years tr[data-year="2026"]');
  await page.waitForSelector('#calendar-off li[data-date="2026-10-01"]');
  assert.strictEqual(await page.locator('#calendar-off li').count(), y2026.holidays);
  assert.strictEqual(await page.locator('#calendar-work li').count(), y2026.makeUpDays);
  assert.match(await page.textContent('#calendar-days-title'), new RegExp(`放假 ${y2026.holidays} 天，调休上班 ${y2026.makeUpDays} 天`));
  // The shipped 2027 file is empty: the hub warns (next year from 1 November, or at once in 2027).
  const alert2027 = before.alerts.find((a) => a.year === 2027);
  assert.ok(alert2027, 'an alert for the empty 2027 notice');
  assert.match(await page.textContent('#calendar-alerts [data-year="2027"]'), /2027 年节假日安排/);
  assert.ok(await page.isVisible('#calendar-upload'), 'an admin has the upload form');
  await shot('26-calendar');
  const upload = async (doc) => {
    await page.fill('#calendar-year', '2027');
    await page.setInputFiles('#calendar-file', { name: '2027.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.click('#calendar-submit');
  };
  const day = (date, name, off = true) => ({ name, date, isOffDay: off });
  await upload({ year: 2027, papers: [], days: [day('2027-01-01', '元旦'), day('2027-01-01', '元旦'), day('2027-09-29', '国庆节', false)] });
  await page.waitForSelector('#calendar-result.bad');
  assert.match(await page.textContent('#calendar-result'), /2027 年节假日文件未通过校验/);
  const problems = await page.locator('#calendar-problems li').allTextContents();
  assert.ok(problems.some((p) => /重复/.test(p) && p.includes('2027-01-01')), 'the duplicate date named: ' + problems);
  assert.ok(problems.some((p) => p.includes('2027-09-29')), 'the weekday make-up day named: ' + problems);
  await shot('27-calendar-refused');
  assert.strictEqual((await apiFromPage('calendar', 'GET')).json.years.find((y) => y.year === 2027).holidays, 0, 'nothing stored');
  const good = { year: 2027, papers: [], days: [day('2027-01-01', '元旦'), day('2027-01-02', '元旦'), day('2027-01-03', '元旦'),
    ...['06', '07', '08', '09', '10', '11', '12'].map((d) => day(`2027-02-${d}`, '春节')), day('2027-02-20', '春节', false),
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => day(`2027-10-${d}`, '国庆节')), day('2027-09-26', '国庆节', false), day('2027-10-09', '国庆节', false)] };
  await upload(good);
  await page.waitForSelector('#calendar-result.ok');
  assert.match(await page.textContent('#calendar-result'), /2027 年节假日安排已保存，已签名发布第 \d+ 版/);
  await page.waitForFunction(() => /17/.test(document.querySelector('#calendar-years tr[data-year="2027"]').textContent));
  const after = (await apiFromPage('calendar', 'GET')).json;
  const y2027 = after.years.find((y) => y.year === 2027);
  assert.deepStrictEqual([y2027.holidays, y2027.makeUpDays, y2027.source, y2027.actor], [17, 3, 'upload', 'zhang.admin']);
  assert.ok(!after.alerts.some((a) => a.year === 2027), 'the warning is gone');
  assert.strictEqual(await page.locator('#calendar-alerts [data-year="2027"]').count(), 0);
  assert.strictEqual(await page.locator('#calendar-work li').count(), 3, 'the uploaded year is shown');
  assert.match(await page.textContent('#calendar-audit'), /zhang\.admin/);
  await shot('28-calendar-uploaded');
  log(`节假日: ${before.years.length} years listed, malformed 2027 refused (${problems.length} problems), good 2027 stored and published`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-console-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  const db = path.join(dir, 'hub.sqlite');

  // Release key and two signed bundles (1.1.0 registered by the CLI, 1.2.0 uploaded by an admin).
  run(UPDATE, ['keygen', path.join(dir, 'release.pem')]);
  const releasePub = path.join(dir, 'release.pub');
  for (const v of ['1.1.0', '1.2.0']) {
    const tree = path.join(dir, 'tree-' + v, 'bin');
    fs.mkdirSync(tree, { recursive: true });
    fs.writeFileSync(path.join(tree, 'hcp-kiosk'), `#!/bin/sh\necho ${v}\n`);
    run(UPDATE, ['build', '--key', path.join(dir, 'release.pem'), '--version', v, '--device-class', 'hcp-kiosk-amd64',
      path.dirname(tree), path.join(dir, v + '.bundle')]);
  }
  for (const [name, role] of [['zhang.admin', 'admin'], ['li.ops', 'maintainer'], ['wang.view', 'viewer']])
    run(HUB, ['--db', db, 'add-user', name, role], `pass-${name}-2026\n`);
  // A department handler of 区公安分局 (the simulated kiosks' 差评 of deptCode …01).
  run(HUB, ['--db', db, 'add-user', 'zhao.dept', 'handler', '11110105MB00000001'], 'pass-zhao.dept-2026\n');
  log(run(HUB, ['--db', db, '--release-key', releasePub, 'add-bundle', path.join(dir, '1.1.0.bundle')]).trim());

  // A small provincial platform for the 上报省平台 view: answers every evaluate request with a
  // per-record list, rejecting every 5th record with the province's message while `rejecting`
  // (the records are SM2-encrypted for its key; the C++ mock in tests/integration/upstream
  // checks signature and encryption, this one only plays the answers). The pull paths answer
  // "not enabled", which the view shows as the pull error.
  const province = { rejecting: true, seen: 0, requests: 0 };
  const provinceServer = http_.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      province.requests++;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      // 整改反馈 and 申诉 records of the 差评 loop (UPSTREAM.md [I]): one per request, stored.
      const grievancePart = { '/hcp/reply': 'reply', '/hcp/appeal': 'appeal' }[req.url];
      if (grievancePart) {
        const sent = ((JSON.parse(data).txnBodyCom || {}).params || {})[grievancePart] || [];
        province[grievancePart] = (province[grievancePart] || 0) + sent.length;
        res.end(JSON.stringify({ code: '0', success: 'true', msg: '成功', data: sent.map(() => ({ code: '0', msg: '保存成功' })) }));
        return;
      }
      if (req.url !== '/hcp/evaluate') {
        res.end(JSON.stringify({ code: '1', success: 'false', msg: '接口未开通' }));
        return;
      }
      const records = ((JSON.parse(data).txnBodyCom || {}).params || {}).evaluate || [];
      const results = records.map(() => {
        province.seen++;
        return province.rejecting && province.seen % 5 === 0
          ? { code: 'E102', msg: '办件编号在省平台不存在，请核对后重报' } : { code: '0', msg: '保存成功' };
      });
      res.end(JSON.stringify({ code: '0', success: 'true', msg: '成功', data: results }));
    });
  });
  await new Promise((r) => provinceServer.listen(0, '127.0.0.1', r));
  run(UPDATE, ['keygen', path.join(dir, 'province.pem')]);
  const profile = path.join(dir, 'province.json');
  fs.writeFileSync(profile, JSON.stringify({ name: 'console-test', endpoint: `http://127.0.0.1:${provinceServer.address().port}`,
    evaluatePath: '/hcp/evaluate', normPath: '/hcp/getnorm', rectificationPath: '/hcp/rectifications',
    appMark: 'HCP-HUB-110105', appWord: 'console-test-word', sign: 'sm2-encrypt', cipher: 'sm2',
    platformPublicKey: 'province.pub', areaCode: '110105000000', dataSource: '111', projectNoPrefix: '',
    duplicateMessages: ['本次服务已存在评价'], timeoutMs: 5000, batchSize: 20, backoffBaseMs: 200, backoffCapMs: 2000,
    pollIntervalMs: 300, leaseMs: 0, pullIntervalS: 3600 }));

  const { match } = await startProcess(HUB, ['--listen', '127.0.0.1:0', '--db', db, '--enroll-token', ENROLL,
    '--admin-token', ADMIN, '--login-rate', '1000', '--heartbeat-interval', '2', '--release-key', releasePub, '--upstream-profile', profile],
    /listening on [0-9.]+:(\d+)/, 15000);
  const base = `http://127.0.0.1:${match[1]}`;
  log('hub at', base);
  const health = await http(base, '/v1/health');
  assert.strictEqual(health.status, 200);
  assert.strictEqual(health.json.db, 'ok');

  // Cases give the 通报 its department and staff names (synthetic).
  const staff = ['王芳', '张伟', '刘洋', '陈静', '杨磊', '赵敏'];
  const depts = ['区公安分局', '区市场监管局', '区人社局', '区民政局'];
  const cases = [];
  // One case per simulated kiosk and rating (each kiosk rates its own cases: no 同一办件重复评价).
  for (let p = 0; p < KIOSKS; p++) for (let i = 1; i <= 3; i++)
    cases.push({ projectNo: `SIM${String(p).padStart(4, '0')}${i}`, serviceNumber: 1, userName: '李华', hallCode: '110105000000',
      resultDate: '2026-11-28 09:20:00', deptName: depts[p % 4], deptCode: `11110105MB0000000${p % 4 + 1}`, staffName: staff[p % 6],
      staffNo: `S00${p % 6 + 1}`, serviceName: '居民身份证换领', taskName: '居民身份证换领' });
  assert.strictEqual((await http(base, '/v1/admin/cases', { method: 'POST', body: { cases }, headers: { Authorization: 'Bearer ' + ADMIN } })).status, 200);

  const t0 = Date.now();
  await startProcess(SIM, ['--hub', base, '--count', String(KIOSKS), '--silent', String(SILENT), '--enroll-token', ENROLL,
    '--interval-ms', '1000', '--fail-device', 'KIOSK-SIM-003'], /fleet-sim: ready (\d+)/, 30000);
  log(`${KIOSKS} kiosks enrolled and reporting in ${Date.now() - t0} ms`);

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 }, locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const shot = async (name) => { await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true }); };
    const apiFromPage = (p, method, body) => page.evaluate(async ([p, method, body]) => {
      const r = await fetch('/console/api/' + p, { method, headers: { 'Content-Type': 'application/json', 'X-HCP-Console': '1' },
        body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, json: await r.json().catch(() => ({})) };
    }, [p, method, body]);

    // Login: wrong password refused, then the maintainer.
    await page.goto(base + '/console');
    await page.waitForSelector('#login-form');
    await shot('01-login');
    await page.fill('#login-user', 'li.ops');
    await page.fill('#login-password', 'wrong-password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    await page.fill('#login-password', 'pass-li.ops-2026');
    await page.click('#login-submit');

    // The fleet: >= 50 kiosks, the silent ones overdue.
    await page.waitForFunction((n) => document.querySelectorAll('#kiosk-table tbody tr').length >= n, KIOSKS);
    const rows = await page.locator('#kiosk-table tbody tr').count();
    assert.ok(rows >= 50, `only ${rows} kiosks listed`);
    await page.waitForFunction((n) => /在线 (\d+)/.test(document.querySelector('#count-online').textContent)
      && Number(document.querySelector('#count-online').textContent.match(/(\d+)/)[1]) >= n, KIOSKS - SILENT);
    await page.waitForFunction((n) => Number(document.querySelector('#count-overdue').textContent.match(/(\d+)/)[1]) >= n, SILENT, { timeout: 15000 });
    assert.strictEqual(await page.textContent('#who-role'), '运维');
    await shot('02-kiosks');
    log('browser up, logged in');
    log(`console lists ${rows} kiosks`);

    // Detail page with the heartbeat chart; send a test print.
    await page.click('#kiosk-table tbody tr[data-id="KIOSK-SIM-006"]');
    await page.waitForSelector('#history-chart polyline');
    await page.waitForFunction(() => document.querySelectorAll('#detail-facts dt').length > 10);
    assert.match(await page.textContent('#detail-facts'), /时钟偏差/);
    await page.click('#detail-commands button[data-command="test_print"]');
    await page.waitForSelector('#command-result.ok');
    await page.waitForFunction(() => /打印测试页/.test(document.querySelector('#detail-command-list').textContent));
    await shot('03-kiosk-detail');

    // Push a configuration: an invalid one is refused with the reason, a valid one is signed
    // and every reporting kiosk fetches it, verifies the hub signature and reports its version.
    await page.click('nav a[data-view="config"]');
    await page.waitForSelector('#config-scope option', { state: 'attached' });
    await page.selectOption('#config-scope', 'default');
    await page.selectOption('#config-part', 'kiosk');
    await page.waitForSelector('#config-editor:not([data-loading])');
    await page.fill('#config-editor', JSON.stringify({ hallName: '朝阳区政务服务中心', idleTimeoutSeconds: 5 }));
    await page.click('#config-push');
    await page.waitForSelector('#config-result.bad');
    assert.match(await page.textContent('#config-result'), /idleTimeoutSeconds/);
    await page.fill('#config-editor', JSON.stringify({ hallName: '朝阳区政务服务中心', idleTimeoutSeconds: 90, countdownSeconds: 10,
      hotline: '12345', phrases: ['工作人员很耐心', '办事效率高'] }, null, 2));
    // Preview first: every reporting kiosk is listed with what would change, nothing is published.
    await page.click('#config-preview');
    await page.waitForSelector('#config-diff:not([hidden]) #config-diff-rows tr');
    assert.match(await page.textContent('#config-diff-summary'), /涉及 \d+ 台终端/);
    assert.match(await page.textContent('#config-diff-rows'), /kiosk\.idleTimeoutSeconds/);
    assert.match(await page.textContent('#config-result'), /校验通过（尚未推送）/);
    await shot('04a-config-preview');
    await page.click('#config-push');
    // The preview already left the note "ok": wait for the published version itself.
    await page.waitForFunction(() => /版本 \d+/.test(document.querySelector('#config-result').textContent));
    const version = (await page.textContent('#config-result')).match(/版本 (\d+)/)[1];
    await page.waitForFunction((v) => document.querySelector('#config-history').textContent.includes('li.ops'), version);
    await shot('04-config');
    await until(`every kiosk on config ${version}`, async () => {
      const { json } = await apiFromPage('kiosks', 'GET');
      const active = json.kiosks.filter((k) => k.lastHeartbeatAtMs);
      const bad = active.filter((k) => k.configRejected);
      if (bad.length) throw new Error('rejected: ' + bad[0].configRejected);
      return active.length === KIOSKS - SILENT && active.every((k) => k.configVersion === version);
    });
    log(`config ${version} signed, fetched and verified by ${KIOSKS - SILENT} kiosks`);

    // Bundles: an admin uploads 1.2.0; a maintainer may not.
    const login = async (user) => {
      const r = await fetch(base + '/console/api/login', { method: 'POST', body: JSON.stringify({ user, password: `pass-${user}-2026` }) });
      assert.strictEqual(r.status, 200);
      return r.headers.get('set-cookie').split(';')[0];
    };
    const adminCookie = await login('zhang.admin');
    const bundleBytes = fs.readFileSync(path.join(dir, '1.2.0.bundle'));
    const upload = (cookie) => http(base, '/console/api/bundles', { method: 'POST', raw: bundleBytes,
      headers: { Cookie: cookie, 'X-HCP-Console': '1', 'Content-Type': 'application/octet-stream' } });
    assert.strictEqual((await upload(await login('li.ops'))).status, 403);
    const uploaded = await upload(adminCookie);
    assert.strictEqual(uploaded.status, 201, JSON.stringify(uploaded.json));
    const tampered = Buffer.from(bundleBytes);
    tampered[tampered.length - 1] ^= 1;
    const refused = await http(base, '/console/api/bundles', { method: 'POST', raw: tampered,
      headers: { Cookie: adminCookie, 'X-HCP-Console': '1' } });
    assert.strictEqual(refused.status, 422);
    assert.match(refused.json.message, /hash-mismatch/);

    // Staged rollout of 1.1.0 to one hall (18 kiosks): 10 % -> 50 % -> 100 %, each stage
    // only after the previous one reported healthy.
    await page.click('nav a[data-view="updates"]');
    await page.waitForSelector('#rollout-bundle option', { state: 'attached' });
    await page.selectOption('#rollout-bundle', 'hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle');
    await page.selectOption('#rollout-target', 'hall:110105001000');
    await page.fill('#rollout-stages', '10,50,100');
    await page.click('#rollout-start');
    await page.waitForSelector('#rollout-result.ok');
    const first = await until('rollout 1 created', async () => (await apiFromPage('rollouts', 'GET')).json.rollouts[0]);
    assert.strictEqual(first.devices.length, 18);
    assert.strictEqual(first.counts.pending, 16, 'only the first 10 % (2 kiosks) get the command at once');
    const seenStages = new Set();
    const done = await until('rollout 1 done', async () => {
      const r = (await apiFromPage('rollouts', 'GET')).json.rollouts.find((x) => x.id === first.id);
      seenStages.add(r.currentStage);
      // Never a later stage's kiosk busy while an earlier stage is not healthy yet.
      for (const d of r.devices) if (d.stage > r.currentStage) assert.strictEqual(d.state, 'pending');
      return r.state === 'done' && r;
    }, 60000, 200);
    assert.deepStrictEqual([...seenStages].sort(), [0, 1, 2]);
    assert.strictEqual(done.counts.healthy, 18);
    await page.waitForSelector(`.rollout[data-rollout="${first.id}"] .pill.ok`);
    await shot('05-updates');
    log('staged rollout 1 completed through 3 stages');

    // Rollout of 1.2.0 to a hall whose first stage holds a kiosk that rolls back: halted, alert.
    await page.reload();
    await page.waitForSelector('#rollout-bundle option[value="hcp-kiosk-1.2.0-hcp-kiosk-amd64.bundle"]', { state: 'attached' });
    await page.selectOption('#rollout-bundle', 'hcp-kiosk-1.2.0-hcp-kiosk-amd64.bundle');
    await page.selectOption('#rollout-target', 'hall:110105002000');
    await page.click('#rollout-start');
    await page.waitForSelector('#rollout-result.ok');
    await page.waitForSelector('.rollout .pill.bad', { timeout: 30000 });
    const halted = (await apiFromPage('rollouts', 'GET')).json.rollouts[0];
    assert.strictEqual(halted.state, 'halted');
    assert.match(halted.reason, /KIOSK-SIM-003/);
    assert.ok(halted.devices.filter((d) => d.state !== 'pending').every((d) => d.stage === 0), 'halted before stage 2');
    await shot('06-rollout-halted');
    await page.click('nav a[data-view="alerts"]');
    await page.waitForFunction(() => /升级 1\.2\.0 已暂停/.test(document.querySelector('#alert-table').textContent));
    await shot('07-alerts');
    log('rollout 2 halted on a rollback, alert shown');
    // The operator cancels the halted rollout.
    await page.click('nav a[data-view="updates"]');
    await page.click(`.rollout[data-rollout="${halted.id}"] button[data-action="cancel"]`);
    await page.waitForFunction((id) => /已取消/.test(document.querySelector(`.rollout[data-rollout="${id}"]`).textContent), halted.id);

    // 通报.
    await page.click('nav a[data-view="report"]');
    await page.waitForSelector('#level-chart rect');
    await page.waitForFunction(() => document.querySelectorAll('#staff-table tbody tr').length >= 6);
    assert.match(await page.textContent('#staff-table'), /王芳/);
    assert.match(await page.textContent('#report-total'), /共 \d+ 条评价/);
    await shot('08-report');

    // 上报省平台: counts, the province's rejections as dead letters with its message, requeue.
    await page.click('nav a[data-view="upstream"]');
    await page.waitForSelector('#up-delivered');
    const stored = (await apiFromPage('kiosks', 'GET')).json.kiosks.reduce((n, k) => n + k.evaluations, 0);
    assert.ok(stored >= KIOSKS, `the hub stored ${stored} evaluations`);
    const up = await until('upstream settled with dead letters', async () => {
      const u = (await apiFromPage('upstream', 'GET')).json;
      return u.enabled && u.counts.dead > 0 && u.counts.pending === 0 && u.counts.sending === 0
        && u.counts.delivered + u.counts.dead >= stored && u;
    }, 60000, 300);
    assert.strictEqual(up.counts.delivered + up.counts.dead, stored, 'every evaluation reached the province once');
    const reasons = [...new Set(up.deadLetters.map((d) => d.code + ' ' + d.reason))];
    assert.deepStrictEqual(reasons, ['E102 办件编号在省平台不存在，请核对后重报'], 'only the province rejected records');
    assert.match(up.pull.error, /接口未开通/);
    await page.waitForFunction((n) => document.querySelectorAll('#dead-table tbody tr').length === n, up.counts.dead);
    assert.match(await page.textContent('#dead-table'), /办件编号在省平台不存在/);
    assert.match(await page.textContent('#up-dead'), new RegExp('死信 ' + up.counts.dead));
    assert.match(await page.textContent('#upstream-pull'), /接口未开通/);
    await shot('11-upstream');
    // Per record on the kiosk page: the dead letter's kiosk shows it with the province's message.
    const deadOne = up.deadLetters[0];
    await page.click(`#dead-table tr[data-evaluation="${deadOne.evaluationId}"] a`);
    await page.waitForSelector(`#detail-upstream tr[data-evaluation="${deadOne.evaluationId}"] .pill.bad`);
    assert.match(await page.textContent(`#detail-upstream tr[data-evaluation="${deadOne.evaluationId}"]`), /E102/);
    await shot('12-kiosk-upstream');
    // The province fixed its register: requeue one, then the rest; all are delivered.
    province.rejecting = false;
    await page.click('nav a[data-view="upstream"]');
    await page.click(`#dead-table tr[data-evaluation="${deadOne.evaluationId}"] button[data-action="requeue"]`);
    await page.waitForSelector('#upstream-result.ok');
    await until('requeued letter delivered', async () => {
      const u = (await apiFromPage('upstream', 'GET')).json;
      return u.counts.dead === up.counts.dead - 1 && u.counts.pending === 0 && u.counts.sending === 0;
    }, 30000, 300);
    await page.click('#upstream-requeue-all');
    await until('all delivered', async () => (await apiFromPage('upstream', 'GET')).json.counts.delivered === stored, 30000, 300);
    await page.waitForSelector('#dead-empty:not([hidden])', { timeout: 15000 });
    log(`upstream: ${up.counts.dead} dead letters shown with the province's message, requeued and delivered`);

    // 差评 loop: the simulated kiosks' 差评 became case files; a department handler takes one from
    // 待核实 to 办结 (with the 书面说明 its missed deadlines require), appeals the other, and the
    // county decides the appeal 不予采纳; the 差评通报 then leaves that rating out.
    const uiLogin = async (user, roleName) => {
      await page.click('#logout');
      await page.waitForSelector('#login-form');
      await page.fill('#login-user', user);
      await page.fill('#login-password', `pass-${user}-2026`);
      await page.click('#login-submit');
      await page.waitForSelector(`#who-role:text("${roleName}")`);
    };
    const cstDate = (plusDays) => new Date(Date.now() + 8 * 3600e3 + plusDays * 86400e3).toISOString().slice(0, 10);
    await uiLogin('zhao.dept', '部门办理');
    await page.waitForSelector('#files-table tbody tr');
    assert.ok(await page.isHidden('nav a[data-view="kiosks"]'), 'a handler has no fleet pages');
    const deptFiles = (await apiFromPage('grievance/files', 'GET')).json.files;
    assert.ok(deptFiles.length >= 2, `handler sees ${deptFiles.length} files`);
    assert.ok(deptFiles.every((f) => f.deptCode === '11110105MB00000001'), 'only its department');
    assert.ok(deptFiles.every((f) => f.overdue), 'the simulated 差评 of 2026-11-28 are past their contact deadline');
    await page.waitForFunction((n) => document.querySelectorAll('#files-table tbody tr.overdue').length === n, deptFiles.length);
    await shot('13-files-handler');
    const [walked, appealed] = [...deptFiles].sort((a, b) => a.id - b.id);
    await page.click(`#files-table tr[data-file="${walked.id}"] a`);
    await page.waitForSelector('#file-actions form[data-form="extend"]');
    assert.match(await page.textContent('#file-facts'), /窗口|区公安分局/);
    await shot('14-file-overdue');
    const submit = async (form, fill) => {
      const before = await page.locator('#file-timeline li').count();
      await fill(`#file-actions form[data-form="${form}"]`);
      await page.click(`#file-actions form[data-form="${form}"] button[type=submit]`);
      await page.waitForFunction((n) => document.querySelectorAll('#file-timeline li').length > n, before);
      assert.match(await page.textContent('#file-result'), /已提交/);
    };
    const extendIfOverdue = async () => {
      if (await page.locator('#file-actions form[data-form="extend"]').count() === 0) return false;
      await submit('extend', async (f) => {
        await page.fill(`${f} textarea[name=text]`, '承办人下乡驻点，未能按期联系，已补办');
        await page.fill(`${f} input[name=newDueDate]`, cstDate(3));
      });
      return true;
    };
    let explanations = 0;
    for (const [form, text] of [['verify', '已电话联系群众，情况属实：窗口人员未一次性告知材料'],
      ['rectify', '对窗口人员批评教育，材料清单张贴上墙'], ['answer', '已整改：材料清单已公示，窗口一次性告知。感谢您的监督。']]) {
      explanations += await extendIfOverdue() ? 1 : 0;
      await page.waitForSelector(`#file-actions form[data-form="${form}"]`);
      await submit(form, (f) => page.fill(`${f} textarea[name=text]`, text));
    }
    assert.ok(explanations >= 1, 'the missed deadline needed a 书面说明');
    assert.strictEqual(await page.textContent('#file-state'), '已整改');
    await submit('followup', async (f) => {
      await page.selectOption(`${f} select[name=method]`, '电话');
      await page.selectOption(`${f} select[name=result]`, '满意');
      await page.fill(`${f} textarea[name=note]`, '群众表示满意');
    });
    assert.strictEqual(await page.textContent('#file-state'), '已回访');
    await submit('close', (f) => page.fill(`${f} textarea[name=text]`, '整改到位，群众满意'));
    assert.strictEqual(await page.textContent('#file-state'), '办结');
    const timeline = await page.textContent('#file-timeline');
    for (const step of ['建档', '书面说明', '核实', '整改', '整改答复', '回访', '办结']) assert.ok(timeline.includes(step), step);
    assert.match(await page.textContent('#file-followups'), /满意/);
    await shot('15-file-closed');
    // The reply is what the kiosk's follow-up screen shows (the rectifications the kiosks read).
    const reply = (await apiFromPage(`grievance/files/${walked.id}`, 'GET')).json.timeline.find((t) => t.action === 'answer');
    assert.match(reply.text, /材料清单已公示/);
    // The other file: the handler appeals it as a 误评.
    await page.evaluate((id) => { location.hash = '#/file/' + id; }, appealed.id);
    await page.waitForSelector('#file-actions form[data-form="appeal"]');
    await submit('appeal', (f) => page.fill(`${f} textarea[name=reason]`, '该群众当日未在本窗口办理业务，系误评'));
    await page.waitForSelector('#file-appeals tbody tr');
    await page.click('nav a[data-view="appeals"]');
    await page.waitForSelector(`#appeals-table tr[data-appeal]`);
    assert.match(await page.textContent('#appeals-table'), /须由他人复核|由县行政服务中心复核/);
    assert.strictEqual(await page.locator('#appeals-table form[data-decide]').count(), 0, 'the appellant cannot decide');
    // The county (another user) decides 不予采纳.
    await uiLogin('li.ops', '运维');
    await page.click('nav a[data-view="appeals"]');
    await page.waitForSelector('#appeals-table form[data-decide]');
    await shot('16-appeals');
    await page.selectOption('#appeals-table form[data-decide] select[name=decision]', '不予采纳');
    await page.fill('#appeals-table form[data-decide] input[name=reason]', '经调取窗口录像核实，确属误评');
    await page.click('#appeals-table form[data-decide] button[type=submit]');
    await page.waitForSelector('#appeals-result.ok');
    assert.match(await page.textContent('#appeals-result'), /不予采纳/);
    const rejected = (await apiFromPage(`grievance/files/${appealed.id}`, 'GET')).json;
    assert.strictEqual(rejected.file.state, '不予采纳');
    assert.strictEqual(rejected.appeals[0].reviewer, 'li.ops');
    // The county's list: every department, overdue ones red, the filter.
    await page.click('nav a[data-view="files"]');
    await page.check('#files-overdue');
    await page.waitForFunction(() => document.querySelectorAll('#files-table tbody tr').length > 0
      && [...document.querySelectorAll('#files-table tbody tr')].every((r) => r.classList.contains('overdue')));
    await shot('17-files-overdue');
    await page.uncheck('#files-overdue');
    // 差评通报 for November 2026 (the simulated ratings' month), drill-down and exports.
    await page.click('nav a[data-view="greport"]');
    await page.selectOption('#greport-period', 'month');
    await page.fill('#greport-from', '2026-11-28');
    await page.click('#greport-apply');
    await page.waitForSelector('#greport-depts tbody tr');
    const month = (await apiFromPage('grievance/report?period=month&from=2026-11-28', 'GET')).json;
    assert.strictEqual(month.overall.excluded, 1, 'the 不予采纳 rating is left out');
    assert.strictEqual(month.overall.ratings + month.overall.excluded, stored, 'every simulated rating is in November');
    assert.match(await page.textContent('#greport-overall'), new RegExp('评价数' + month.overall.ratings));
    assert.match(await page.textContent('#greport-range'), /2026-11-01 至 2026-11-30/);
    await page.click('#greport-depts tbody tr[data-key="11110105MB00000001"] a');
    await page.waitForSelector('#greport-drill:not([hidden]) #greport-evals tbody tr');
    assert.match(await page.textContent('#greport-evals'), /不予采纳，不计入/);
    await shot('18-greport');
    const csvHref = await page.getAttribute('#greport-csv', 'href');
    const xlsxHref = await page.getAttribute('#greport-xlsx', 'href');
    const exported = await page.evaluate(async ([c, x]) => {
      const a = await fetch(c); const b = await fetch(x);
      return { csv: await a.text(), csvType: a.headers.get('content-type'), xlsxType: b.headers.get('content-type'),
        zip: Array.from(new Uint8Array(await b.arrayBuffer()).slice(0, 2)) };
    }, [csvHref, xlsxHref]);
    assert.match(exported.csvType, /text\/csv/);
    assert.match(exported.csv, /^\uFEFF?范围,代码,名称,评价数/);
    assert.match(exported.xlsxType, /spreadsheetml/);
    assert.deepStrictEqual(exported.zip, [0x50, 0x4B]);
    log(`差评 loop: file ${walked.id} 待核实 → 办结 with ${explanations} 书面说明, file ${appealed.id} 不予采纳; 通报 and exports checked`);
    await reportAndCalendarPages({ page, context, base, db, apiFromPage, shot, uiLogin });

    // Re-enrollment: a known device id offering another key gets no credentials (202); the admin
    // sees it in the alert list and on the 重新登记 page and approves it with a click; the device
    // then enrolls with that key. A second request stays pending for the viewer below.
    const crypto = require('crypto');
    const newKey = () => crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    const enroll = (deviceId, key) => http(base, '/v1/enroll', { method: 'POST',
      body: { enrollToken: ENROLL, deviceId, hallCode: '110105001000', deviceClass: 'terminal', version: '1.1.0', devicePublicKey: key } });
    const [keyA, keyB, keyC, keyD] = [newKey(), newKey(), newKey(), newKey()];
    assert.strictEqual((await enroll('KIOSK-RE-001', keyA)).status, 201);
    assert.strictEqual((await enroll('KIOSK-RE-002', keyC)).status, 201);
    const pending = await enroll('KIOSK-RE-001', keyB);
    assert.strictEqual(pending.status, 202, JSON.stringify(pending.json));
    assert.ok(!pending.json.deviceSecret, 'no credentials before approval');
    assert.strictEqual((await enroll('KIOSK-RE-002', keyD)).status, 202);
    await uiLogin('zhang.admin', '管理员');
    await page.click('nav a[data-view="alerts"]');
    await page.waitForFunction(() => /重新登记/.test(document.querySelector('#alert-table').textContent));
    await page.waitForFunction(() => document.querySelector('#reenroll-count').textContent === '2');
    await page.click('#alert-table a[href="#/reenroll"]');
    await page.waitForSelector('#view-reenroll:not([hidden])');
    const requests = (await apiFromPage('reenrollments?state=pending', 'GET')).json.reenrollments;
    const asked = requests.find((r) => r.deviceId === 'KIOSK-RE-001');
    await page.waitForSelector(`#reenroll-table tr[data-request="${asked.id}"] button[data-action="approve"]`);
    await shot('19-reenroll-pending');
    await page.click(`#reenroll-table tr[data-request="${asked.id}"] button[data-action="approve"]`);
    await page.waitForFunction((id) => /已批准/.test(document.querySelector(`#reenroll-table tr[data-request="${id}"]`).textContent)
      && /zhang\.admin/.test(document.querySelector(`#reenroll-table tr[data-request="${id}"]`).textContent), asked.id);
    await page.waitForFunction(() => document.querySelector('#reenroll-count').textContent === '1');
    const completed = await enroll('KIOSK-RE-001', keyB);
    assert.strictEqual(completed.status, 201, JSON.stringify(completed.json));
    assert.match(completed.json.deviceSecret, /^[0-9a-f]{64}$/);
    assert.strictEqual((await enroll('KIOSK-RE-001', keyA)).status, 202, 'the old key is no longer the device');
    await page.reload();
    await page.waitForFunction((id) => /已重新登记/.test(document.querySelector(`#reenroll-table tr[data-request="${id}"]`)?.textContent || ''), asked.id);
    await shot('20-reenroll-decided');
    log(`re-enrollment ${asked.id} approved in the console and completed with the new key`);

    // A viewer sees everything but cannot push, command or roll out (enforced by the server).
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    assert.strictEqual((await apiFromPage('me', 'GET')).status, 401, 'logout ends the session');
    await page.fill('#login-user', 'wang.view');
    await page.fill('#login-password', 'pass-wang.view-2026');
    await page.click('#login-submit');
    await page.waitForSelector('#who-role:text("只读")');
    await page.click('nav a[data-view="kiosks"]');
    await page.waitForFunction((n) => document.querySelectorAll('#kiosk-table tbody tr').length >= n, KIOSKS);
    await shot('09-viewer-kiosks');
    await page.click('nav a[data-view="config"]');
    await page.waitForSelector('#config-readonly:not([hidden])');
    assert.ok(await page.isDisabled('#config-push'));
    const push = await apiFromPage('config', 'POST', { scope: 'default', part: 'kiosk', document: { idleTimeoutSeconds: 120 } });
    assert.strictEqual(push.status, 403);
    assert.strictEqual((await apiFromPage('kiosks/KIOSK-SIM-001/commands', 'POST', { type: 'restart' })).status, 403);
    assert.strictEqual((await apiFromPage('rollouts', 'POST', { bundle: 'x', devices: 'all' })).status, 403);
    assert.strictEqual((await apiFromPage('upstream/requeue', 'POST', { all: true })).status, 403);
    await page.click('nav a[data-view="upstream"]');
    await page.waitForSelector('#upstream-readonly:not([hidden])');
    assert.ok(await page.isDisabled('#upstream-requeue-all'));
    await shot('10-viewer-config');
    await page.click('nav a[data-view="reenroll"]');
    await page.waitForSelector('#reenroll-readonly:not([hidden])');
    await page.waitForFunction(() => /待管理员审批/.test(document.querySelector('#reenroll-table').textContent));
    assert.strictEqual(await page.locator('#reenroll-table button').count(), 0, 'a viewer has no 批准/拒绝 buttons');
    const other = (await apiFromPage('reenrollments?state=pending', 'GET')).json.reenrollments[0];
    assert.strictEqual((await apiFromPage(`reenrollments/${other.id}/approve`, 'POST', {})).status, 403);
    assert.deepStrictEqual(pageErrors, [], 'no script errors in the page');
    log('viewer limits enforced; screenshots in', SHOTS);
  } catch (e) {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(() => { children.forEach((c) => c.kill('SIGKILL')); process.exit(0); },
  (e) => { console.error('[console-test] FAILED:', e); children.forEach((c) => c.kill('SIGKILL')); process.exit(1); });
