#!/usr/bin/env node
'use strict';
// The `illustrate` command: the bundle built by the repository's esbuild.js (`npm run compile`).
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'illustrate.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('illustrate: the command-line tool is not built yet. Run `npm install` (or `node esbuild.js`) in the Illustrate repository.\n');
  process.exit(2);
}
require(bundle);
