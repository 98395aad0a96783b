/**
 * Recurring invoices' leftovers (issue 20 §3), end to end with the real bin/relance:
 *   (a) an archived client never fails the nightly run: `client archive` is refused while the client
 *       has a live (active or paused) recurring invoice, and a schedule of a client archived before
 *       that rule issues nothing, with a warning, exit 0;
 *   (b) `recurring run --due --dry-run` gives the dates the real run gives (a period older than the
 *       last invoice is dated that invoice's day);
 *   (c) `recurring edit --on` moves the day from the next period not issued (each cycle billed
 *       once), `--start` moves the start while nothing is issued;
 *   (d) `invoice show` says which recurring invoice issued an invoice (--json: recurring);
 *   (e) shell completion offers the schedules' numbers.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../e2e/remind-fixtures.js';
import { BIN, sandbox, type RunResult, type Sandbox } from '../helpers/e2e.js';

const SLOW = 300_000;
const LINE = 'Maintenance mensuelle | 1 | 300 | 20';
const boxes: Sandbox[] = [];
afterAll(() => boxes.forEach((b) => b.cleanup()));

function fresh(name: string): Sandbox {
  const sb = sandbox(`relance-recurring-${name}-`);
  boxes.push(sb);
  expect(sb.init().code).toBe(0);
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example']);
  return sb;
}

function ok(sb: Sandbox, args: string[]): RunResult {
  const r = sb.run(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** Rows of the sandbox's ledger, read-only (the shared query() of the reminder fixtures). */
const rows = <T>(sb: Sandbox, sql: string): T[] => query<T>(sb.ledger, sql);
const periods = (sb: Sandbox) => rows<{ period: string; number: string; issue_date: string }>(sb, 'SELECT p.period, d.number, d.issue_date FROM recurring_periods p JOIN documents d ON d.id = p.document_id ORDER BY p.period');

