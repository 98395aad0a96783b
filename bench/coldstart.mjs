// What a cold start of relance costs, and where it goes (npm run build first):
//   node bench/coldstart.mjs [--runs N]
// 1. medians (and minima) of N runs taken in turn (A, B, C, A, B, C, ...) after one warm-up each:
//    node -e 0, relance --version, relance client list on a small ledger (3 clients),
//    relance overdue --help, and client list with the V8 code cache turned off; once in a clean
//    environment (env -i: PATH, HOME, TZ, NO_COLOR only; the targets are taken there: --version
//    <= 1.25x, client list <= 1.5x) and once with the machine's NODE_EXTRA_CA_CERTS when it is set
//    (it slows every node start alike, so it flatters the ratio);
// 2. in one process, the CPU time (process.cpuUsage, so a loaded machine moves it less) of the phases
//    of `client list` as bin/relance runs it: reading its bundle (dist/commands/client.cjs) and code
//    cache, compiling from the cache, evaluating the bundle, the run (which loads SQLite's addon,
//    opens the ledger and prints);
// 3. a CPU profile (node --cpu-prof) of `relance client list`, self time per file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, OUT, ROOT } from './generate.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1] || 15) || 15;
const NODE = process.execPath;
const HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-cold-'));
const CLEAN = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME, XDG_CONFIG_HOME: path.join(HOME, 'config'), TZ: 'Europe/Paris', NO_COLOR: '1' };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x) => Math.round(x * 10) / 10;
const time = (args, env) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(NODE, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};

// A small ledger made by the real CLI.
const file = path.join(HOME, 'small.db');
const cli = (...args) => {
  const r = spawnSync(NODE, [BIN, ...args], { env: CLEAN, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`relance ${args.join(' ')}: ${r.stderr}`);
};
cli('init', file, '--name', 'Atelier Dupont', '--email', 'compta@dupont.fr', '--no-input');
for (const code of ['ACME', 'BETA', 'GAMMA']) cli('-f', file, 'client', 'add', code, '--name', `${code} SAS`, '--email', `ap@${code.toLowerCase()}.fr`);

const cases = {
  'node -e 0': ['-e', '0'],
  'relance --version': [BIN, '--version'],
  'relance client list': [BIN, '-f', file, 'client', 'list'],
  'relance overdue --help': [BIN, 'overdue', '--help'],
};
const result = { runs: RUNS, date: new Date().toISOString(), node: process.version, environments: {}, phases: {}, profile: {} };
const envs = { clean: CLEAN };
if (process.env.NODE_EXTRA_CA_CERTS) envs['with NODE_EXTRA_CA_CERTS'] = { ...CLEAN, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS };
console.log(`1. medians of ${RUNS} runs taken in turn (min in brackets)`);
for (const [label, env] of Object.entries(envs)) {
  const all = { ...cases, 'client list, no code cache': cases['relance client list'] };
  const envOf = (k) => (k.includes('no code cache') ? { ...env, RELANCE_NO_CODE_CACHE: '1' } : env);
  const targets = { 'relance --version': 1.25, 'relance client list': 1.5 };
  const runs = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
  for (const [k, args] of Object.entries(all)) time(args, envOf(k)); // warm-up
  for (let i = 0; i < RUNS; i++) for (const [k, args] of Object.entries(all)) runs[k].push(time(args, envOf(k)));
  const base = median(runs['node -e 0']);
  const baseMin = Math.min(...runs['node -e 0']);
  console.log(`   ${label}`);
  result.environments[label] = {};
  for (const [k, xs] of Object.entries(runs)) {
    const m = median(xs);
    const mn = Math.min(...xs);
    result.environments[label][k] = { median_ms: round(m), min_ms: round(mn), ratio: round((m / base) * 100) / 100, ratio_min: round((mn / baseMin) * 100) / 100 };
    const target = label === 'clean' && targets[k] ? `  target <= ${targets[k]}x: ${m / base <= targets[k] ? 'met' : 'NOT met'}` : '';
    console.log(`     ${k.padEnd(30)} ${m.toFixed(1).padStart(6)} ms ${(m / base).toFixed(2)}x  (${mn.toFixed(1)} ms ${(mn / baseMin).toFixed(2)}x)${target}`);
  }
}

// 2. phases, measured inside one process with the loader's own steps (CPU time of the process).
const bundle = path.join(ROOT, 'dist', 'commands', 'client.cjs');
const probe = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const marks = [['node start', cpu()]];
const mark = (n) => marks.push([n, cpu()]);
const fs = require('node:fs'), path = require('node:path'), Module = require('node:module'), vm = require('node:vm');
const bundle = ${JSON.stringify(bundle)};
const source = fs.readFileSync(bundle, 'utf8');
const cache = fs.readFileSync(bundle.replace(/\\.cjs$/, '.v8cache'));
const cachedData = cache.subarray(cache.indexOf(10) + 1); // after the build-id line
mark('read bundle + cache');
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (script.cachedDataRejected) throw new Error('code cache rejected');
mark('compile (from cache)');
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
mark('evaluate bundle');
mod.exports.main(['-f', ${JSON.stringify(file)}, 'client', 'list']).then(() => {
  mark('run client list');
  let prev = 0;
  fs.writeSync(2, JSON.stringify(marks.map(([n, t]) => { const d = t - prev; prev = t; return [n, d]; })));
});`;
const phases = {};
for (let i = 0; i < Math.min(RUNS, 9); i++) {
  const r = spawnSync(NODE, ['-e', probe], { env: CLEAN, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`phase probe: ${r.stderr}`);
  for (const [n, d] of JSON.parse(r.stderr)) (phases[n] ??= []).push(d);
}
console.log('\n2. phases of client list in one process, clean environment (CPU ms, medians)');
for (const [n, xs] of Object.entries(phases)) {
  result.phases[n] = round(median(xs));
  console.log(`   ${n.padEnd(24)} ${median(xs).toFixed(1).padStart(6)} ms`);
}

// 3. CPU profile: self time per file.
console.log('\n3. CPU profile of relance client list (node --cpu-prof), self time per file, top 8');
const dir = path.join(OUT, 'profiles', 'client-list');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
spawnSync(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', ...cases['relance client list']], { env: CLEAN, stdio: 'ignore' });
const prof = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]), 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]);
  const url = n.callFrame.url || `(${n.callFrame.functionName || 'program'})`;
  const key = url.startsWith('file://') || url.startsWith('/') ? path.relative(ROOT, url.replace(/^file:\/\//, '')) : url;
  self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
result.profile = { total_ms: Math.round(total), top: Object.fromEntries(top.map(([f, ms]) => [f, round(ms)])) };
console.log(`   ${total.toFixed(0)} ms sampled`);
for (const [f, ms] of top) console.log(`     ${ms.toFixed(1).padStart(7)} ms  ${f}`);

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'coldstart.json'), JSON.stringify(result, null, 2) + '\n');
fs.rmSync(HOME, { recursive: true, force: true });
console.log(`\nwritten to ${path.relative(ROOT, path.join(OUT, 'coldstart.json'))}`);
