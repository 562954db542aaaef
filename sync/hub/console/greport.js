// SPDX-License-Identifier: Apache-2.0
// The 差评通报 (PROTOCOL §18.8): the period's measures per department, hall, township/village,
// staff member, service item and channel, the top 差评 reasons and the questionnaire answers,
// drill-down from a count to the evaluations behind it, CSV/Excel export and a printable page
// (#/gprint/<query>, print CSS in style.css). Uses app.js's helpers ($, el, api, toast, pct,
// state) and grievance.js's G_LEVELS; text only through textContent.
'use strict';

// The report's row lists: answer field, drill scope, tab label.
const GR_DIMENSIONS = [
  { field: 'departments', scope: 'department', label: '部门', table: 'greport-depts' },
  { field: 'halls', scope: 'hall', label: '大厅', table: 'greport-halls' },
  { field: 'areas', scope: 'area', label: '乡镇（街道）/村', table: 'greport-areas' },
  { field: 'staff', scope: 'staff', label: '工作人员', table: 'greport-staff' },
  { field: 'tasks', scope: 'task', label: '服务事项', table: 'greport-tasks' },
  { field: 'channels', scope: 'channel', label: '评价渠道', table: 'greport-channels' },
];
const GR_MEASURES = { ratings: '评价', good: '好评', bad: '差评', ratedCases: '已评价办件', files: '差评工单', rectified: '已整改',
  onTime: '按期整改', visited: '已回访', satisfied: '回访满意', overdue: '超期工单', appeals: '申诉', excluded: '不予采纳',
  defaults: '默认评价', duplicates: '重复评价' };
const GR_KINDS = { counted: '计入', excluded: '不予采纳，不计入', default: '默认评价，另行统计', duplicate: '重复评价，不计入' };
const GR_AREA_LEVELS = { county: '县', township: '乡镇', village: '村' };
const GR_PERIODS = { month: '月度', quarter: '季度', year: '年度', custom: '自定义' };
const gr = { report: null, tab: 'departments', query: '' };

function greportQuery(extra) {
  const q = new URLSearchParams({ period: $('#greport-period').value });
  if ($('#greport-from').value) q.set('from', $('#greport-from').value);
  if ($('#greport-period').value === 'custom') q.set('to', $('#greport-to').value);
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q.toString();
}

const rateText = (rate, denominator) => (denominator ? pct(rate) : '—');
const reasonsText = (list) => (list || []).slice(0, 2).map((x) => `${x.text || x.code}×${x.count}`).join('；') || '—';

// One row's cells. With `drill` every count is a link to the evaluations behind it.
function measureCells(row, drill) {
  const n = (measure) => {
    const v = row[measure];
    if (!drill || !v) return String(v ?? 0);
    return el('a', { href: '#/greport', 'data-measure': measure,
      onclick: (ev) => { ev.preventDefault(); drill(row, measure); } }, String(v));
  };
  const ratio = (rate, num, den) => el('td', { class: 'num' }, rateText(row[rate], row[den]),
    row[den] ? el('span', { class: 'sub' }, ' ', n(num), '/', drill && den !== 'handled' ? n(den) : String(row[den])) : null);
  const evalRate = row.evaluationRate === null || row.evaluationRate === undefined
    ? el('td', { class: 'num' }, '—')
    : el('td', { class: 'num' }, rateText(row.evaluationRate, row.handled),
      row.handled ? el('span', { class: 'sub' }, ' ', n('ratedCases'), '/', String(row.handled)) : null);
  return [
    el('td', { class: 'num' }, n('ratings')),
    ratio('goodRate', 'good', 'ratings'),
    ratio('badRate', 'bad', 'ratings'),
    evalRate,
    el('td', { class: 'num' }, row.ratings ? row.averageScore.toFixed(2) : '—'),
    ratio('rectifyRate', 'rectified', 'files'),
    ratio('onTimeRate', 'onTime', 'rectified'),
    ratio('visitRate', 'visited', 'rectified'),
    ratio('visitSatisfactionRate', 'satisfied', 'visited'),
    el('td', { class: 'num' + (row.overdue ? ' due-bad' : '') }, n('overdue')),
    el('td', { class: 'num' }, n('appeals')),
    el('td', { class: 'num' }, n('excluded')),
    el('td', { class: 'num' }, n('defaults')),
    el('td', { class: 'reasons' }, reasonsText(row.topReasons)),
  ];
}
const MEASURE_HEADS = ['评价数', '好评率', '差评率', '评价率', '平均分', '差评整改率', '按期整改率', '回访率', '回访满意率', '超期',
  '申诉数', '不予采纳', '默认评价', '主要差评原因'];

