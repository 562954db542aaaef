const receiptline = require('receiptline');
const fs = require('fs');
const doc = `^^政务服务"好差评"
评价凭条
|服务大厅：西城区政务服务中心|
|评价结果：非常满意|
{code:https://example.gov.cn/pj?c=A123; option:qrcode,4,m}
|扫码查看评价处理进度|
=`;
for (const cmd of ['escpos', 'generic']) {
  const out = receiptline.transform(doc, { command: cmd, encoding: 'gb18030', cpl: 32, cutting: true });
  fs.writeFileSync(`receiptline_${cmd}.bin`, Buffer.from(out, 'binary'));
  console.log(cmd, Buffer.from(out, 'binary').length);
}
