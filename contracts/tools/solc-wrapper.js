#!/usr/bin/env node
// Makes solc-js look like a native solc to forge: forge asks for `--version`
// and then feeds standard JSON on stdin. Nothing is ever downloaded.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));

const args = process.argv.slice(2);

function nativeVersion() {
  // solc-js reports "...Emscripten.clang"; forge parses the native banner.
  const m = /^(\d+\.\d+\.\d+)\+commit\.([0-9a-f]+)/.exec(solc.version());
  if (!m) throw new Error('unexpected solc-js version: ' + solc.version());
  return `${m[1]}+commit.${m[2]}.Linux.g++`;
}

function collectRoots(argv) {
  const roots = [];
  const flags = new Set(['--base-path', '--include-path', '--allow-paths']);
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i], value = null;
    const eq = flag.indexOf('=');
    if (eq > 0) { value = flag.slice(eq + 1); flag = flag.slice(0, eq); }
    if (!flags.has(flag)) continue;
    if (value === null) value = argv[++i];
    if (value) for (const p of value.split(',')) if (p) roots.push(path.resolve(p));
  }
  roots.push(process.cwd());
  return roots;
}

function makeImportCallback(roots) {
  return function findImports(importPath) {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((r) => path.join(r, importPath));
    for (const c of candidates) {
      try {
        if (fs.statSync(c).isFile()) return { contents: fs.readFileSync(c, 'utf8') };
      } catch (_) { /* try the next root */ }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(', ')})` };
  };
}

function main() {
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(
      `solc, the solidity compiler commandline interface\nVersion: ${nativeVersion()}\n`);
    return 0;
  }
  if (!args.includes('--standard-json')) {
    process.stderr.write('solc-wrapper: only --version and --standard-json are supported\n');
    return 2;
  }
  const input = fs.readFileSync(0, 'utf8');
  const output = solc.compile(input, { import: makeImportCallback(collectRoots(args)) });
  process.stdout.write(output);
  return 0;
}

process.exitCode = main();
