// SPDX-License-Identifier: Apache-2.0
// 差评 pages of the console (PROTOCOL §18): the 差评工单 list, a file with its timeline and the
// steps its state allows, the appeal review queue and the 回访 log (the 差评通报 is greport.js). Uses app.js's
// helpers ($, el, api, toast, fmtTime, pct, state); text only through textContent.
'use strict';

const G_ACTIONS = { open: '建档', verify: '核实', rectify: '整改', answer: '整改答复', close: '办结', transfer: '转办',
  reassign: '改派', extend: '书面说明', visit: '回访', appeal: '申诉', review: '申诉复核', reopen: '重新办理' };
const G_STAGES = { contact: '联系群众', rectify: '整改答复', visit: '回访' };
const G_LEVELS = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'];
const mayHandle = () => state.me && ['handler', 'maintainer', 'admin'].includes(state.me.role);
const isCounty = () => state.me && ['maintainer', 'admin'].includes(state.me.role);

function statePill(s) {
  const cls = { 办结: 'ok', 已回访: 'ok', 已整改: 'info', 不予采纳: 'muted', 转办: 'warn' }[s] || 'warn';
  return el('span', { class: 'pill ' + cls }, s);
}

// ---- 差评工单 list ----

async function renderFiles() {
  const q = new URLSearchParams();
  if ($('#files-state').value) q.set('state', $('#files-state').value);
  if ($('#files-dept').value.trim()) q.set('dept', $('#files-dept').value.trim());
  if ($('#files-overdue').checked) q.set('overdue', '1');
  const { files } = await api('grievance/files?' + q.toString());
  const overdue = files.filter((f) => f.overdue).length;
  $('#files-summary').replaceChildren(el('span', {}, `共 ${files.length} 件`),
    el('span', { class: overdue ? 'bad' : '' }, `超期 ${overdue} 件`));
  $('#files-table tbody').replaceChildren(...files.map((f) => el('tr', {
    class: 'clickable' + (f.overdue ? ' overdue' : ''), 'data-file': f.id,
    onclick: () => { location.hash = '#/file/' + f.id; },
  },
  el('td', {}, el('a', { href: '#/file/' + f.id }, String(f.id))),
  el('td', {}, f.projectNo),
  el('td', {}, f.deptName || f.deptCode),
  el('td', {}, f.taskName || '—'),
  el('td', { class: 'num' }, `${f.satisfaction} 分`),
  el('td', {}, f.ratingTime),
  el('td', {}, statePill(f.state)),
  el('td', {}, G_STAGES[f.stage] || '—'),
  el('td', { class: f.overdue ? 'due-bad' : '' }, f.dueDate ? f.dueDate + (f.overdue ? '（已超期）' : '') : '—'))));
  $('#files-empty').hidden = files.length > 0;
}

// ---- one file ----

function actionForm(id, title, fields, button, onSubmit) {
  const form = el('form', { class: 'action-form', 'data-form': id },
    el('h3', {}, title), ...fields, el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary' }, button)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await onSubmit(form);
      $('#file-result').textContent = title + '：已提交';
      $('#file-result').className = 'note ok';
      await renderFile(state.fileId, true);
    } catch (e) {
      $('#file-result').textContent = title + '未提交：' + e.message;
      $('#file-result').className = 'note bad';
    }
  });
  return form;
}

const textArea = (name, label, required) => el('label', {}, label, el('textarea', { name, required, rows: 3 }));
const complexBox = () => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'complex' }), '建立台账（复杂问题，15 个工作日）');
const value = (form, name) => form.elements[name].value.trim();

