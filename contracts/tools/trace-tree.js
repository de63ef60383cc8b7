#!/usr/bin/env node
// Builds the trace tree of a synthetic n-op trace by the shared rule and prints what the
// scripted game needs, formatted as cast arguments. Usage:
//   trace-tree.js <n> root                      -> 0x<binary root>
//   trace-tree.js <n> leaves <i,j,...>          -> [(i,schema,out),...] then [sibling,...] (two lines)
//   trace-tree.js <n> roots <k>                 -> [opRoot,gameRoot] then the trace commitment
//   trace-tree.js bind <chainId> <coordinator> <jobId> <provider> <traceCommitment> -> the job commitment
//   trace-tree.js <n> split <k> <lo> <hi>       -> the cut leaves then the child nodes of [lo, hi)
//   trace-tree.js <n> graph                     -> the model graph root (op i reads leaf i - 1)
//   trace-tree.js <n> reveal <i>                -> leaf i, then its trace siblings followed by its graph siblings
//   trace-tree.js <n> output                    -> the output hash of the last leaf (what the job must post)
//   trace-tree.js check <merkle.json>           -> verifies the shared vectors with this code
'use strict';
const fs = require('fs');
const path = require('path');
const { keccak256 } = require(path.join(__dirname, '..', 'node_modules', 'js-sha3'));

const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const bytes = (h) => Buffer.from(h.replace(/^0x/, '').padStart(64, '0'), 'hex');
const k = (buf) => Buffer.from(keccak256.arrayBuffer(buf));

function leafHash(index, schema, output) {
  const b = Buffer.alloc(69);
  b.writeUInt32BE(index, 1);
  schema.copy(b, 5);
  output.copy(b, 37);
  return k(b);
}
const nodeHash = (l, r) => k(Buffer.concat([Buffer.from([1]), l, r]));

// Model graph entry (src/lib/GraphMerkle.sol): keccak(0x05 ‖ uint32 index ‖ schema ‖ uint32 inputs...).
function graphEntry(index, schema, inputs) {
  const b = Buffer.alloc(37 + 4 * inputs.length);
  b[0] = 5;
  b.writeUInt32BE(index, 1);
  schema.copy(b, 5);
  inputs.forEach((x, j) => b.writeUInt32BE(x, 37 + 4 * j));
  return k(b);
}

// Synthetic but fixed trace: the schema cycles over five kinds, outputs hash the index.
function leafOf(i) {
  const schema = k(Buffer.from('schema' + (i % 5)));
  const output = k(Buffer.from('output' + i));
  return { index: i, schema, output };
}

function build(leaves) {
  let width = 1;
  while (width < leaves.length) width *= 2;
  const levels = [];
  let layer = new Array(width).fill(Buffer.alloc(32));
  leaves.forEach((l, i) => { layer[i] = l; });
  levels.push(layer);
  while (layer.length > 1) {
    const up = new Array(layer.length / 2);
    for (let i = 0; i < up.length; i++) up[i] = nodeHash(layer[2 * i], layer[2 * i + 1]);
    levels.push(up);
    layer = up;
  }
  return levels;
}

function proof(levels, index) {
  const sib = [];
  for (let l = 0; l + 1 < levels.length; l++) sib.push(levels[l][(index >> l) ^ 1]);
  return sib;
}

// Game tree (src/lib/GameTree.sol): node(lo, hi) = keccak(0x02 ‖ cut leaves ‖ child nodes),
// node(i, i + 1) = leaf(i); commitment = keccak(0x03 ‖ opRoot ‖ gameRoot).
function boundary(lo, hi, m, i) {
  return lo + Math.floor(((hi - lo) * i) / m);
}
function split(leaves, k, lo, hi) {
  const m = Math.min(k, hi - lo);
  const cuts = [];
  const children = [];
  for (let i = 1; i < m; i++) cuts.push(boundary(lo, hi, m, i) - 1);
  for (let i = 0; i < m; i++) children.push(gameNode(leaves, k, boundary(lo, hi, m, i), boundary(lo, hi, m, i + 1)));
  return { cuts, children };
}
function gameNode(leaves, k, lo, hi) {
  if (hi - lo === 1) return leaves[lo];
  const { cuts, children } = split(leaves, k, lo, hi);
  return k_(Buffer.concat([Buffer.from([2]), ...cuts.map((i) => leaves[i]), ...children]));
}
const k_ = k;
const listHash = (list) => k(Buffer.concat([Buffer.from([3]), ...list]));

