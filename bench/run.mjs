// npm run bench [-- --sizes 10k,100k,1m] [--runs N]
//
// Times relance against its floor (node's own start; the same SQL in the sqlite3 CLI) and against what
// a user would pick instead (ledger-cli, hledger), on generated ledgers (bench/generate.mjs). Every
// comparison is taken IN TURN (A, B, A, B, ...) after one warm-up run of each, and reported as the
// median of N runs, because on a shared machine only ratios taken side by side hold. Prints one table
// and writes it as JSON to bench/out/results.json. Not part of npm test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AS_OF, BIN, OUT, ROOT, ensureJournal, ensureLedger, parseSize, sizeLabel } from './generate.mjs';
import { overdueStatements } from './sql.mjs';
import { ensureCamtStatement, ensureHistoryLedger } from './bank.mjs';
import { facturxRows } from './facturx.mjs';
import { ensureGrowthLedger, physicalFloorScript } from './overdue.mjs';

// ------------------------------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return def;
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
};
const SECTIONS = ['cold', 'overdue', 'growth', 'peer', 'remind', 'render', 'bank', 'facturx', 'send'];
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`usage: npm run bench -- [--sizes 10k,100k,1m] [--runs N] [--timeout SECONDS] [--only SECTIONS]\n  --sizes  ledgers of the overdue rows (default 10k,100k,1m; the cold start always uses 10k)\n  --runs   timed runs per contender (default 5), after one warm-up\n  --timeout  seconds before one run is stopped and its row marked timed out (default 120)\n  --only   some sections: ${SECTIONS.join(',')}\n`);
  process.exit(0);
}
const SIZES = String(opt('--sizes', '10k,100k,1m')).split(',').map(parseSize);
const RUNS = Math.max(1, Number(opt('--runs', '5')));
const TIMEOUT_S = Math.max(1, Number(opt('--timeout', '120')));
const ONLY = opt('--only', null)?.split(',') ?? SECTIONS;
for (const o of ONLY) if (!SECTIONS.includes(o)) throw new Error(`--only ${o}: use one or more of ${SECTIONS.join(',')}`);
const want = (section) => ONLY.includes(section);
const NODE = process.execPath;
const HOME = path.join(OUT, 'home');
fs.mkdirSync(HOME, { recursive: true });
const ENV = { PATH: process.env.PATH, HOME, XDG_CONFIG_HOME: path.join(HOME, 'config'), TZ: 'Europe/Paris', LANG: 'C.UTF-8', NO_COLOR: '1' };
const log = (s) => process.stderr.write(s + '\n');

// ------------------------------------------------------------------------------------- timing
const devNull = fs.openSync('/dev/null', 'w');

// CPU time (user + system) of each run, through GNU time when it is there: on a loaded machine the
// wall time of a run stretches with the load, its CPU time much less, so both are reported.
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cpuFile = path.join(OUT, `cpu-${process.pid}.txt`);
const TIMEOUT_CMD = ['/usr/bin/timeout', '/bin/timeout'].find((f) => fs.existsSync(f)) ?? null;