function measureTable(table, rows, dim, drill) {
  const name = (r) => {
    const label = dim.scope === 'area' && r.level ? [el('span', { class: 'pill muted' }, GR_AREA_LEVELS[r.level] || r.level), ' ', r.name] : [r.name];
    if (!drill) return label;
    // A department's name opens all its evaluations (counted, 不予采纳, defaults); other names their counted ones.
    return el('a', { href: '#/greport', onclick: (ev) => { ev.preventDefault(); dim.scope === 'department' ? greportDept(r) : drill(r, 'ratings'); } }, ...label);
  };
  table.replaceChildren(el('thead', {}, el('tr', {}, el('th', {}, dim.label), ...MEASURE_HEADS.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', { 'data-key': r.key }, el('td', {}, name(r)), ...measureCells(r, drill)))));
  if (!rows.length) table.append(el('tbody', {}, el('tr', {}, el('td', { colspan: MEASURE_HEADS.length + 1, class: 'note' }, '本期没有评价'))));
}

function drillRows(list) {
  return list.map((e) => el('tr', { class: e.satisfaction <= 2 && (e.kind || 'counted') === 'counted' && !e.excluded ? 'overdue' : '',
    'data-evaluation': e.evaluationId },
  el('td', {}, e.assessTime), el('td', {}, e.projectNo), el('td', { class: 'num' }, `${e.satisfaction} 分`),
  el('td', {}, e.kind ? GR_KINDS[e.kind] : e.excluded ? GR_KINDS.excluded : e.isDefault ? GR_KINDS.default : GR_KINDS.counted),
  el('td', {}, e.hallCode), el('td', {}, e.taskName || e.taskCode || '—'), el('td', {}, e.staffNo || '—'),
  el('td', {}, e.evalDetail || '—'),
  el('td', {}, e.fileId ? el('a', { href: '#/file/' + e.fileId }, `${e.fileId}（${e.fileState}）`) : '—'),
  el('td', { class: 'comment' }, e.writingEvaluation || '')));
}

function showDrill(title, list) {
  $('#greport-drill').hidden = false;
  $('#greport-drill-title').textContent = title;
  $('#greport-evals tbody').replaceChildren(...drillRows(list));
  $('#greport-drill').scrollIntoView({ block: 'nearest' });
}

async function greportDept(r) {
  const d = await api('grievance/report?' + greportQuery({ dept: r.key }));
  showDrill(`${r.name} 的评价明细（${d.evaluations.length} 条）`, d.evaluations);
}

async function greportDrill(dim, r, measure) {
  const d = await api('grievance/report?' + greportQuery({ scope: dim.scope, key: r.key, measure }));
  showDrill(`${r.name} · ${GR_MEASURES[measure] || measure}（${d.drill.count} 条）`, d.drill.evaluations);
}

function reasonList(container, reasons) {
  const top = reasons.length ? reasons[0].count : 1;
  container.replaceChildren(...(reasons.length ? reasons.slice(0, 10).map((x) => el('li', { 'data-code': x.code },
    el('span', { class: 'reason-text' }, `${x.code} ${x.text || ''}`),
    el('span', { class: 'meter' }, el('span', { class: 'meter-bar', 'data-w': Math.round(x.count / top * 100) })),
    el('span', { class: 'num' }, `${x.count} 次`))) : [el('li', { class: 'note' }, '本期没有差评原因')]));
  // CSP forbids inline style attributes set from markup; set the width through the CSSOM.
  container.querySelectorAll('.meter-bar').forEach((b) => { b.style.width = b.dataset.w + '%'; });
}

function questionnaireList(container, questions) {
  container.replaceChildren(...(questions.length ? questions.map((q) => el('div', { class: 'question', 'data-question': q.id },
    el('div', { class: 'q-text' }, `${q.text}（${q.answered} 人作答）`),
    el('table', { class: 'grid small' }, el('tbody', {}, ...q.options.map((o) => el('tr', {},
      el('td', {}, o.text || o.code), el('td', { class: 'num' }, `${o.count}`),
      el('td', { class: 'num' }, q.answered ? pct(o.count / q.answered) : '—'))))))) : [el('p', { class: 'note' }, '本期没有问卷作答')]));
}

function overallTiles(container, o) {
  const tile = (k, v, bad) => el('div', { class: 'tile' + (bad ? ' bad' : '') }, el('div', { class: 'k' }, k), el('div', { class: 'v' }, v));
  container.replaceChildren(tile('评价数', String(o.ratings)), tile('好评率', pct(o.goodRate)), tile('差评', String(o.bad), o.bad > 0),
    tile('差评率', pct(o.badRate)), tile('评价率', o.handled ? pct(o.evaluationRate) : '—'),
    tile('差评整改率', pct(o.rectifyRate)), tile('按期整改率', pct(o.onTimeRate)), tile('回访率', pct(o.visitRate)),
    tile('回访满意率', pct(o.visitSatisfactionRate)), tile('超期工单', String(o.overdue), o.overdue > 0),
    tile('申诉数', String(o.appeals)), tile('不予采纳', String(o.excluded)), tile('默认评价', String(o.defaults)),
    tile('重复评价', String(o.duplicates)));
}

function showTab(field) {
  gr.tab = field;
  document.querySelectorAll('#greport-tabs button').forEach((b) => b.classList.toggle('active', b.dataset.tab === field));
  for (const d of GR_DIMENSIONS) $('#' + d.table).closest('.tab-panel').hidden = d.field !== field;
}

async function renderGReport() {
  $('#greport-to-label').hidden = $('#greport-period').value !== 'custom';
  const r = await api('grievance/report?' + greportQuery());
  gr.report = r;
  $('#greport-range').textContent = `${GR_PERIODS[r.period]}通报：${r.from} 至 ${r.to}（按评价时间统计，截至 ${r.today}）`;
  $('#greport-csv').href = '/console/api/grievance/report?' + greportQuery({ format: 'csv' });
  $('#greport-xlsx').href = '/console/api/grievance/report?' + greportQuery({ format: 'xlsx' });
  $('#greport-print').href = '#/gprint/' + greportQuery();
  overallTiles($('#greport-overall'), r.overall);
  const o = r.overall;
  $('#greport-overall-drill').replaceChildren('查看明细：', ...['ratings', 'bad', 'files', 'overdue', 'appeals', 'excluded', 'defaults', 'duplicates']
    .map((m) => el('a', { href: '#/greport', class: 'button small', 'data-measure': m,
      onclick: (ev) => { ev.preventDefault(); greportDrill({ scope: 'overall' }, { key: '', name: '全县' }, m).catch((e) => toast(e.message)); } },
    `${GR_MEASURES[m]} ${o[m]}`)));
  for (const dim of GR_DIMENSIONS)
    measureTable($('#' + dim.table), r[dim.field] || [], dim, (row, m) => greportDrill(dim, row, m).catch((e) => toast(e.message)));
  showTab(gr.tab);
  reasonList($('#greport-reasons'), r.reasons || []);
  questionnaireList($('#greport-questionnaire'), r.questionnaire || []);
  $('#greport-drill').hidden = true;
}

// ---- printable 通报 (#/gprint/<query>) ----

async function renderGReportPrint(query) {
  const r = await api('grievance/report?' + query);
  $('#gprint-title').textContent = `差评通报（${GR_PERIODS[r.period]}）`;
  $('#gprint-range').textContent = `统计周期：${r.from} 至 ${r.to}（按评价时间）　制表：${state.me.user}　截至 ${r.today}`;
  overallTiles($('#gprint-overall'), r.overall);
  $('#gprint-sections').replaceChildren(...GR_DIMENSIONS.map((dim) => {
    const table = el('table', { class: 'grid small', 'data-dimension': dim.field });
    measureTable(table, r[dim.field] || [], dim, null);
    return el('section', { class: 'print-section' }, el('h2', {}, dim.label), table);
  }));
  reasonList($('#gprint-reasons'), r.reasons || []);
  questionnaireList($('#gprint-questionnaire'), r.questionnaire || []);
  $('#gprint-back').href = '#/greport';
  document.body.dataset.printReady = query;
}

document.addEventListener('DOMContentLoaded', () => {
  $('#greport-apply').addEventListener('click', () => renderGReport().catch((e) => toast(e.message)));
  $('#greport-period').addEventListener('change', () => { $('#greport-to-label').hidden = $('#greport-period').value !== 'custom'; });
  $('#greport-tabs').replaceChildren(...GR_DIMENSIONS.map((d) => el('button', { type: 'button', 'data-tab': d.field,
    onclick: () => showTab(d.field) }, d.label)));
  $('#gprint-print').addEventListener('click', () => window.print());
});