function check(file) {
  const v = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const n of v.nodes) {
    if (hex(nodeHash(bytes(n.left), bytes(n.right))) !== n.node) throw new Error('node vector mismatch');
  }
  for (const t of v.trees) {
    const leaves = t.leaves.map((l) => {
      const h = leafHash(l.index, bytes(l.schemaHash), bytes(l.outputHash));
      if (hex(h) !== l.leaf) throw new Error(`leaf vector mismatch n=${t.n} i=${l.index}`);
      return h;
    });
    const levels = build(leaves);
    if (hex(levels[levels.length - 1][0]) !== t.root) throw new Error(`root mismatch n=${t.n}`);
    for (const p of t.proofs) {
      if (proof(levels, p.index).map(hex).join() !== p.siblings.join()) throw new Error(`proof mismatch n=${t.n}`);
    }
  }
  for (const g of v.gameTrees || []) {
    const leaves = g.leaves.map(bytes);
    if (hex(gameNode(leaves, g.k, 0, leaves.length)) !== g.gameRoot) throw new Error(`game root mismatch n=${leaves.length} k=${g.k}`);
    if (hex(listHash([bytes(g.opRoot), bytes(g.gameRoot)])) !== g.commitment) throw new Error('commitment mismatch');
    for (const s of g.splits) {
      const got = split(leaves, g.k, s.lo, s.hi).children.map(hex).join();
      if (got !== s.children.join()) throw new Error(`children mismatch [${s.lo}, ${s.hi})`);
    }
  }
  for (const j of v.jobCommitments || []) {
    if (hex(bind(j.chainId, j.coordinator, j.jobId, j.provider, j.traceCommitment)) !== j.commitment) {
      throw new Error(`job commitment mismatch chain ${j.chainId} job ${j.jobId}`);
    }
  }
  for (const g of v.graphTrees || []) {
    const entries = g.entries.map((e) => {
      const h = graphEntry(e.index, bytes(e.schemaHash), e.inputs);
      if (hex(h) !== e.entry) throw new Error(`graph entry mismatch n=${g.n} i=${e.index}`);
      return h;
    });
    const levels = build(entries);
    if (hex(levels[levels.length - 1][0]) !== g.root) throw new Error(`graph root mismatch n=${g.n}`);
  }
  console.log(`vectors ok: ${(v.graphTrees || []).length} graph trees, ${v.nodes.length} nodes, ${v.trees.length} trees, ${(v.gameTrees || []).length} game trees, ${(v.jobCommitments || []).length} job commitments`);
}

// jobCommitment = keccak256(0x04 ‖ uint256 chainId ‖ address coordinator ‖ uint256 jobId ‖ address provider ‖ traceCommitment)
function bind(chainId, coordinator, jobId, provider, trace) {
  const word = (v) => Buffer.from(BigInt(v).toString(16).padStart(64, '0'), 'hex');
  const addr = (a) => Buffer.from(a.replace(/^0x/, '').padStart(40, '0'), 'hex');
  return k(Buffer.concat([Buffer.from([4]), word(chainId), addr(coordinator), word(jobId), addr(provider), bytes(trace)]));
}

function main(argv) {
  if (argv[0] === 'check') return check(argv[1]);
  if (argv[0] === 'bind') return console.log(hex(bind(...argv.slice(1, 6))));
  const n = Number(argv[0]);
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32 - 1) throw new Error('n must be an op count >= 1');
  const all = Array.from({ length: n }, (_, i) => leafOf(i));
  const levels = build(all.map((l) => leafHash(l.index, l.schema, l.output)));
  const graphLevels = () => build(all.map((l) => graphEntry(l.index, l.schema, l.index > 0 ? [l.index - 1] : [])));
  if (argv[1] === 'root') {
    console.log(hex(levels[levels.length - 1][0]));
  } else if (argv[1] === 'graph') {
    const g = graphLevels();
    console.log(hex(g[g.length - 1][0]));
  } else if (argv[1] === 'output') {
    console.log(hex(all[n - 1].output));
  } else if (argv[1] === 'reveal') {
    const i = Number(argv[2]);
    console.log(`(${i},${hex(all[i].schema)},${hex(all[i].output)})`);
    console.log('[' + proof(levels, i).concat(proof(graphLevels(), i)).map(hex).join(',') + ']');
  } else if (argv[1] === 'leaves') {
    const idx = (argv[2] || '').split(',').filter((s) => s !== '').map(Number);
    console.log('[' + idx.map((i) => `(${i},${hex(all[i].schema)},${hex(all[i].output)})`).join(',') + ']');
    console.log('[' + idx.flatMap((i) => proof(levels, i).map(hex)).join(',') + ']');
  } else if (argv[1] === 'roots' || argv[1] === 'split') {
    const arity = Number(argv[2]);
    const hashes = all.map((l) => leafHash(l.index, l.schema, l.output));
    if (argv[1] === 'roots') {
      const roots = [levels[levels.length - 1][0], gameNode(hashes, arity, 0, n)];
      console.log('[' + roots.map(hex).join(',') + ']');
      console.log(hex(listHash(roots)));
    } else {
      const { cuts, children } = split(hashes, arity, Number(argv[3]), Number(argv[4]));
      console.log('[' + cuts.map((i) => `(${i},${hex(all[i].schema)},${hex(all[i].output)})`).join(',') + ']');
      console.log('[' + children.map(hex).join(',') + ']');
    }
  } else {
    throw new Error('usage: trace-tree.js <n> root | <n> graph | <n> output | <n> reveal i | <n> leaves i,j,... | <n> roots k | <n> split k lo hi | bind chainId coordinator jobId provider trace | check <merkle.json>');
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error('trace-tree: ' + e.message);
  process.exit(1);
}