/** Run once; stdout goes to /dev/null unless captured (warm-up checks what was printed). */
function exec(cmd, args, { capture = false, env = ENV, input } = {}) {
  if (TIMEOUT_CMD) {
    // coreutils timeout kills the command itself (spawnSync's own timeout would only kill the wrapper).
    args = ['-s', 'KILL', String(TIMEOUT_S), cmd, ...args];
    cmd = TIMEOUT_CMD;
  }
  if (GNU_TIME) {
    args = ['-f', '%U %S', '-o', cpuFile, cmd, ...args];
    cmd = GNU_TIME;
    fs.rmSync(cpuFile, { force: true });
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    env,
    cwd: OUT,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', capture ? 'pipe' : devNull, 'pipe'],
    maxBuffer: 1 << 30,
    timeout: (TIMEOUT_S + 30) * 1000,
    killSignal: 'SIGKILL',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const timedOut = ms >= TIMEOUT_S * 1000 && (r.signal === 'SIGKILL' || r.status === 137 || r.status === 124);
  const error = timedOut ? new Error(`timed out: still running after ${TIMEOUT_S} s (--timeout)`) : r.error;
  let cpu;
  if (GNU_TIME && fs.existsSync(cpuFile)) {
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(fs.readFileSync(cpuFile, 'utf8'));
    if (m) cpu = (Number(m[1]) + Number(m[2])) * 1000;
  }
  return { ms, cpu, code: r.status, signal: r.signal, error, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr ? r.stderr.toString() : '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Contenders: [{ key, cmd, args, prepare?() }]. One warm-up run of each (which must succeed), then
 * RUNS rounds taking each in turn. Returns { key: { ms, runs, error?, bytes } }.
 */
function race(contenders) {
  const out = {};
  const live = [];
  for (const c of contenders) {
    c.prepare?.();
    const w = exec(c.cmd, c.args, { capture: true, input: c.input });
    if (w.error || w.code !== 0) {
      const why = w.error ? w.error.message : `exit ${w.code ?? w.signal}: ${w.stderr.trim().split('\n')[0] || ''}`;
      out[c.key] = { error: why.slice(0, 160) };
      continue;
    }
    out[c.key] = { runs: [], cpu_runs: [], bytes: w.stdout.length };
    live.push(c);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const c of live) {
      c.prepare?.();
      const r = exec(c.cmd, c.args, { input: c.input });
      if (r.error || r.code !== 0) {
        out[c.key] = { error: `run ${i + 1}: ${r.error ? r.error.message : `exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`}`.slice(0, 160) };
        live.splice(live.indexOf(c), 1);
        break;
      }
      out[c.key].runs.push(Math.round(r.ms * 10) / 10);
      if (r.cpu !== undefined) out[c.key].cpu_runs.push(Math.round(r.cpu));
    }
  }
  for (const v of Object.values(out)) {
    if (v.runs) v.ms = median(v.runs);
    if (v.cpu_runs?.length) v.cpu = median(v.cpu_runs);
  }
  return out;
}

// ------------------------------------------------------------------------------------- tools
function hasTool(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}
let aptUpdated = false;
/** Install a Debian package when its command is absent. Returns null when available, else why not. */
function ensureTool(cmd, pkg) {
  if (hasTool(cmd)) return null;
  log(`installing ${pkg} (apt-get) for the ${cmd} rows...`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!aptUpdated) {
    run(['apt-get', 'update']);
    aptUpdated = true;
  }
  const r = run(['apt-get', 'install', '-y', '--no-install-recommends', pkg]);
  if (hasTool(cmd)) return null;
  return `could not install ${pkg} with apt-get (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
}

/** Whether this build of relance has the command (its own --help, not the program's, is printed). */
const commands = new Map();
function hasCommand(name) {
  if (!commands.has(name)) {
    const r = exec(NODE, [BIN, name, '--help'], { capture: true });
    commands.set(name, r.code === 0 && r.stdout.toString().startsWith(`Usage: relance ${name}`));
  }
  return commands.get(name);
}

// ------------------------------------------------------------------------------------- rows
const rows = [];
const fmt = (ms) => (ms === undefined ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

/**
 * One row: `relance` result against an optional reference (floor or peer).
 * target: { ratioMax?, ratioMinFaster?, msMax? } checked on the medians.
 */
function addRow({ bench, ledger, relance, ref, refLabel, target, note }) {
  const row = {
    bench, ledger, relance_ms: relance?.ms, ref: refLabel ?? null, ref_ms: ref?.ms, ratio: null,
    relance_cpu_ms: relance?.cpu, ref_cpu_ms: ref?.cpu, cpu_ratio: null, target: null, ok: null, note: note ?? null,
    runs: { relance: relance?.runs, ref: ref?.runs, relance_cpu: relance?.cpu_runs, ref_cpu: ref?.cpu_runs },
  };
  if (relance?.error) row.note = `relance failed: ${relance.error}`;
  if (ref?.error) row.note = [row.note, `${refLabel} failed: ${ref.error}`].filter(Boolean).join('; ');
  if (relance?.ms !== undefined && ref?.ms !== undefined) row.ratio = Math.round((relance.ms / ref.ms) * 100) / 100;
  if (relance?.cpu !== undefined && ref?.cpu) row.cpu_ratio = Math.round((relance.cpu / ref.cpu) * 100) / 100;
  const checks = [];
  const texts = [];
  if (target?.ratioMax !== undefined) {
    texts.push(`<= ${target.ratioMax}x`);
    if (row.ratio !== null) checks.push(row.ratio <= target.ratioMax);
  }
  if (target?.fasterBy !== undefined) {
    texts.push(`>= ${target.fasterBy}x faster`);
    if (row.ratio !== null) checks.push(row.ratio <= 1 / target.fasterBy);
  }
  if (target?.msMax !== undefined) {
    texts.push(`<= ${fmt(target.msMax)}`);
    if (relance?.ms !== undefined) checks.push(relance.ms <= target.msMax);
  }
  row.target = texts.join(', ') || null;
  row.ok = checks.length && checks.length === texts.length ? checks.every(Boolean) : null;
  rows.push(row);
  const ratio = row.ratio === null ? '' : ` = ${row.ratio}x`;
  log(`  ${bench} [${ledger}]: relance ${fmt(relance?.ms)}${ref ? ` vs ${refLabel} ${fmt(ref.ms)}${ratio}` : ''}${row.ok === false ? '  MISSED' : ''}${row.note ? `  (${row.note})` : ''}`);
}

const notAvailable = (bench, ledger, what, extra = {}) =>
  addRow({ bench, ledger, note: `not available yet (no "relance ${what}" in this build)`, ...extra });

const relanceArgs = (file, ...args) => [BIN, '-f', file, ...args];

// ------------------------------------------------------------------------------------- main
const started = Date.now();
log(`relance benchmarks: sizes ${SIZES.map(sizeLabel).join(', ')}, ${RUNS} runs each, as of ${AS_OF}`);
const sqliteMissing = ensureTool('sqlite3', 'sqlite3');

// 1. cold start: ENV is a clean environment (no NODE_EXTRA_CA_CERTS, which slows every node start and
// flatters the ratio); --version and client list on a 3-client ledger made by the real CLI, and
// overdue on the 10k ledger.
if (want('cold')) {
  const small = ensureLedger(10_000);
  log('cold start');
  const hasOverdue = hasCommand('overdue');
  const tiny = path.join(OUT, 'cold-3-clients.db');
  for (const f of [tiny, `${tiny}-wal`, `${tiny}-shm`]) fs.rmSync(f, { force: true });
  exec(NODE, [BIN, 'init', tiny, '--name', 'Atelier Dupont', '--email', 'compta@dupont.fr', '--no-input']);
  for (const code of ['ACME', 'BETA', 'GAMMA']) exec(NODE, relanceArgs(tiny, 'client', 'add', code, '--name', `${code} SAS`, '--email', `ap@${code.toLowerCase()}.fr`));
  const contenders = [
    { key: 'node', cmd: NODE, args: ['-e', '0'] },
    { key: 'version', cmd: NODE, args: [BIN, '--version'] },
    { key: 'clients', cmd: NODE, args: relanceArgs(tiny, 'client', 'list') },
    ...(hasOverdue ? [{ key: 'overdue', cmd: NODE, args: relanceArgs(small.file, 'overdue', '--as-of', AS_OF) }] : []),
  ];
  const r = race(contenders);
  addRow({ bench: 'cold start: relance --version', ledger: '-', relance: r.version, ref: r.node, refLabel: 'node -e 0', target: { ratioMax: 1.25 } });
  addRow({ bench: 'cold start: relance client list', ledger: '3 clients', relance: r.clients, ref: r.node, refLabel: 'node -e 0', target: { ratioMax: 1.5 } });
  if (hasOverdue) addRow({ bench: 'cold start: relance overdue', ledger: 'mix-10k', relance: r.overdue, ref: r.node, refLabel: 'node -e 0', target: { ratioMax: 1.5 } });
  else notAvailable('cold start: relance overdue', 'mix-10k', 'overdue', { refLabel: 'node -e 0', ref: r.node });
}

// 2. overdue and overdue --by client vs the same SQL in the sqlite3 CLI
for (const n of want('overdue') ? SIZES.filter((s) => s >= 100_000) : []) {
  const { file } = ensureLedger(n);
  const label = `mix-${sizeLabel(n)}`;
  log(`overdue on ${label}`);
  const target = n >= 1_000_000 ? { ratioMax: 2, msMax: 1000 } : { ratioMax: 2 };
  if (!hasCommand('overdue')) {
    notAvailable('overdue', label, 'overdue', { target });
    notAvailable('overdue --by client', label, 'overdue', { target });
    continue;
  }
  // Every statement the command runs for its data (bench/sql.mjs): the report's, the DSO's for
  // --by client, and openItems' alone for the row against the physical floor.
  const { source, statements, byClient, openItems } = await overdueStatements(file, AS_OF);
  const writeScript = (name, list) => {
    const f = path.join(OUT, name);
    fs.writeFileSync(f, list.map((s) => s.trim().replace(/;?$/, ';')).join('\n') + '\n');
    return f;
  };
  const script = writeScript(`overdue-${label}.sql`, statements);
  const scriptByClient = writeScript(`overdue-by-client-${label}.sql`, byClient);
  const scriptOpenItems = writeScript(`overdue-open-items-${label}.sql`, openItems);
  const floorNote = `floor: ${statements.length} statement(s) from ${source}`;
  const floorNoteByClient = `floor: ${byClient.length} statement(s) from ${source}`;
  const sq = (sql) => ({ cmd: 'sqlite3', args: ['-readonly', '-cmd', `.read ${sql}`, file, '.quit'] });
  const r = race([
    { key: 'relance', cmd: NODE, args: relanceArgs(file, 'overdue', '--as-of', AS_OF) },
    ...(sqliteMissing ? [] : [{ key: 'sql', ...sq(script) }]),
  ]);
  addRow({ bench: 'overdue', ledger: label, relance: r.relance, ref: r.sql, refLabel: 'sqlite3 CLI', target, note: sqliteMissing ?? floorNote });
  // The same report as JSON (what scripts and cron read): the query and the computation without
  // the human table, to tell the two apart.
  const rj = race([
    { key: 'relance', cmd: NODE, args: relanceArgs(file, 'overdue', '--json', '--as-of', AS_OF) },
    ...(sqliteMissing ? [] : [{ key: 'sql', ...sq(script) }]),
  ]);
  addRow({ bench: 'overdue --json', ledger: label, relance: rj.relance, ref: rj.sql, refLabel: 'sqlite3 CLI', target, note: sqliteMissing ?? floorNote });
  const rc = race([
    { key: 'relance', cmd: NODE, args: relanceArgs(file, 'overdue', '--by', 'client', '--as-of', AS_OF) },
    ...(sqliteMissing ? [] : [{ key: 'sql', ...sq(scriptByClient) }]),
  ]);
  addRow({ bench: 'overdue --by client', ledger: label, relance: rc.relance, ref: rc.sql, refLabel: 'sqlite3 CLI', target, note: sqliteMissing ?? floorNoteByClient });
  // The product's SQL against the physical floor: the open invoices alone, read from the partial
  // covering index report_documents_open by a hand-written query (bench/overdue.mjs).
  if (!sqliteMissing) {
    const rf = race([{ key: 'sql', ...sq(scriptOpenItems) }, { key: 'floor', ...sq(physicalFloorScript()) }]);
    addRow({ bench: 'overdue SQL vs physical floor', ledger: label, relance: rf.sql, ref: rf.floor, refLabel: 'open invoices from the index', target: { ratioMax: 2 }, note: 'relance column: the open items\' statements (openItems) in sqlite3; floor: bench/overdue.mjs PHYSICAL_FLOOR_SQL' });
  }
}

// 2b. growth: the same 10k open invoices with 100k and with 1M settled ones behind them (bench/overdue.mjs)
if (want('growth')) {
  const small = ensureGrowthLedger(100_000);
  const big = ensureGrowthLedger(1_000_000);
  log('overdue growth: 10k open invoices behind 100k and 1M settled ones');
  const r = race([
    { key: 'small', cmd: NODE, args: relanceArgs(small.file, 'overdue', '--as-of', AS_OF) },
    { key: 'big', cmd: NODE, args: relanceArgs(big.file, 'overdue', '--as-of', AS_OF) },
  ]);
  addRow({ bench: 'overdue growth: 1M vs 100k settled', ledger: '10k open', relance: r.big, ref: r.small, refLabel: 'same, 100k settled', target: { ratioMax: 1.5 }, note: 'relance column: 10k open + 1M settled invoices; vs: the same 10k open + 100k settled' });
}

// 3. the peer job: receivables balance by client, 100k invoices and their payments. relance answers
// with `relance balance` (before it existed: `overdue --by client --json`, which ages and prices every
// open item). Its balances are checked against ledger-cli's, client by client, before timing.
if (want('peer')) {
  const { file } = ensureLedger(100_000);
  log('balance by client vs ledger-cli and hledger (mix-100k)');
  const journal = ensureJournal(file);
  const ledgerMissing = ensureTool('ledger', 'ledger');
  const hledgerMissing = ensureTool('hledger', 'hledger');
  const hasBalance = hasCommand('balance');
  const relanceCmd = hasBalance ? ['balance', '--json', '--as-of', AS_OF] : ['overdue', '--by', 'client', '--json', '--as-of', AS_OF];
  const contenders = [];
  if (hasBalance || hasCommand('overdue')) contenders.push({ key: 'relance', cmd: NODE, args: relanceArgs(file, ...relanceCmd) });
  if (!ledgerMissing) contenders.push({ key: 'ledger', cmd: 'ledger', args: ['-f', journal, 'balance', '^Assets:Receivables'] });
  if (!hledgerMissing) contenders.push({ key: 'hledger', cmd: 'hledger', args: ['-f', journal, 'balance', '^Assets:Receivables'] });
  // Same answer first: relance balance per client = ledger balance ^Assets:Receivables per client.
  let check = null;
  if (hasBalance && !ledgerMissing) {
    const mine = JSON.parse(exec(NODE, relanceArgs(file, ...relanceCmd), { capture: true }).stdout.toString());
    const theirs = new Map();
    const out = exec('ledger', ['-f', journal, 'balance', '^Assets:Receivables', '--flat', '--no-total'], { capture: true }).stdout.toString();
    for (const m of out.matchAll(/^\s*(-?[\d,]+\.\d{2}) EUR\s+Assets:Receivables:(\S+)$/gm)) theirs.set(m[2], m[1].replace(/,/g, ''));
    const ours = new Map(mine.clients.filter((c) => c.currency === 'EUR').map((c) => [c.client, c.balance]));
    const differ = [...new Set([...ours.keys(), ...theirs.keys()])].filter((k) => ours.get(k) !== theirs.get(k));
    check = differ.length === 0 ? `same balances as ledger-cli for all ${ours.size} clients` : `BALANCES DIFFER from ledger-cli for ${differ.length} clients (e.g. ${differ[0]}: ${ours.get(differ[0])} vs ${theirs.get(differ[0])})`;
    log(`  ${check}`);
  }
  const r = race(contenders);
  const relance = contenders.some((c) => c.key === 'relance') ? r.relance : undefined;
  const what = hasBalance ? 'relance balance --json' : 'overdue --by client --json (no "relance balance" in this build)';
  const na = relance ? null : 'relance: not available yet (no "relance balance" nor "relance overdue" in this build)';
  addRow({ bench: 'balance by client vs ledger-cli', ledger: 'mix-100k', relance, ref: r.ledger, refLabel: 'ledger balance', target: { fasterBy: 10 }, note: [na ?? what, check, ledgerMissing].filter(Boolean).join('; ') || null });
  addRow({ bench: 'balance by client vs hledger', ledger: 'mix-100k', relance, ref: r.hledger, refLabel: 'hledger balance', note: [na ?? what, hledgerMissing].filter(Boolean).join('; ') || null });
}

// 4. remind --due --dry-run on 100k open invoices
if (want('remind')) {
  const { file } = ensureLedger(100_000, { profile: 'open' });
  log('remind --due --dry-run (open-100k)');
  if (hasCommand('remind')) {
    const r = race([{ key: 'relance', cmd: NODE, args: relanceArgs(file, 'remind', '--due', '--dry-run', '--as-of', AS_OF) }]);
    addRow({ bench: 'remind --due --dry-run', ledger: 'open-100k', relance: r.relance, target: { msMax: 3000 } });
  } else notAvailable('remind --due --dry-run', 'open-100k', 'remind', { target: { msMax: 3000 } });
}

// 5. rendering 10k reminders to the outbox (no SMTP: one .eml per message), on a fresh copy each run
if (want('render')) {
  const { file } = ensureLedger(10_000, { profile: 'due' });
  log('remind --due, 10k messages to the outbox (due-10k)');
  if (hasCommand('remind')) {
    const copy = path.join(OUT, 'run-due-10k.db');
    let outbox = null;
    // The previous run's folders are moved aside, not deleted, until all runs are done: on ext4,
    // creating 10k files right after deleting 10k others pays for the kernel's scan of recently freed
    // inodes (perf: recently_deleted(), 4.8-6.6 s of system time per run), which is the file
    // system's cost, not relance's. The last run's folders stay where they are, to be counted.
    const trash = path.join(OUT, 'trash-due-10k');
    let moved = 0;
    const clearTrash = () => fs.rmSync(trash, { recursive: true, force: true });
    clearTrash();
    const prepare = () => {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
      fs.copyFileSync(file, copy);
      fs.mkdirSync(trash, { recursive: true });
      for (const d of fs.readdirSync(OUT)) if (d.startsWith('run-due-10k') && d !== 'run-due-10k.db') fs.renameSync(path.join(OUT, d), path.join(trash, `${moved++}-${d}`));
    };
    const r = race([{ key: 'relance', cmd: NODE, args: relanceArgs(copy, 'remind', '--due', '--as-of', AS_OF), prepare }]);
    clearTrash();
    // Count what the last run wrote, to be sure 10k messages were rendered.
    const emls = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.eml')) emls.push(e.name);
      }
    };
    for (const d of fs.readdirSync(OUT)) if (d.startsWith('run-due-10k') && fs.statSync(path.join(OUT, d)).isDirectory()) walk(path.join(OUT, d));
    outbox = emls.length;
    addRow({ bench: 'remind --due: render to outbox', ledger: 'due-10k', relance: r.relance, target: { msMax: 5000 }, note: `${outbox} .eml files written by the last run` });
  } else notAvailable('remind --due: render to outbox', 'due-10k', 'remind', { target: { msMax: 5000 } });
}

// 6. bank import: a 10k-line CAMT.053 matched against 100k open invoices (issue 17), on a fresh copy each run
if (want('bank')) {
  const { file } = ensureLedger(100_000, { profile: 'open' });
  log('bank import, 10k-line CAMT.053 against open-100k');
  if (hasCommand('bank')) {
    const statement = ensureCamtStatement(file, 10_000, AS_OF);
    const copy = path.join(OUT, 'run-bank-100k.db');
    const prepare = () => {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
      fs.copyFileSync(file, copy);
    };
    // the same statement against the same open invoices with 200k settled ones of history, and a tenth of it:
    // the cost must follow the statement's lines, not the ledger's history (bench/bank.mjs ensureHistoryLedger)
    const history = ensureHistoryLedger(file, 200_000);
    const small = ensureCamtStatement(file, 1_000, AS_OF);
    const fresh = (from, to) => () => {
      for (const f of [to, `${to}-wal`, `${to}-shm`]) fs.rmSync(f, { force: true });
      fs.copyFileSync(from, to);
    };
    const copyH = path.join(OUT, 'run-bank-100k-history.db');
    const r = race([
      { key: 'relance', cmd: NODE, args: relanceArgs(copy, 'bank', 'import', statement, '--no-input', '--quiet'), prepare },
      { key: 'history', cmd: NODE, args: relanceArgs(copyH, 'bank', 'import', statement, '--no-input', '--quiet'), prepare: fresh(history, copyH) },
      { key: 'small', cmd: NODE, args: relanceArgs(copy, 'bank', 'import', small, '--no-input', '--quiet'), prepare },
    ]);
    addRow({ bench: 'bank import 10k CAMT.053 lines', ledger: 'open-100k', relance: r.relance, target: { msMax: 2000 }, note: 'certain matches recorded (RF references and numbers with typos), the rest left for review' });
    addRow({ bench: 'bank import: + 200k settled invoices', ledger: 'open-100k+h', relance: r.history, ref: r.relance, refLabel: 'no history', target: { ratioMax: 1.25 }, note: 'the same statement and open invoices, 3x the documents: history must not cost' });
    addRow({ bench: 'bank import 1k CAMT.053 lines', ledger: 'open-100k', relance: r.small, ref: r.relance, refLabel: '10k lines', note: 'a tenth of the lines: the cost follows the statement' });
  } else notAvailable('bank import 10k CAMT.053 lines', 'open-100k', 'bank', { target: { msMax: 2000 } });
}

// 7. Factur-X (issue 16): invoice freeze of mix-10k end to end, and Factur-X vs PDF-only in process (bench/facturx.mjs)
if (want('facturx')) {
  if (hasCommand('invoice')) for (const r of await facturxRows({ log, env: ENV })) addRow(r);
  else notAvailable('invoice freeze: Factur-X PDFs', 'mix-10k', 'invoice', {});
}

// 8. invoice send: 1k issued invoices emailed in one run to a local SMTP server (issue 16, bench/send.mjs), a fresh copy each run
if (want('send')) {
  log('invoice send, 1k invoices to a local SMTP server (mix-10k)');
  if (hasCommand('invoice') && exec(NODE, [BIN, 'invoice', 'send', '--help'], { capture: true }).code === 0) {
    const { ensureSendLedger, startSink } = await import('./send.mjs');
    const sink = await startSink(OUT);
    try {
      const { file, numbers, pdfBytes } = ensureSendLedger({ baseFile: ensureLedger(10_000).file, out: OUT, bin: BIN, env: ENV, port: sink.port });
      const copy = path.join(OUT, 'run-send-1k.db');
      const prepare = () => {
        for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
        fs.copyFileSync(file, copy);
        sink.reset();
      };
      const r = race([{ key: 'relance', cmd: NODE, args: relanceArgs(copy, 'invoice', 'send', ...numbers, '--as-of', AS_OF, '--quiet'), prepare }]);
      const got = sink.received();
      addRow({ bench: 'invoice send of 1k invoices to a local SMTP server', ledger: 'mix-10k', relance: r.relance, target: { msMax: 60_000 }, note: `${got} emails received by the last run (one pooled connection), each with a ${Math.round(pdfBytes / 1024)} KB Factur-X PDF` });
    } finally {
      sink.stop();
    }
  } else notAvailable('invoice send of 1k invoices to a local SMTP server', 'mix-10k', 'invoice send', { target: { msMax: 60_000 } });
}

// ------------------------------------------------------------------------------------- report
const head = ['benchmark', 'ledger', 'relance', 'vs', 'floor/peer', 'ratio', 'cpu ratio', 'target', 'met'];
const table = rows.map((r) => [
  r.bench,
  r.ledger,
  r.relance_ms === undefined ? (r.note?.startsWith('not available') ? 'n/a' : r.note?.includes('timed out') ? `> ${TIMEOUT_S} s` : 'failed') : `${fmt(r.relance_ms)}${r.relance_cpu_ms !== undefined ? ` (cpu ${fmt(r.relance_cpu_ms)})` : ''}`,
  r.ref ?? '',
  r.ref_ms === undefined ? (r.ref ? 'n/a' : '') : `${fmt(r.ref_ms)}${r.ref_cpu_ms !== undefined ? ` (cpu ${fmt(r.ref_cpu_ms)})` : ''}`,
  r.ratio === null ? '' : `${r.ratio}x`,
  r.cpu_ratio === null ? '' : `${r.cpu_ratio}x`,
  r.target ?? '',
  r.ok === null ? '' : r.ok ? 'yes' : 'NO',
]);
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)];
const notes = rows.filter((r) => r.note).map((r) => `- ${r.bench} [${r.ledger}]: ${r.note}`);
process.stdout.write(`\n${out.join('\n')}\n\nmedians of ${RUNS} runs taken in turn; wall time (cpu = user + system time of the process); targets are checked on wall time\n${notes.join('\n')}\n`);
fs.rmSync(cpuFile, { force: true });
const machine = { load_average: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30) };
const result = { date: new Date().toISOString(), as_of: AS_OF, runs: RUNS, sizes: SIZES.map(sizeLabel), sections: ONLY, machine, seconds: Math.round((Date.now() - started) / 1000), rows };
// A run of some sections only does not overwrite the full table.
const resultsFile = path.join(OUT, ONLY.length === SECTIONS.length ? 'results.json' : `results-${ONLY.join('-')}.json`);
fs.writeFileSync(resultsFile, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(`\nwritten to ${path.relative(ROOT, resultsFile)} (${result.seconds} s)\n`);
