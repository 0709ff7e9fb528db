#!/usr/bin/env node
// Merges translations into l10n/bundle.l10n.zh-cn.json (`node scripts/l10n-merge.js NEW.json`),
// drops keys the English bundle no longer has, and keeps the English bundle's order.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.resolve(__dirname, '../l10n');
const en = JSON.parse(fs.readFileSync(path.join(dir, 'bundle.l10n.json'), 'utf8'));
const file = path.join(dir, 'bundle.l10n.zh-cn.json');
const zh = { ...JSON.parse(fs.readFileSync(file, 'utf8')), ...(process.argv[2] ? JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) : {}) };
const out = {};
const missing = [];
for (const key of Object.keys(en)) {
  if (key in zh) {
    out[key] = zh[key];
  } else {
    missing.push(key);
  }
}
fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
if (missing.length) {
  console.log(JSON.stringify(missing, null, 1));
  process.exitCode = 1;
}
