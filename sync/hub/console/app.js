// SPDX-License-Identifier: Apache-2.0
// 好差评 fleet console: a dependency-free single page over the hub's /console/api (PROTOCOL §17).
// All text goes through textContent (never innerHTML with data); the server enforces roles,
// the page only hides what the role cannot do.
'use strict';

const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';
const state = { me: null, kiosks: [], timer: 0, view: '' };

function el(tag, attrs, ...children) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, options = {}) {
  const init = { method: options.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (init.method !== 'GET') init.headers['X-HCP-Console'] = '1';
  const r = await fetch('/console/api/' + path, init);
  let data = {};
  try { data = await r.json(); } catch (e) { /* empty body */ }
  if (r.status === 401 && path !== 'login') { showLogin(); throw new Error(data.message || '请先登录'); }
  if (!r.ok) throw Object.assign(new Error(data.message || ('HTTP ' + r.status)), { status: r.status });
  return data;
}

function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

const ROLE_NAMES = { viewer: '只读', maintainer: '运维', admin: '管理员', handler: '部门办理' };
const isAdmin = () => state.me && state.me.role === 'admin';
const canWrite = () => state.me && (state.me.role === 'maintainer' || state.me.role === 'admin');

function fmtTime(ms) {
  if (!ms) return '—';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
function fmtAge(s) {
  if (!s) return '—';
  if (s < 60) return s + ' 秒';
  if (s < 3600) return Math.round(s / 60) + ' 分钟';
  if (s < 86400) return (s / 3600).toFixed(1) + ' 小时';
  return (s / 86400).toFixed(1) + ' 天';
}
function fmtBytes(b) {
  if (!b) return '—';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return b.toFixed(i ? 1 : 0) + ' ' + u[i];
}
const pct = (x) => (x * 100).toFixed(1) + '%';

// ---- login ----

function showLogin() {
  clearInterval(state.timer);
  state.me = null;
  document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
  $('#nav').hidden = true;
  $('#who').hidden = true;
  $('#login').hidden = false;
  $('#login-user').focus();
}

async function onLogin(ev) {
  ev.preventDefault();
  $('#login-error').hidden = true;
  try {
    await api('login', { method: 'POST', body: { user: $('#login-user').value, password: $('#login-password').value } });
    $('#login-password').value = '';
    await start();
  } catch (e) {
    $('#login-error').textContent = e.message;
    $('#login-error').hidden = false;
  }
}

async function start() {
  state.me = await api('me');
  $('#login').hidden = true;
  $('#nav').hidden = false;
  $('#who').hidden = false;
  $('#who-name').textContent = state.me.user;
  $('#who-role').textContent = ROLE_NAMES[state.me.role] || state.me.role;
  document.body.dataset.role = state.me.role;
  for (const b of document.querySelectorAll('#detail-commands button, #config-push, #config-preview, #rollout-start, #upstream-requeue-all, #upstream-pull-now'))
    b.disabled = !canWrite();
  $('#config-readonly').hidden = canWrite();
  $('#upstream-readonly').hidden = canWrite();
  $('#rollout-readonly').hidden = canWrite();
  $('#reenroll-readonly').hidden = isAdmin();
  // A department handler has the 差评 pages only (the server refuses it the fleet API).
  const handler = state.me.role === 'handler';
  document.querySelectorAll('#nav a:not([data-grievance])').forEach((a) => { a.hidden = handler; });
  if (handler && !/^#\/(files|file|appeals|greport|gprint|followups)/.test(location.hash)) location.hash = '#/files';
  clearInterval(state.timer);
  state.timer = setInterval(() => route(true), 5000);
  await route(false);
}

// ---- routing ----

async function route(refresh) {
  if (!state.me) return;
  const hash = location.hash || '#/kiosks';
  const [, view, arg] = hash.split('/');
  const name = view === 'kiosk' ? 'kiosk' : (view || 'kiosks');
  if (!refresh || name !== state.view) {
    document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + name; });
    document.querySelectorAll('#nav a').forEach((a) => {
      a.classList.toggle('active', a.dataset.view === name || (name === 'kiosk' && a.dataset.view === 'kiosks')
        || (name === 'file' && a.dataset.view === 'files') || (name === 'gprint' && a.dataset.view === 'greport'));
    });
  }
  const first = name !== state.view;
  state.view = name;
  try {
    updateAlertBadge();
    if (state.me.role !== 'handler') updateReEnrollBadge();
    if (name === 'kiosks') await renderKiosks();
    else if (name === 'kiosk') await renderKiosk(decodeURIComponent(arg || ''));
    else if (name === 'alerts') await renderAlerts();
    else if (name === 'reenroll') await renderReEnrollments();
    else if (name === 'config' && first) await renderConfig();
    else if (name === 'config') await renderConfigHistory();
    else if (name === 'updates') await renderUpdates(first);
    else if (name === 'report' && (first || !refresh)) await renderReport();
    else if (name === 'upstream') await renderUpstream();
    else if (name === 'calendar' && !refresh) await renderCalendar();
    // 差评 pages (grievance.js); forms are not redrawn by the periodic refresh.
    else if (name === 'files') await renderFiles();
    else if (name === 'file' && !refresh) await renderFile(decodeURIComponent(arg || ''));
    else if (name === 'appeals' && !refresh) await renderAppeals();
    else if (name === 'greport' && !refresh) await renderGReport();
    else if (name === 'gprint' && !refresh) await renderGReportPrint(arg || '');
    else if (name === 'followups' && !refresh) await renderFollowUps();
  } catch (e) {
    if (e.status) toast(e.message);
  }
}

async function updateAlertBadge() {
  try {
    const { alerts } = await api('alerts');
    const b = $('#alert-count');
    b.textContent = alerts.length;
    b.hidden = alerts.length === 0;
  } catch (e) { /* shown elsewhere */ }
}

// ---- kiosks ----

function statusPill(k) {
  if (!k.lastHeartbeatAtMs) return el('span', { class: 'pill ' + (k.overdue ? 'bad' : 'muted') }, '未上报');
  return k.overdue ? el('span', { class: 'pill bad' }, '超时') : el('span', { class: 'pill ok' }, '在线');
}
const UPDATE_STATES = {
  idle: ['空闲', 'muted'], downloading: ['下载中', 'info'], installing: ['安装中', 'info'], trial: ['试运行', 'warn'],
  healthy: ['健康', 'ok'], rolled_back: ['已回滚', 'bad'], rejected: ['已拒绝', 'bad'],
};
function updatePill(k) {
  if (!k.updateState) return '—';
  const [t, c] = UPDATE_STATES[k.updateState] || [k.updateState, 'muted'];
  return el('span', { class: 'pill ' + c, title: k.updateError || '' }, t + (k.updateVersion && k.updateState !== 'idle' ? ' ' + k.updateVersion : ''));
}
const DEVICES = [['idcard', '读卡器'], ['printer', '打印机'], ['camera', '摄像头'], ['scanner', '扫码枪']];
const DEVICE_STATES = { ok: '正常', absent: '未连接', paper_near_end: '纸将尽', paper_end: '缺纸', cover_open: '机盖打开',
  error: '故障', offline: '离线' };
const devText = (s) => (s ? DEVICE_STATES[s] || s : '未知');
function devClass(s) {
  if (!s) return '';
  if (s === 'ok') return 'ok';
  if (s === 'absent' || s === 'paper_near_end') return 'warn';
  return 'bad';
}
function peripherals(k) {
  const st = k.deviceStatus || {};
  return el('span', {}, DEVICES.map(([key, name]) => el('span', { class: 'dev ' + devClass(st[key]), title: name + '：' + devText(st[key]) })));
}
function paper(k) {
  const p = (k.deviceStatus || {}).printer;
  if (!p) return '—';
  if (p === 'paper_end') return el('span', { class: 'pill bad' }, '缺纸');
  if (p === 'paper_near_end') return el('span', { class: 'pill warn' }, '纸将尽');
  if (p === 'ok') return el('span', { class: 'pill ok' }, '正常');
  return el('span', { class: 'pill muted' }, p);
}
function flags(k) {
  const out = [];
  if (k.tamper || k.conflicts > 0) out.push(el('span', { class: 'pill bad', title: (k.tamperKinds || []).join(', ') }, '篡改'));
  if (k.seqGaps > 0) out.push(el('span', { class: 'pill bad' }, '缺号 ' + k.seqGaps));
  const fraud = k.fraudFlags || [];
  if (fraud.length) out.push(el('span', { class: 'pill warn', 'data-flag': 'fraud', title: fraudText(fraud) }, '刷评嫌疑'));
  if (k.configRejected) out.push(el('span', { class: 'pill warn', title: k.configRejected }, '配置被拒'));
  if (k.diskLow) out.push(el('span', { class: 'pill bad' }, '磁盘满'));
  return out.length ? out : '—';
}
// The hub's anti-fraud monitor's flags on this kiosk (server-side rules, PROTOCOL §9a).
const FRAUD_KINDS = { burst: '短时集中评价', applicant: '同一申请人多次评价', same_case: '同一办件重复评价',
  outside_hours: '非办公时间评价', assisted_share: '代评比例过高' };
function fraudText(flags) {
  return flags.map((f) => `${FRAUD_KINDS[f.kind] || f.kind}（${f.count} 条，最近 ${f.lastAt}）`).join('；');
}
function disk(k) {
  if (!k.diskTotalBytes) return k.diskLow ? el('span', { class: 'pill bad' }, '不足') : '—';
  return fmtBytes(k.diskFreeBytes) + ' / ' + fmtBytes(k.diskTotalBytes);
}
function drift(k) {
  if (!k.lastHeartbeatAtMs) return '—';
  const t = (k.driftS >= 0 ? '+' : '') + k.driftS.toFixed(1) + ' 秒';
  return k.driftFlagged ? el('span', { class: 'pill bad' }, t) : t;
}

async function renderKiosks() {
  const { kiosks } = await api('kiosks');
  state.kiosks = kiosks;
  const online = kiosks.filter((k) => k.online).length;
  const overdue = kiosks.filter((k) => k.overdue).length;
  $('#kiosk-summary').replaceChildren(
    el('span', { id: 'count-total' }, '共 ', String(kiosks.length), ' 台'),
    el('span', { id: 'count-online' }, '在线 ', String(online)),
    el('span', { id: 'count-overdue' }, '超时 ', String(overdue)));
  const f = $('#kiosk-filter').value.trim().toLowerCase();
  const rows = kiosks.filter((k) => !f || [k.deviceId, k.hallCode, k.version].some((v) => (v || '').toLowerCase().includes(f)))
    .map((k) => el('tr', { class: 'clickable', 'data-id': k.deviceId, onclick: () => { location.hash = '#/kiosk/' + encodeURIComponent(k.deviceId); } },
      el('td', {}, k.deviceId), el('td', {}, k.hallCode), el('td', {}, statusPill(k)),
      el('td', {}, (k.version || '—') + (k.slot ? ' / ' + k.slot : '')), el('td', {}, updatePill(k)),
      el('td', { class: 'num' }, k.configVersion || '—'),
      el('td', { class: 'num' }, String(k.queueDepth)), el('td', {}, fmtAge(k.oldestUnsentAgeS)),
      el('td', {}, peripherals(k)), el('td', {}, paper(k)), el('td', {}, disk(k)), el('td', {}, drift(k)),
      el('td', {}, flags(k))));
  $('#kiosk-table tbody').replaceChildren(...rows);
}

function lineChart(svg, points, key, cls, scale) {
  const W = 600, H = Number(svg.getAttribute('viewBox').split(' ')[3]), L = 44, B = 20, T = 10, R = 10;
  svg.replaceChildren();
  if (points.length === 0) {
    svg.append(el('svg:text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, '暂无心跳数据'));
    return;
  }
  const xs = points.map((p) => p.atMs), ys = points.map((p) => p[key] * (scale || 1));
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(0, ...ys), y1 = Math.max(...ys, y0 + 1);
  const X = (x) => L + (x - x0) / (x1 - x0) * (W - L - R);
  const Y = (y) => H - B - (y - y0) / (y1 - y0) * (H - B - T);
  svg.append(el('svg:line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
    el('svg:line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
    el('svg:text', { x: L - 4, y: T + 8, 'text-anchor': 'end' }, String(Math.round(y1 * 10) / 10)),
    el('svg:text', { x: L - 4, y: H - B, 'text-anchor': 'end' }, String(Math.round(y0 * 10) / 10)),
    el('svg:text', { x: L, y: H - 4 }, fmtTime(x0).slice(11, 16)),
    el('svg:text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, fmtTime(x1).slice(11, 16)),
    el('svg:polyline', { class: 'line ' + (cls || ''), points: points.map((p, i) => X(xs[i]).toFixed(1) + ',' + Y(ys[i]).toFixed(1)).join(' ') }));
}

// Issue 13: a TPM kiosk (key and counter in the TPM) or the weaker file key, with the reason.
function assuranceText(a) {
  if (!a) return '—';
  if (a.class === 'tpm') return 'TPM（计数器 ' + a.counter + '，账本头 ' + a.headSeq + '）';
  return '文件密钥（较弱）：' + (a.reason || '未知原因');
}

async function renderKiosk(id) {
  const d = await api('kiosks/' + encodeURIComponent(id) + '?hours=24');
  const k = d.kiosk;
  $('#detail-id').textContent = k.deviceId;
  $('#detail-status').replaceChildren(statusPill(k), ' ', updatePill(k));
  const st = k.deviceStatus || {};
  const facts = [
    ['大厅', k.hallCode], ['设备类型', k.deviceClass === 'pad' ? '窗口评价器' : '自助终端'],
    ['软件版本', k.version || '—'], ['运行槽位', k.slot || '—'], ['配置版本', k.configVersion || '—'],
    ['配置拒绝原因', k.configRejected || '—'], ['最后心跳', fmtTime(k.lastHeartbeatAtMs)],
    ['待传评价', k.queueDepth + ' 条'], ['最早未传', fmtAge(k.oldestUnsentAgeS)],
    ['已收评价', k.evaluations + ' 条'], ['时钟偏差', drift(k)],
    ['磁盘', disk(k)], ['账本签名', k.signedLedger ? '已启用（设备密钥）' : '未启用'], ...DEVICES.map(([key, name]) => [name, el('span', {}, el('span', { class: 'dev ' + devClass(st[key]) }), devText(st[key]))]),
    ['标记', flags(k)],
    ['反刷评', (k.fraudFlags || []).length ? el('span', { id: 'detail-fraud' }, fraudText(k.fraudFlags)) : '未命中规则'],
    ['保障等级', el('span', { id: 'detail-assurance' }, assuranceText(d.assurance))],
  ];
  $('#detail-facts').replaceChildren(...facts.flatMap(([t, v]) => [el('dt', {}, t), el('dd', {}, v)]));
  lineChart($('#history-chart'), d.history, 'queueDepth');
  lineChart($('#drift-chart'), d.history, 'driftMs', 'drift', 0.001);
  const ack = (c) => c.ackedAtMs ? fmtTime(c.ackedAtMs) : el('span', { class: 'pill warn' }, '待执行');
  $('#detail-command-list').replaceChildren(...d.commands.map((c) =>
    el('tr', {}, el('td', {}, String(c.id)), el('td', {}, COMMAND_NAMES[c.type] || c.type), el('td', {}, fmtTime(c.createdAtMs)), el('td', {}, ack(c)))));
  $('#detail-upstream-card').hidden = !d.upstream;
  const LEVELS = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'];
  $('#detail-upstream tbody').replaceChildren(...(d.upstream || []).map((r) => el('tr', { 'data-evaluation': r.evaluationId },
    el('td', { class: 'num' }, String(r.evaluationId)), el('td', {}, r.projectNo), el('td', {}, LEVELS[r.satisfaction] || String(r.satisfaction)),
    el('td', {}, fmtTime(r.receivedAtMs)), el('td', {}, upstreamPill(r)), el('td', { class: 'num' }, String(r.attempts)),
    el('td', {}, upstreamAnswer(r)))));
}

// The province's answer for one record: when it was stored, or its code and message.
function upstreamAnswer(r) {
  if (r.state === 'delivered') return (r.deliveredAtMs ? fmtTime(r.deliveredAtMs) + ' ' : '') + (r.message || '已接收');
  if (r.state === 'pending' && r.nextAttemptAtMs) return (r.message ? r.message + '；' : '') + '下次尝试 ' + fmtTime(r.nextAttemptAtMs);
  return r.message ? (r.code && r.code !== '0' ? r.code + '：' : '') + r.message : '—';
}

// ---- upstream (上报省平台) ----

const UPSTREAM_STATES = { queued: ['待入队', 'muted'], pending: ['待上报', 'info'], sending: ['上报中', 'info'],
  delivered: ['已上报', 'ok'], dead: ['死信', 'bad'] };
function upstreamPill(r) {
  const [t, c] = UPSTREAM_STATES[r.state] || [r.state, 'muted'];
  return el('span', { class: 'pill ' + c, title: r.message || '' }, r.duplicate && r.state === 'delivered' ? t + '（省平台已有）' : t);
}

async function renderUpstream() {
  const u = await api('upstream');
  $('#upstream-off').hidden = u.enabled;
  $('#upstream-body').hidden = !u.enabled;
  if (!u.enabled) { $('#upstream-summary').replaceChildren(); return; }
  const c = u.counts || {};
  $('#upstream-summary').replaceChildren(
    el('span', { id: 'up-pending' }, '待上报 ', String(c.pending || 0)),
    el('span', { id: 'up-sending' }, '上报中 ', String(c.sending || 0)),
    el('span', { id: 'up-delivered' }, '已上报 ', String(c.delivered || 0)),
    el('span', { id: 'up-dead', class: c.dead ? 'bad' : '' }, '死信 ', String(c.dead || 0)));
  const backoff = u.backoffUntilMs > u.nowMs;
  const facts = [
    ['省平台', u.profile + '（' + u.endpoint + '）'],
    ['最近成功', fmtTime(u.lastSuccessAtMs)],
    ['最近错误', u.lastError || '—'],
    ['连续失败', (u.consecutiveFailures || 0) + ' 次'],
    ['退避', backoff ? el('span', { class: 'pill warn' }, '退避至 ' + fmtTime(u.backoffUntilMs)) : '无'],
    ['最早未上报', c.oldestUndeliveredAtMs ? fmtTime(c.oldestUndeliveredAtMs) : '—'],
    ['省平台已有（按已上报计）', String(c.deliveredAsDuplicate || 0) + ' 条'],
  ];
  $('#upstream-facts').replaceChildren(...facts.flatMap(([t, v]) => [el('dt', {}, t), el('dd', {}, v)]));
  const p = u.pull || {};
  const pull = [['指标集版本', p.indicatorVersion || '—'], ['整改反馈游标', p.rectificationCursor || '—'],
    ['最近回拉', fmtTime(p.lastPullAtMs)], ['回拉错误', p.error || '—']];
  $('#upstream-pull').replaceChildren(...pull.flatMap(([t, v]) => [el('dt', {}, t), el('dd', {}, v)]));
  const dead = u.deadLetters || [];
  $('#dead-empty').hidden = dead.length > 0;
  $('#dead-more').hidden = !(c.dead > dead.length);
  $('#dead-more').textContent = `共 ${c.dead} 条死信，此处列出最早的 ${dead.length} 条；“全部重新上报”包括未列出的。`;
  $('#upstream-requeue-all').disabled = !canWrite() || dead.length === 0;
  $('#dead-table tbody').replaceChildren(...dead.map((d) => el('tr', { 'data-evaluation': d.evaluationId },
    el('td', { class: 'num' }, String(d.evaluationId)),
    el('td', {}, el('a', { href: '#/kiosk/' + encodeURIComponent(d.deviceId) }, d.deviceId)),
    el('td', {}, d.projectNo), el('td', {}, d.code || '—'), el('td', { class: 'reason' }, d.reason),
    el('td', { class: 'num' }, String(d.attempts)), el('td', {}, fmtTime(d.updatedAtMs)),
    el('td', {}, canWrite() ? el('button', { 'data-action': 'requeue', onclick: () => requeue({ ids: [d.evaluationId] }) }, '重新上报') : ''))));
}

async function requeue(body) {
  try {
    const r = await api('upstream/requeue', { method: 'POST', body });
    $('#upstream-result').textContent = `已重新排队 ${r.requeued} 条，稍后上报。`;
    $('#upstream-result').className = 'note ok';
    await renderUpstream();
  } catch (e) {
    $('#upstream-result').textContent = '操作失败：' + e.message;
    $('#upstream-result').className = 'note bad';
  }
}

async function pullUpstream() {
  try {
    await api('upstream/pull', { method: 'POST', body: {} });
    $('#upstream-result').textContent = '已开始回拉指标集与整改反馈。';
    $('#upstream-result').className = 'note ok';
  } catch (e) {
    $('#upstream-result').textContent = '操作失败：' + e.message;
    $('#upstream-result').className = 'note bad';
  }
}

const COMMAND_NAMES = { restart: '重启应用', upload_logs: '上传日志', test_print: '打印测试页', sync_now: '立即上传评价',
  resync: '重新同步办件', pull_config: '拉取配置', update: '软件升级' };

async function sendCommand(ev) {
  const type = ev.target.dataset.command;
  const id = $('#detail-id').textContent;
  if (!type || !id) return;
  try {
    const r = await api('kiosks/' + encodeURIComponent(id) + '/commands', { method: 'POST', body: { type } });
    $('#command-result').textContent = `已下发「${COMMAND_NAMES[type]}」（指令 ${r.id}），终端下次心跳时执行。`;
    $('#command-result').className = 'note ok';
    await renderKiosk(id);
  } catch (e) {
    $('#command-result').textContent = '下发失败：' + e.message;
    $('#command-result').className = 'note bad';
  }
}

// ---- alerts ----

const ALERT_KINDS = { overdue: '离线', clock_drift: '时钟', disk_low: '磁盘', backlog: '积压', tamper: '篡改',
  rollout_halted: '升级暂停', reenroll: '重新登记', config_rejected: '配置被拒', fraud: '刷评嫌疑' };

async function renderAlerts() {
  const { alerts } = await api('alerts');
  $('#alert-empty').hidden = alerts.length > 0;
  $('#alert-table tbody').replaceChildren(...alerts.map((a) => el('tr', {},
    el('td', {}, el('span', { class: 'pill ' + (a.severity === 'critical' ? 'bad' : 'warn') }, a.severity === 'critical' ? '严重' : '警告')),
    el('td', {}, ALERT_KINDS[a.kind] || a.kind),
    el('td', {}, a.deviceId ? el('a', { href: '#/kiosk/' + encodeURIComponent(a.deviceId) }, a.deviceId) : '—'),
    el('td', {}, a.kind === 'reenroll' ? el('a', { href: '#/reenroll' }, a.message) : a.message), el('td', {}, fmtTime(a.atMs)),
    el('td', {}, a.id && canWrite() ? el('button', { onclick: async () => { await api('alerts/' + a.id + '/ack', { method: 'POST', body: {} }); renderAlerts(); } }, '确认') : ''))));
}

// ---- re-enrollment approvals (PROTOCOL §3b) ----

const REENROLL_STATES = { pending: '待审批', approved: '已批准', rejected: '已拒绝', completed: '已重新登记' };

async function decideReEnrollment(id, action) {
  try {
    await api('reenrollments/' + id + '/' + action, { method: 'POST', body: {} });
    toast(action === 'approve' ? `申请 ${id} 已批准：终端下次登记时启用新密钥` : `申请 ${id} 已拒绝：这把密钥不能再登记`);
  } catch (e) {
    toast(e.message);
  }
  renderReEnrollments();
}

async function renderReEnrollments() {
  const { reenrollments } = await api('reenrollments');
  $('#reenroll-empty').hidden = reenrollments.length > 0;
  $('#reenroll-table tbody').replaceChildren(...reenrollments.map((r) => el('tr', { 'data-request': r.id, class: r.state },
    el('td', {}, String(r.id)),
    el('td', {}, el('a', { href: '#/kiosk/' + encodeURIComponent(r.deviceId) }, r.deviceId)),
    el('td', {}, r.hallCode || '—'),
    el('td', { class: 'mono', title: r.fingerprint }, (r.fingerprint || '').slice(0, 16) + '…'),
    el('td', {}, fmtTime(r.requestedAtMs)),
    el('td', {}, String(r.attempts)),
    el('td', {}, el('span', { class: 'pill ' + (r.state === 'pending' ? 'warn' : r.state === 'rejected' ? 'bad' : 'ok') },
      REENROLL_STATES[r.state] || r.state)),
    el('td', {}, r.state === 'pending'
      ? (isAdmin()
        ? el('span', {}, el('button', { 'data-action': 'approve', onclick: () => decideReEnrollment(r.id, 'approve') }, '批准'), ' ',
          el('button', { 'data-action': 'reject', class: 'danger', onclick: () => decideReEnrollment(r.id, 'reject') }, '拒绝'))
        : '待管理员审批')
      : `${r.decidedBy || ''} ${r.decidedAtMs ? fmtTime(r.decidedAtMs) : ''}`.trim() || '—'))));
}

async function updateReEnrollBadge() {
  try {
    const { reenrollments } = await api('reenrollments?state=pending');
    const b = $('#reenroll-count');
    b.textContent = String(reenrollments.length);
    b.hidden = reenrollments.length === 0;
  } catch (e) { /* a handler has no fleet pages */ }
}

// ---- configuration ----

const TEMPLATES = {
  kiosk: { hallName: '示例县政务服务中心', idleTimeoutSeconds: 60, countdownSeconds: 10, ratingWindowWorkingDays: 5,
    hotline: '12345', phrases: ['工作人员很耐心', '办事效率高', '指引清楚', '等候时间太长'] },
  indicators: { version: '2026.2', indicators: [{ code: '501', text: '窗口服务态度不好', levels: [1, 2] },
    { code: '502', text: '办事效率低，等候时间长', levels: [1, 2] }, { code: '599', text: '其他（请在留言中说明）', levels: [1, 2] }] },
  questionnaires: { version: 'q-2026.2', default: { items: [{ id: 'q1', text: '服务指引是否清晰？', kind: 'yesno' }] } },
};

async function renderConfig() {
  if (!state.kiosks.length) state.kiosks = (await api('kiosks')).kiosks;
  const halls = [...new Set(state.kiosks.map((k) => k.hallCode))].sort();
  $('#config-scope').replaceChildren(el('option', { value: 'default' }, '全部终端（default）'),
    el('option', { value: 'class:terminal' }, '类别：自助终端'), el('option', { value: 'class:pad' }, '类别：窗口评价器'),
    ...halls.map((h) => el('option', { value: 'hall:' + h }, '大厅 ' + h)),
    ...state.kiosks.map((k) => el('option', { value: 'device:' + k.deviceId }, '终端 ' + k.deviceId)));
  await loadConfigPart();
  await renderConfigHistory();
}

async function loadConfigPart() {
  const scope = $('#config-scope').value || 'default';
  const part = $('#config-part').value;
  const editor = $('#config-editor');
  const ticket = (Number(editor.dataset.ticket) || 0) + 1;
  editor.dataset.ticket = ticket;
  editor.dataset.loading = '1';
  const cur = await api('config?scope=' + encodeURIComponent(scope)).finally(() => {
    if (editor.dataset.ticket === String(ticket)) delete editor.dataset.loading;
  });
  if (editor.dataset.ticket !== String(ticket)) return; // a newer selection is loading
  const doc = (cur.document || {})[part];
  $('#config-editor').value = JSON.stringify(doc || TEMPLATES[part], null, 2);
  $('#config-result').textContent = cur.version ? `当前版本 ${cur.version}（${cur.scope}）` : '该范围尚无配置，已载入模板';
  $('#config-result').className = 'note';
}

async function renderConfigHistory() {
  const { versions } = await api('configs');
  const parts = { kiosk: '终端参数', indicators: '指标集', questionnaires: '问卷' };
  $('#config-history').replaceChildren(...versions.map((v) => el('tr', {},
    el('td', { class: 'num' }, v.version), el('td', {}, v.scope), el('td', {}, v.parts.map((p) => parts[p] || p).join('、')),
    el('td', {}, v.actor), el('td', {}, fmtTime(v.createdAtMs)))));
}

function editedConfig() {
  try { return JSON.parse($('#config-editor').value); } catch (e) {
    $('#config-result').textContent = 'JSON 格式错误：' + e.message;
    $('#config-result').className = 'note bad';
    return undefined;
  }
}

const showValue = (v) => (v === undefined ? '（未设置）' : v === null ? '（恢复默认）' : JSON.stringify(v));

async function previewConfig() {
  const doc = editedConfig();
  if (doc === undefined) return;
  const p = await api('config/preview', { method: 'POST', body: { scope: $('#config-scope').value, part: $('#config-part').value, document: doc } });
  $('#config-result').textContent = p.valid ? '校验通过（尚未推送）' : '校验未通过：' + p.message;
  $('#config-result').className = p.valid ? 'note ok' : 'note bad';
  $('#config-diff').hidden = false;
  $('#config-diff-summary').textContent = `涉及 ${p.affected} 台终端，其中 ${p.changed} 台的配置会变化` +
    (p.changed > p.devices.length ? `（列出前 ${p.devices.length} 台）` : '');
  $('#config-diff-rows').replaceChildren(...p.devices.flatMap((d) => d.changes.map((c) => el('tr', {},
    el('td', {}, d.deviceId), el('td', {}, c.path), el('td', {}, showValue(c.before)), el('td', {}, showValue(c.after))))));
}

async function pushConfig() {
  const doc = editedConfig();
  if (doc === undefined) return;
  try {
    const r = await api('config', { method: 'POST', body: { scope: $('#config-scope').value, part: $('#config-part').value, document: doc } });
    $('#config-result').textContent = `已签名发布：版本 ${r.version}（${r.scope}）`;
    $('#config-result').className = 'note ok';
    await renderConfigHistory();
  } catch (e) {
    $('#config-result').textContent = '未发布：' + e.message;
    $('#config-result').className = 'note bad';
  }
}

// ---- updates ----

async function renderUpdates(first) {
  const [{ bundles }, { rollouts }] = await Promise.all([api('bundles'), api('rollouts')]);
  if (first) {
    if (!state.kiosks.length) state.kiosks = (await api('kiosks')).kiosks;
    $('#rollout-bundle').replaceChildren(...bundles.map((b) => el('option', { value: b.name }, `${b.version}（${b.deviceClass}）`)));
    const halls = [...new Set(state.kiosks.map((k) => k.hallCode))].sort();
    $('#rollout-target').replaceChildren(el('option', { value: 'all' }, `全部终端（${state.kiosks.length} 台）`),
      ...halls.map((h) => el('option', { value: 'hall:' + h }, '大厅 ' + h)));
  }
  $('#bundle-list').replaceChildren(...bundles.map((b) => el('tr', {}, el('td', {}, b.name), el('td', {}, b.version),
    el('td', {}, b.deviceClass), el('td', { class: 'num' }, fmtBytes(b.size)))));
  const STATE = { running: ['进行中', 'info'], halted: ['已暂停', 'bad'], done: ['已完成', 'ok'], cancelled: ['已取消', 'muted'] };
  const ORDER = [['healthy', 'ok', '#1e7d45'], ['trial', 'warn', '#b86e00'], ['installing', 'info', '#2f5f9e'],
    ['downloading', 'info', '#6b8fc4'], ['sent', 'muted', '#9aa6b2'], ['pending', 'muted', '#dde3ea'],
    ['rolled_back', 'bad', '#c0262d'], ['rejected', 'bad', '#7a1418'], ['skipped', 'muted', '#6b7580']];
  const NAMES = { healthy: '健康', trial: '试运行', installing: '安装中', downloading: '下载中', sent: '已下发', pending: '待下发',
    rolled_back: '已回滚', rejected: '已拒绝', skipped: '已跳过' };
  $('#rollout-list').replaceChildren(...(rollouts.length ? rollouts.map((r) => {
    const total = r.devices.length || 1;
    let x = 0;
    const bar = el('svg:svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none' },
      ...ORDER.map(([s, , color]) => {
        const w = (r.counts[s] || 0) / total * 100;
        const rect = el('svg:rect', { x, y: 0, width: w, height: 10, fill: color });
        x += w;
        return rect;
      }));
    const [label, cls] = STATE[r.state] || [r.state, 'muted'];
    return el('div', { class: 'rollout', 'data-rollout': r.id },
      el('div', { class: 'rollout-head' }, el('strong', {}, `#${r.id} 升级到 ${r.version}`), el('span', { class: 'pill ' + cls }, label),
        el('span', { class: 'note' }, `第 ${r.currentStage + 1}/${r.stages.length} 批（${r.stages.map((s) => s + '%').join(' → ')}），${r.actor}，${fmtTime(r.createdAtMs)}`)),
      el('div', { class: 'progress' }, bar),
      el('div', { class: 'note' }, ORDER.filter(([s]) => r.counts[s]).map(([s]) => `${NAMES[s]} ${r.counts[s]}`).join(' · ')),
      r.reason ? el('div', { class: 'note' + (r.state === 'halted' ? ' bad' : '') }, (r.state === 'halted' ? '暂停原因：' : '备注：') + r.reason) : null,
      canWrite() && (r.state === 'halted' || r.state === 'running') ? el('div', { class: 'buttons' },
        r.state === 'halted' ? el('button', { 'data-action': 'resume', onclick: () => decideRollout(r.id, 'resume') }, '继续（跳过失败终端）') : null,
        el('button', { 'data-action': 'cancel', onclick: () => decideRollout(r.id, 'cancel') }, '取消升级')) : null);
  }) : [el('p', { class: 'note' }, '尚无升级任务。')]));
}

async function decideRollout(id, action) {
  try {
    await api(`rollouts/${id}/${action}`, { method: 'POST', body: {} });
    await renderUpdates(false);
  } catch (e) {
    toast('操作失败：' + e.message);
  }
}

async function startRollout() {
  const stages = $('#rollout-stages').value.split(/[,，\s]+/).filter(Boolean).map(Number);
  try {
    const r = await api('rollouts', { method: 'POST', body: { bundle: $('#rollout-bundle').value, devices: $('#rollout-target').value,
      stages, deadlineS: Number($('#rollout-deadline').value) } });
    const skipped = (r.excluded || []).length;
    $('#rollout-result').textContent = `升级任务 #${r.id} 已创建：第一批 ${r.counts.sent || 0} 台已下发`
      + (skipped ? `；${skipped} 台设备类型不符，已排除` : '');
    $('#rollout-result').className = 'note ok';
    await renderUpdates(false);
  } catch (e) {
    $('#rollout-result').textContent = '未创建：' + e.message;
    $('#rollout-result').className = 'note bad';
  }
}

// ---- report (通报) ----

function barChart(svg, items, { max, fmt, cls }) {
  const W = 600, H = 200, L = 10, B = 36, T = 18;
  svg.replaceChildren();
  if (!items.length) { svg.append(el('svg:text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, '暂无评价')); return; }
  const slot = (W - 2 * L) / items.length, bw = Math.min(60, slot * 0.6);
  const top = max || Math.max(...items.map((i) => i.value), 1);
  items.forEach((it, i) => {
    const h = it.value / top * (H - B - T), x = L + i * slot + (slot - bw) / 2;
    svg.append(el('svg:rect', { class: 'bar ' + (cls ? cls(it, i) : ''), x, y: H - B - h, width: bw, height: Math.max(h, 0.5) }),
      el('svg:text', { class: 'label', x: x + bw / 2, y: H - B - h - 4, 'text-anchor': 'middle' }, fmt(it.value)),
      el('svg:text', { x: x + bw / 2, y: H - B + 16, 'text-anchor': 'middle' }, it.label.length > 12 ? it.label.slice(0, 11) + '…' : it.label));
  });
}

async function renderReport() {
  const r = await api('satisfaction?days=' + $('#report-days').value);
  const names = ['非常不满意', '不满意', '基本满意', '满意', '非常满意'];
  barChart($('#level-chart'), r.levels.map((v, i) => ({ label: names[i], value: v })), { fmt: String, cls: (_, i) => 'l' + (i + 1) });
  barChart($('#hall-chart'), r.halls.slice(0, 8).map((h) => ({ label: h.name, value: h.satisfiedRate })), { max: 1, fmt: pct });
  const sat = r.total ? r.levels.slice(3).reduce((a, b) => a + b, 0) / r.total : 0;
  $('#report-total').textContent = `共 ${r.total} 条评价，满意率 ${pct(sat)}，差评 ${r.levels[0] + r.levels[1]} 条`;
  const rows = (list) => list.slice(0, 30).map((x) => el('tr', {}, el('td', {}, x.name), el('td', { class: 'num' }, String(x.count)),
    el('td', { class: 'num' }, x.average.toFixed(2)), el('td', { class: 'num' }, pct(x.satisfiedRate)), el('td', { class: 'num' }, String(x.bad))));
  $('#dept-table tbody').replaceChildren(...rows(r.departments));
  $('#staff-table tbody').replaceChildren(...rows(r.staff));
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', onLogin);
  $('#logout').addEventListener('click', async () => { try { await api('logout', { method: 'POST', body: {} }); } finally { showLogin(); } });
  $('#kiosk-filter').addEventListener('input', () => renderKiosks());
  $('#detail-commands').addEventListener('click', sendCommand);
  $('#config-scope').addEventListener('change', loadConfigPart);
  $('#config-part').addEventListener('change', loadConfigPart);
  $('#config-load').addEventListener('click', loadConfigPart);
  $('#config-push').addEventListener('click', pushConfig);
  $('#config-preview').addEventListener('click', () => previewConfig().catch((e) => {
    $('#config-result').textContent = '预览失败：' + e.message;
    $('#config-result').className = 'note bad';
  }));
  $('#rollout-start').addEventListener('click', startRollout);
  $('#upstream-requeue-all').addEventListener('click', () => requeue({ all: true }));
  $('#upstream-pull-now').addEventListener('click', pullUpstream);
  $('#report-days').addEventListener('change', renderReport);
  window.addEventListener('hashchange', () => route(false));
  start().catch(() => showLogin());
});