function fileActions(f, appeals) {
  const id = f.id;
  const step = (action, body) => api(`grievance/files/${id}/${action}`, { method: 'POST', body });
  const out = [];
  if (!mayHandle()) return [el('p', { class: 'note' }, '只读账户不能办理差评工单。')];
  if (f.overdue) {
    // Past the deadline: a 书面说明 and a new due date come before any further step.
    out.push(actionForm('extend', '超期书面说明', [
      el('p', { class: 'note bad' }, `已超过${G_STAGES[f.stage] || ''}期限（${f.dueDate}），须填写书面说明并设定新的期限后才能继续办理。`),
      textArea('text', '书面说明（超期原因）', true),
      el('label', {}, '新的期限', el('input', { type: 'date', name: 'newDueDate', required: true }))],
    '提交书面说明', (form) => step('extend', { text: value(form, 'text'), newDueDate: value(form, 'newDueDate') })));
  }
  // Past the deadline the steps wait for the 书面说明; an appeal does not.
  if (!f.overdue && (f.state === '待核实' || f.state === '转办'))
    out.push(actionForm('verify', '核实', [textArea('text', '核实情况（已联系群众、了解的情况）', true), complexBox()], '提交核实',
      (form) => step('verify', { text: value(form, 'text'), complex: form.elements.complex.checked })));
  if (!f.overdue && f.state === '核实中')
    out.push(actionForm('rectify', '整改', [textArea('text', '整改措施', true), complexBox()], '开始整改',
      (form) => step('rectify', { text: value(form, 'text'), complex: form.elements.complex.checked })));
  if (!f.overdue && f.state === '整改中')
    out.push(actionForm('answer', '整改答复', [el('p', { class: 'note' }, '答复内容将在评价终端扫码查询时向群众展示，并上报省平台。'),
      textArea('text', '答复内容', true)], '提交答复', (form) => step('answer', { text: value(form, 'text') })));
  if (!f.overdue && ['已整改', '已回访', '办结'].includes(f.state))
    out.push(actionForm('followup', '登记回访', [
      el('div', { class: 'form-grid' },
        el('label', {}, '回访方式', el('select', { name: 'method' }, ...['电话', '短信', '现场'].map((m) => el('option', {}, m)))),
        el('label', {}, '回访日期', el('input', { type: 'date', name: 'visitDate', required: true, value: new Date().toISOString().slice(0, 10) })),
        el('label', {}, '回访结果', el('select', { name: 'result' }, ...['满意', '基本满意', '不满意', '未联系上'].map((m) => el('option', {}, m))))),
      textArea('note', '备注', false)], '登记回访',
    (form) => api(`grievance/files/${id}/followups`, { method: 'POST',
      body: { method: value(form, 'method'), visitDate: value(form, 'visitDate'), result: value(form, 'result'), note: value(form, 'note') } })));
  if (!f.overdue && f.state === '已回访')
    out.push(actionForm('close', '办结', [textArea('text', '办结说明（可不填）', false)], '办结',
      (form) => step('close', { text: value(form, 'text') })));
  const pending = appeals.some((a) => a.state === '待复核');
  if (!pending && !['不予采纳', '办结'].includes(f.state))
    out.push(actionForm('appeal', '提出申诉（误评、恶意差评）', [textArea('reason', '申诉理由', true),
      el('label', {}, '证明材料（PDF/JPEG/PNG，可不选）', el('input', { type: 'file', name: 'evidence', accept: '.pdf,.jpg,.jpeg,.png' }))],
    '提出申诉', async (form) => {
      const a = await api(`grievance/files/${id}/appeals`, { method: 'POST', body: { reason: value(form, 'reason') } });
      const file = form.elements.evidence.files[0];
      if (file) {
        const r = await fetch(`/console/api/grievance/appeals/${a.id}/attachments`, { method: 'POST', credentials: 'same-origin',
          headers: { 'X-HCP-Console': '1', 'X-File-Name': encodeURIComponent(file.name) }, body: file });
        if (!r.ok) throw new Error(((await r.json().catch(() => ({}))).message) || '附件上传失败');
      }
    }));
  if (pending) out.push(el('p', { class: 'note' }, '申诉待县行政服务中心复核。'));
  if (!out.length) out.push(el('p', { class: 'note' }, `当前状态“${f.state}”没有需要办理的步骤。`));
  return out;
}

async function renderFile(id, keepResult) {
  state.fileId = id;
  if (!keepResult) { $('#file-result').textContent = ''; $('#file-result').className = 'note'; }
  const d = await api('grievance/files/' + encodeURIComponent(id));
  const f = d.file;
  $('#file-title').textContent = `工单 ${f.id}`;
  $('#file-state').replaceWith(Object.assign(statePill(f.state), { id: 'file-state' }));
  $('#file-overdue').hidden = !f.overdue;
  const e = d.evaluation || {};
  const dl = f.deadlines || {};
  const facts = [['办件编号', f.projectNo], ['部门', f.deptName ? `${f.deptName}（${f.deptCode}）` : f.deptCode], ['事项', f.taskName || '—'],
    ['评价', `${f.satisfaction} 分 ${G_LEVELS[f.satisfaction] || ''}`], ['评价时间', f.ratingTime],
    ['差评原因', e.evalDetailText || e.evalDetail || '—'], ['群众留言', e.writingEvaluation || (d.evaluation ? '—' : '（只读账户不显示）')],
    ['办理类型', f.complex ? '复杂问题（已建立台账）' : '一般问题'],
    ['联系期限', dl.contact || '—'], ['整改答复期限', dl.rectify || '—'], ['回访期限', dl.visit || '—'],
    ['当前期限', f.dueDate ? f.dueDate + (f.overdue ? '（已超期）' : '') : '—']];
  $('#file-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k),
    el('dd', { class: k === '当前期限' && f.overdue ? 'due-bad' : '' }, v)]));
  $('#file-timeline').replaceChildren(...d.timeline.map((t) => el('li', { 'data-action': t.action },
    el('div', { class: 'when' }, `${fmtTime(t.atMs)} · ${t.actor}`),
    el('div', { class: 'what' }, `${G_ACTIONS[t.action] || t.action}${t.toState && t.toState !== t.fromState ? ' → ' + t.toState : ''}`),
    t.text ? el('div', {}, t.text) : null,
    t.data && t.data.newDueDate ? el('div', { class: 'when' }, `新的期限 ${t.data.newDueDate}（原期限 ${t.data.previousDueDate}）`) : null)));
  $('#file-followups tbody').replaceChildren(...d.followUps.map((v) => el('tr', {},
    el('td', {}, v.visitDate), el('td', {}, v.method), el('td', {}, v.result), el('td', {}, v.actor), el('td', {}, v.note || ''))));
  $('#file-appeals tbody').replaceChildren(...d.appeals.map((a) => el('tr', { 'data-appeal': a.id },
    el('td', {}, String(a.id)), el('td', {}, a.appellant), el('td', {}, a.reason), el('td', {}, statePill(a.state)),
    el('td', {}, a.reviewer || '—'), el('td', {}, a.decisionReason || '—'))));
  $('#file-actions').replaceChildren(...fileActions(f, d.appeals));
}

