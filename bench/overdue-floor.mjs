// The floor of what `relance overdue` must run in-process (issue 18 §1): every statement the command
// runs for its data (recorded by bench/sql.mjs as the report is built), each run here through
// better-sqlite3 with store/db.ts's read settings and memory-mapped reads, its rows handed to
// JavaScript as arrays (.raw()) and dropped: no relance code, no item, no penalty, no table. Then
// the same statements in the sqlite3 CLI (the bench's floor), and node's bare start. The difference
// between the two columns is what better-sqlite3 costs to hand the rows over.
//
//   node bench/overdue-floor.mjs [LEDGER] [--as-of D] [--by-client] [--runs N]
//
// Prints CPU (user + system) and wall per statement (median of N runs, default 5) and in all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AS_OF, OUT } from './generate.mjs';
import { overdueStatements } from './sql.mjs';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args.splice(i, 2)[1];
};
const asOf = flag('--as-of', AS_OF);
const runs = Number(flag('--runs', '5'));
const byClient = args.includes('--by-client');
const ledger = args.find((a) => !a.startsWith('--')) ?? path.join(OUT, 'ledger-mix-100k.db');

const rec = await overdueStatements(ledger, asOf);
const list = byClient ? rec.byClient : rec.statements;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const db = new Database(ledger, { readonly: true });
db.pragma('mmap_size = 1073741824');
db.pragma('temp_store = MEMORY');
const perStatement = list.map(() => ({ cpu: [], wall: [], rows: 0 }));
const totals = { cpu: [], wall: [] };
for (let k = 0; k < runs; k++) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  list.forEach((sql, i) => {
    const c = process.cpuUsage();
    const w = performance.now();
    const stmt = db.prepare(sql);
    let rows = 0;
    if (stmt.reader) for (const _ of stmt.raw(true).iterate()) rows++;
    else stmt.run();
    const d = process.cpuUsage(c);
    perStatement[i].cpu.push((d.user + d.system) / 1000);
    perStatement[i].wall.push(performance.now() - w);
    perStatement[i].rows = rows;
  });
  const d = process.cpuUsage(c0);
  totals.cpu.push((d.user + d.system) / 1000);
  totals.wall.push(performance.now() - w0);
}
db.close();

const cli = (script) => {
  const out = [];
  for (let k = 0; k < runs; k++) {
    const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S', 'sqlite3', '-readonly', '-cmd', `.read ${script}`, ledger, '.quit'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const [e, u, s] = t.stderr.trim().split('\n').pop().split(' ').map(Number);
    out.push({ wall: e * 1000, cpu: (u + s) * 1000 });
  }
  return { wall: median(out.map((x) => x.wall)), cpu: median(out.map((x) => x.cpu)) };
};
const script = path.join(OUT, `overdue-floor-${process.pid}.sql`);
fs.writeFileSync(script, list.map((s) => s.trim().replace(/;?$/, ';')).join('\n') + '\n');
const sqlite = cli(script);
fs.rmSync(script, { force: true });
const node = [];
for (let k = 0; k < runs; k++) {
  const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, '-e', '0'], { encoding: 'utf8' });
  const [e, u, s] = t.stderr.trim().split('\n').pop().split(' ').map(Number);
  node.push({ wall: e * 1000, cpu: (u + s) * 1000 });
}

console.log(`${path.basename(ledger)} as of ${asOf}${byClient ? ', --by client' : ''}: ${list.length} statements (${rec.source}), median of ${runs}`);
console.log('  cpu ms  wall ms     rows  statement');
list.forEach((sql, i) => {
  const p = perStatement[i];
  console.log(`${median(p.cpu).toFixed(0).padStart(8)} ${median(p.wall).toFixed(0).padStart(8)} ${String(p.rows).padStart(8)}  ${sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`);
});
console.log(`${median(totals.cpu).toFixed(0).padStart(8)} ${median(totals.wall).toFixed(0).padStart(8)}           in all, through better-sqlite3 (rows as arrays, dropped)`);
console.log(`${sqlite.cpu.toFixed(0).padStart(8)} ${sqlite.wall.toFixed(0).padStart(8)}           the same statements in the sqlite3 CLI (output to a pipe), whole process`);
console.log(`${median(node.map((x) => x.cpu)).toFixed(0).padStart(8)} ${median(node.map((x) => x.wall)).toFixed(0).padStart(8)}           node -e 0`);
