#!/usr/bin/env node
/**
 * The package's `bin` (copied to dist-cli/pcap-doctor.cjs by scripts/build-cli.mjs): runs the
 * bundled command line (cli.cjs) through V8's code cache (cli.cache), so a run does not spend
 * ~20 ms compiling 200 KB of JavaScript before it reads the first byte. The cache is made at build
 * time by one run over the sample capture; a cache V8 rejects (another Node version) is simply
 * compiled as usual and rewritten once, when the directory is writable.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const code = path.join(__dirname, 'cli.cjs');
const cacheFile = path.join(__dirname, 'cli.cache');
let cached;
try {
  cached = fs.readFileSync(cacheFile);
} catch {
  cached = undefined;
}
// The CommonJS wrapper Node itself would put around the file.
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(code, 'utf8')}\n})`,
  { filename: code, cachedData: cached },
);
if (process.env.PCAP_DOCTOR_WRITE_CACHE === '1' || !cached || script.cachedDataRejected) {
  // After the run, so the functions the run compiled are in the cache too.
  process.on('exit', () => {
    try {
      fs.writeFileSync(cacheFile, script.createCachedData());
    } catch {
      /* a read-only install: run without a cache */
    }
  });
}
script.runInThisContext()(module.exports, require, module, code, __dirname);