// ---- appeal review ----

async function renderAppeals() {
  const { appeals } = await api('grievance/appeals');
  $('#appeals-summary').replaceChildren(el('span', { class: appeals.length ? 'bad' : '' }, `待复核 ${appeals.length} 件`));
  $('#appeals-table tbody').replaceChildren(...appeals.map((a) => {
    const mine = state.me.user === a.appellant;
    const decision = isCounty() && !mine
      ? el('form', { class: 'form-row', 'data-decide': a.id },
        el('select', { name: 'decision' }, el('option', {}, '维持'), el('option', {}, '不予采纳')),
        el('input', { name: 'reason', placeholder: '复核意见', required: true }),
        el('button', { type: 'submit', class: 'primary' }, '提交复核'))
      : el('span', { class: 'note' }, mine ? '本人提出的申诉，须由他人复核' : '由县行政服务中心复核');
    if (decision.tagName === 'FORM') decision.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api(`grievance/appeals/${a.id}/decision`, { method: 'POST',
          body: { decision: decision.elements.decision.value, reason: decision.elements.reason.value.trim() } });
        $('#appeals-result').textContent = `申诉 ${a.id} 已复核：${r.state}`;
        $('#appeals-result').className = 'note ok';
        await renderAppeals();
      } catch (e) {
        $('#appeals-result').textContent = '未提交：' + e.message;
        $('#appeals-result').className = 'note bad';
      }
    });
    return el('tr', { 'data-appeal': a.id },
      el('td', {}, String(a.id)), el('td', {}, el('a', { href: '#/file/' + a.fileId }, String(a.fileId))),
      el('td', {}, a.deptCode), el('td', {}, a.appellant), el('td', {}, a.reason),
      el('td', {}, ...(a.attachments || []).map((x) => el('a', { href: '/console/api/grievance/attachments/' + x.id }, x.fileName + ' '))),
      el('td', {}, fmtTime(a.filedAtMs)), el('td', {}, decision));
  }));
  $('#appeals-empty').hidden = appeals.length > 0;
}

// ---- 回访 log ----

async function renderFollowUps() {
  $('#followups-dept-label').hidden = state.me.role === 'handler'; // a handler's log is its department's
  const q = new URLSearchParams();
  for (const k of ['dept', 'from', 'to', 'result', 'method']) {
    const v = $('#followups-' + k).value.trim();
    if (v && !(k === 'dept' && state.me.role === 'handler')) q.set(k, v);
  }
  const { followUps } = await api('grievance/followups?' + q.toString());
  const count = (r) => followUps.filter((v) => v.result === r).length;
  $('#followups-summary').replaceChildren(el('span', {}, `共 ${followUps.length} 条`), el('span', {}, `满意 ${count('满意')}`),
    el('span', {}, `基本满意 ${count('基本满意')}`), el('span', { class: count('不满意') ? 'bad' : '' }, `不满意 ${count('不满意')}`),
    el('span', {}, `未联系上 ${count('未联系上')}`));
  const resultCls = { 满意: 'ok', 基本满意: 'info', 不满意: 'bad', 未联系上: 'muted' };
  $('#followups-table tbody').replaceChildren(...followUps.map((v) => el('tr', { 'data-followup': v.id },
    el('td', {}, v.visitDate), el('td', {}, el('a', { href: '#/file/' + v.fileId }, String(v.fileId))), el('td', {}, v.projectNo),
    el('td', {}, v.deptName || v.deptCode), el('td', {}, v.method), el('td', {}, el('span', { class: 'pill ' + (resultCls[v.result] || '') }, v.result)),
    el('td', {}, v.actor), el('td', { class: 'comment' }, v.note || ''), el('td', {}, statePill(v.fileState)), el('td', {}, fmtTime(v.createdAtMs)))));
  $('#followups-empty').hidden = followUps.length > 0;
}

document.addEventListener('DOMContentLoaded', () => {
  $('#files-apply').addEventListener('click', () => renderFiles().catch((e) => toast(e.message)));
  $('#files-overdue').addEventListener('change', () => renderFiles().catch((e) => toast(e.message)));
  $('#files-state').addEventListener('change', () => renderFiles().catch((e) => toast(e.message)));
  $('#followups-filters').addEventListener('submit', (ev) => { ev.preventDefault(); renderFollowUps().catch((e) => toast(e.message)); });
});