describe('(a) archived clients and recurring invoices', { timeout: SLOW }, () => {
  it('client archive is refused while a recurring invoice is live, allowed once it is stopped', () => {
    const sb = fresh('archive');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-04-01', '--line', LINE, '--as-of', '2026-03-01']);
    for (const state of ['active', 'paused']) {
      if (state === 'paused') ok(sb, ['recurring', 'pause', '1', '--as-of', '2026-03-02']);
      const before = sb.snapshot();
      const r = sb.run(['client', 'archive', 'ACME']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('client ACME cannot be archived: its recurring invoice #1 would go on billing it; stop it first with "relance recurring stop 1"');
      expect(sb.snapshot()).toBe(before);
    }
    ok(sb, ['recurring', 'stop', '1', '--as-of', '2026-03-02']);
    ok(sb, ['client', 'archive', 'ACME']);
  });

  it('the run skips the schedule of a client archived before the rule: a warning, exit 0, nothing issued', () => {
    const sb = fresh('archived');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-01-01', '--line', LINE, '--as-of', '2026-01-01']);
    const db = new Database(sb.ledger);
    db.prepare("UPDATE clients SET archived_on = '2026-01-02' WHERE code = 'ACME'").run(); // as an older relance allowed
    db.close();
    for (const dry of [true, false]) {
      const r = sb.run(['recurring', 'run', '--due', '--as-of', '2026-03-10', ...(dry ? ['--dry-run'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain('recurring invoice #1: client ACME is archived, so it issues nothing; stop it with "relance recurring stop 1"');
    }
    const json = JSON.parse(ok(sb, ['remind', '--due', '--as-of', '2026-03-11', '--json']).stdout) as unknown;
    expect(json).toBeTruthy();
    expect(periods(sb)).toEqual([]);
  });
});

describe('(b) the dry run shows the real run\'s dates', { timeout: SLOW }, () => {
  it('a period older than the last invoice is dated that invoice\'s day, in the dry run as in the real one', () => {
    const sb = fresh('dry');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-01-01', '--line', LINE, '--as-of', '2026-01-01']);
    // An invoice made by hand on 2026-02-20: the January and February periods, not issued yet, come after it in the sequence.
    ok(sb, ['invoice', 'new', 'ACME', '--line', 'Conseil | 1 | 100 | 20', '--issue', '--date', '2026-02-20', '--as-of', '2026-02-20']);
    const dry = JSON.parse(ok(sb, ['recurring', 'run', '--due', '--dry-run', '--as-of', '2026-03-06', '--json']).stdout) as { issued: { period: string; date: string }[] };
    expect(dry.issued.map((i) => [i.period, i.date])).toEqual([
      ['2026-01-05', '2026-02-20'],
      ['2026-02-05', '2026-02-20'],
      ['2026-03-05', '2026-03-05'],
    ]);
    const text = ok(sb, ['recurring', 'run', '--due', '--dry-run', '--as-of', '2026-03-06']).stdout;
    expect(text).toContain('Would issue an invoice for ACME (#1) dated 2026-02-20 (period 2026-01-05: numbers follow the calendar)');
    const real = JSON.parse(ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-06', '--json']).stdout) as { issued: { period: string; date: string }[] };
    expect(real.issued.map((i) => [i.period, i.date])).toEqual(dry.issued.map((i) => [i.period, i.date]));
  });
});

describe('(c) recurring edit --on and --start', { timeout: SLOW }, () => {
  it('--on moves the day from the next period not issued: each month billed once', () => {
    const sb = fresh('on');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-01-01', '--line', LINE, '--as-of', '2026-01-01']);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-02-10']);
    const before = sb.snapshot();
    const refused = sb.run(['recurring', 'edit', '1', '--start', '2026-03-01', '--as-of', '2026-02-10']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--start: recurring invoice #1 has issued invoices already');
    expect(sb.snapshot()).toBe(before);
    const bad = sb.run(['recurring', 'edit', '1', '--on', '32', '--as-of', '2026-02-10']);
    expect(bad.code).toBe(2);
    expect(sb.snapshot()).toBe(before);
    const r = ok(sb, ['recurring', 'edit', '1', '--on', '20', '--as-of', '2026-02-10', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ on: 20, start: '2026-03-20' });
    // February is billed already (the 5th): nothing on the 20th; March on the 20th.
    expect((JSON.parse(ok(sb, ['recurring', 'run', '--due', '--dry-run', '--as-of', '2026-03-10', '--json']).stdout) as { issued: unknown[] }).issued).toEqual([]);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-04-25']);
    expect(periods(sb).map((p) => p.period)).toEqual(['2026-01-05', '2026-02-05', '2026-03-20', '2026-04-20']);
    // Back to an earlier day: the next cycle (May) on the 1st, not a second April.
    ok(sb, ['recurring', 'edit', '1', '--on', '1', '--as-of', '2026-04-25']);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-06-02']);
    expect(periods(sb).map((p) => p.period)).toEqual(['2026-01-05', '2026-02-05', '2026-03-20', '2026-04-20', '2026-05-01', '2026-06-01']);
  });

  it('--on with a missed period: that month on the new day, caught up with its own date', () => {
    const sb = fresh('missed');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '20', '--start', '2026-01-01', '--line', LINE, '--as-of', '2026-01-01']);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-01-25']);
    // The cron job did not run on 2026-02-20; on 2026-03-10 the day moves to the 5th.
    ok(sb, ['recurring', 'edit', '1', '--on', '5', '--as-of', '2026-03-10']);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-03-10']);
    expect(periods(sb).map((p) => [p.period, p.issue_date])).toEqual([
      ['2026-01-20', '2026-01-20'],
      ['2026-02-05', '2026-02-05'],
      ['2026-03-05', '2026-03-05'],
    ]);
  });

  it('--start and --on before anything is issued; weeks take a weekday', () => {
    const sb = fresh('start');
    ok(sb, ['recurring', 'add', 'ACME', '--every', '2weeks', '--on', 'mon', '--start', '2026-03-01', '--line', LINE, '--as-of', '2026-02-01']);
    const r = JSON.parse(ok(sb, ['recurring', 'edit', '1', '--start', '2026-04-01', '--on', 'fri', '--as-of', '2026-02-01', '--json']).stdout) as { start: string; on: number; next: string };
    expect(r).toMatchObject({ start: '2026-04-01', on: 5, next: '2026-04-03' });
    const bad = sb.run(['recurring', 'edit', '1', '--on', '15', '--as-of', '2026-02-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a weekday');
  });
});

describe('(d) invoice show names the recurring invoice, (e) completion offers schedule numbers', { timeout: SLOW }, () => {
  it('invoice show and --json', () => {
    const sb = fresh('show');
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-01-01', '--line', LINE, '--as-of', '2026-01-01']);
    ok(sb, ['recurring', 'run', '--due', '--as-of', '2026-01-05']);
    ok(sb, ['invoice', 'new', 'ACME', '--line', 'Conseil | 1 | 100 | 20', '--issue', '--date', '2026-01-06', '--as-of', '2026-01-06']);
    const text = ok(sb, ['invoice', 'show', 'F-2026-0001', '--as-of', '2026-01-10']).stdout;
    expect(text).toMatch(/issued by:?\s+recurring invoice #1 \(period 2026-01-05\)/);
    expect((JSON.parse(ok(sb, ['invoice', 'show', 'F-2026-0001', '--json']).stdout) as { recurring: unknown }).recurring).toEqual({ schedule: 1, period: '2026-01-05' });
    expect((JSON.parse(ok(sb, ['invoice', 'show', 'F-2026-0002', '--json']).stdout) as { recurring: unknown }).recurring).toBeNull();
    expect(ok(sb, ['invoice', 'show', 'F-2026-0002']).stdout).not.toContain('issued by');
    // French: the field and its value.
    const fr = sb.run(['invoice', 'show', 'F-2026-0001'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(fr.stdout).toContain('facture récurrente n° 1 (période du 2026-01-05)');

    // (e) completion --values schedules, and bash completing "recurring show <TAB>" through the script.
    ok(sb, ['recurring', 'add', 'ACME', '--every', 'quarter', '--on', '1', '--line', LINE, '--as-of', '2026-01-01']);
    expect(ok(sb, ['completion', '--values', 'schedules']).stdout.split('\n').filter(Boolean)).toEqual(['1', '2']);
    const bin = path.join(sb.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'relance'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const script = path.join(sb.dir, 'completion.bash');
    fs.writeFileSync(script, ok(sb, ['completion', 'bash']).stdout);
    const complete = (words: string[]) => {
      const sh = `
        source "$1"; shift
        fn=$(complete -p relance | sed -E 's/.*-F ([^ ]+).*/\\1/')
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
        "$fn" relance "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "\${COMPREPLY[@]}"
      `;
      const r = spawnSync('bash', ['-c', sh, 'bash', script, ...words], { cwd: sb.dir, env: { ...sb.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(complete(['relance', '-f', 'ledger.db', 'recurring', 'show', ''])).toEqual(['1', '2']);
    expect(complete(['relance', '-f', 'ledger.db', 'recurring', 'run', '--schedule', ''])).toEqual(['1', '2']);
  });
});
