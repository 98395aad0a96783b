// What a cold start of relance spends its time on (npm run build first):
//   node bench/coldstart.mjs [--runs N]
// 1. medians of N runs taken in turn: node -e 0, importing dist/relance.js without running it,
//    relance --version, relance overdue --help, relance overdue on the 10k ledger;
// 2. in fresh processes, the cost of importing each module the eager path loads (the bundle's chunks
//    and the external packages), one at a time and each on its own;
// 3. a CPU profile (node --cpu-prof) of `relance --version` and `relance overdue`, self time summed per
//    file, so the bundle's share can be told from node's own start-up.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AS_OF, BIN, OUT, ROOT, ensureLedger } from './generate.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1] || 11) || 11;
const NODE = process.execPath;
const DIST = path.join(ROOT, 'dist', 'relance.js');
const HOME = path.join(OUT, 'home');
const ENV = { PATH: process.env.PATH, HOME, XDG_CONFIG_HOME: path.join(HOME, 'config'), TZ: 'Europe/Paris', NO_COLOR: '1' };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (args) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(NODE, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const { file } = ensureLedger(10_000);
const cases = {
  'node -e 0': ['-e', '0'],
  'import dist/relance.js (no run)': ['--input-type=module', '-e', `await import(${JSON.stringify(DIST)})`],
  'relance --version': [BIN, '--version'],
  'relance overdue --help': [BIN, 'overdue', '--help'],
  'relance overdue (10k ledger)': [BIN, '-f', file, 'overdue', '--as-of', AS_OF],
};
const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) time(args); // warm-up
for (let i = 0; i < RUNS; i++) for (const [k, args] of Object.entries(cases)) runs[k].push(time(args));
const base = median(runs['node -e 0']);
const result = { runs: RUNS, medians: {}, imports: {}, profiles: {} };
console.log(`1. medians of ${RUNS} runs taken in turn`);
for (const [k, xs] of Object.entries(runs)) {
  const m = median(xs);
  result.medians[k] = Math.round(m * 10) / 10;
  console.log(`   ${k.padEnd(34)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}x node   +${(m - base).toFixed(1)} ms`);
}

// 2. the eager modules: the bundle's static imports (transitively) and the packages they load.
const eager = new Set();
const walk = (f) => {
  if (eager.has(f)) return;
  eager.add(f);
  const src = fs.readFileSync(f, 'utf8');
  for (const m of src.matchAll(/(?:^|[;}\s])import\s*(?:[\w${},\s*]+from\s*)?["'](\.[^"']+)["']/g)) walk(path.resolve(path.dirname(f), m[1]));
};
walk(DIST);
const src = [...eager].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const packages = [...new Set([...src.matchAll(/require\(["']([^"'.][^"']*)["']\)|from\s*["']([^"'.][^"']*)["']/g)].map((m) => m[1] ?? m[2]))].filter((p) => !p.startsWith('node:'));
console.log(`\n2. import cost of each eager module, alone in a fresh process (median of ${Math.min(RUNS, 7)}), minus node -e 0`);
const importCost = (spec) => {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
  const xs = [];
  for (let i = 0; i < Math.min(RUNS, 7); i++) {
    const r = spawnSync(NODE, ['--input-type=module', '-e', code], { cwd: ROOT, env: ENV, encoding: 'utf8' });
    if (r.status !== 0) return null;
    xs.push(Number(r.stdout));
  }
  return median(xs);
};
for (const spec of [...packages, ...[...eager].map((f) => f)]) {
  const ms = importCost(spec.startsWith('/') ? spec : spec);
  const name = spec.startsWith('/') ? path.relative(ROOT, spec) : spec;
  result.imports[name] = ms === null ? null : Math.round(ms * 10) / 10;
  console.log(`   ${name.padEnd(40)} ${ms === null ? 'failed' : `${ms.toFixed(1).padStart(6)} ms`}`);
}

// 3. CPU profiles: self time per file.
console.log('\n3. CPU profile (node --cpu-prof), self time per file, top 8');
const profDir = path.join(OUT, 'profiles');
fs.rmSync(profDir, { recursive: true, force: true });
fs.mkdirSync(profDir, { recursive: true });
for (const [k, args] of Object.entries({ 'relance --version': cases['relance --version'], 'relance overdue (10k)': cases['relance overdue (10k ledger)'] })) {
  const dir = path.join(profDir, k.replace(/\W+/g, '-'));
  spawnSync(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', ...args], { env: ENV, stdio: 'ignore' });
  const prof = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i]);
    const url = n.callFrame.url || `(${n.callFrame.functionName || 'program'})`;
    const key = url.startsWith('file://') ? path.relative(ROOT, new URL(url).pathname) : url;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  result.profiles[k] = { total_ms: Math.round(total), top: Object.fromEntries(top.map(([f, ms]) => [f, Math.round(ms * 10) / 10])) };
  console.log(`   ${k}: ${total.toFixed(0)} ms sampled`);
  for (const [f, ms] of top) console.log(`     ${ms.toFixed(1).padStart(7)} ms  ${f}`);
}
fs.writeFileSync(path.join(OUT, 'coldstart.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`\nwritten to ${path.relative(ROOT, path.join(OUT, 'coldstart.json'))}`);
