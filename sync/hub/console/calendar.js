// SPDX-License-Identifier: Apache-2.0
// 节假日 page of the console (PROTOCOL §19): the holiday notices the hub holds (days off and 调休
// make-up days per year), their publication to the kiosks, the missing-year alerts and, for an
// admin, the upload of a year's file (the hub checks it and answers in Chinese with the problems).
// Uses app.js's helpers ($, el, api, fmtTime, state); text only through textContent.
'use strict';

const CAL_WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const cal = { year: 0, data: null };

function calendarDays(y) {
  const days = [...(y.days || [])].sort((a, b) => a.date.localeCompare(b.date));
  const row = (d) => el('li', { 'data-date': d.date }, el('span', { class: 'mono' }, d.date),
    ` 周${CAL_WEEKDAYS[new Date(d.date + 'T00:00:00Z').getUTCDay()]} `, el('span', {}, d.name));
  $('#calendar-days-title').textContent = `${y.year} 年：放假 ${y.holidays} 天，调休上班 ${y.makeUpDays} 天`;
  $('#calendar-off').replaceChildren(...days.filter((d) => d.isOffDay).map(row));
  $('#calendar-work').replaceChildren(...days.filter((d) => !d.isOffDay).map(row));
  $('#calendar-days').hidden = false;
  document.querySelectorAll('#calendar-years tbody tr').forEach((tr) => tr.classList.toggle('selected', Number(tr.dataset.year) === y.year));
}

async function renderCalendar() {
  const c = await api('calendar');
  cal.data = c;
  $('#calendar-alerts').replaceChildren(...c.alerts.map((a) => el('div', { class: 'banner ' + (a.severity === 'critical' ? 'bad' : 'warn'),
    'data-kind': a.kind, 'data-year': a.year }, a.message)));
  $('#calendar-years tbody').replaceChildren(...c.years.map((y) => el('tr', { class: 'clickable' + (y.holidays ? '' : ' overdue'),
    'data-year': y.year, onclick: () => calendarDays(y) },
  el('td', {}, String(y.year)), el('td', { class: 'num' }, String(y.holidays)), el('td', { class: 'num' }, String(y.makeUpDays)),
  el('td', { class: 'papers' }, ...(y.papers.length ? y.papers.map((u) => el('a', { href: u, target: '_blank', rel: 'noopener' },
    u.replace(/^https?:\/\/(www\.)?/, '').replace(/^(.{28}).+$/, '$1…'))) : ['—'])), el('td', {}, y.source === 'upload' ? '上传' : '随软件发布'), el('td', {}, y.actor || '—'),
  el('td', {}, fmtTime(y.updatedAtMs)),
  el('td', {}, y.holidays ? el('span', { class: 'pill ' + (y.published ? 'ok' : 'warn') }, y.published ? '已发布' : '未发布')
    : el('span', { class: 'pill bad' }, '空，未载入节假日')))));
  const p = c.published;
  $('#calendar-published').textContent = p ? `已签名发布第 ${p.version} 版（${p.years.join('、')} 年，${p.actor}，${fmtTime(p.createdAtMs)}）；`
    + `${p.kiosksApplied}/${p.kiosks} 台终端已应用` : '尚未发布到终端';
  $('#calendar-audit tbody').replaceChildren(...c.audit.map((a) => el('tr', {}, el('td', {}, fmtTime(a.atMs)), el('td', {}, String(a.year)),
    el('td', {}, a.actor), el('td', {}, a.action), el('td', { class: 'num' }, String(a.holidays)), el('td', { class: 'num' }, String(a.makeUpDays)),
    el('td', { class: 'comment' }, a.problems || ''))));
  $('#calendar-upload').hidden = !c.canUpload;
  $('#calendar-readonly').hidden = c.canUpload;
  const shown = c.years.find((y) => y.year === cal.year) || c.years.find((y) => y.year === Number(c.today.slice(0, 4))) || c.years[0];
  if (shown) { cal.year = shown.year; calendarDays(shown); }
}

async function uploadCalendar(ev) {
  ev.preventDefault();
  const result = $('#calendar-result');
  const year = $('#calendar-year').value.trim();
  const file = $('#calendar-file').files[0];
  result.className = 'note';
  $('#calendar-problems').replaceChildren();
  if (!file) { result.textContent = '请选择节假日文件（JSON）'; result.className = 'note bad'; return; }
  const r = await fetch('/console/api/calendar/' + encodeURIComponent(year), { method: 'POST', credentials: 'same-origin',
    headers: { 'X-HCP-Console': '1', 'Content-Type': 'application/json' }, body: await file.text() });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    result.textContent = data.message || ('上传失败（HTTP ' + r.status + '）');
    result.className = 'note bad';
    $('#calendar-problems').replaceChildren(...(data.problems || []).map((p) => el('li', {}, p)));
    await renderCalendar(); // the refusal is in the upload record
    return;
  }
  result.textContent = `${data.stored} 年节假日安排已保存` + (data.version ? `，已签名发布第 ${data.version} 版` : `，发布失败：${data.publishError}`);
  result.className = data.version ? 'note ok' : 'note bad';
  cal.year = data.stored;
  await renderCalendar();
}

document.addEventListener('DOMContentLoaded', () => {
  $('#calendar-upload').addEventListener('submit', (ev) => uploadCalendar(ev).catch((e) => {
    $('#calendar-result').textContent = '上传失败：' + e.message;
    $('#calendar-result').className = 'note bad';
  }));
});
