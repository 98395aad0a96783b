/**
 * Issue 14 section 4: letters, collection folders, outbox files and the --log file hold the same
 * personal data as the ledger, so every file relance writes is 0600 and every folder it makes 0700.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from './remind-fixtures.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

it('every file a run writes is 0600 and every folder 0700 (the test runs under an ordinary 022 umask)', async () => {
  sb = sandbox('relance-private-');
  expect(sb.init().code).toBe(0);
  seed(sb.ledger, (s) => {
    const c = s.client('ACME');
    s.invoice({ client: c, number: 'F-1', issue: '2025-12-01', due: '2026-01-01', amount: 120_000 });
  });
  const log = path.join(sb.dir, 'remind.log');
  // Successive nights: the email levels, the formal notice (a letter PDF) and the handover folder.
  for (const d of ['2026-01-09', '2026-01-17', '2026-02-01', '2026-02-16']) {
    const r = await sb.runAsync(['remind', '--due', '--as-of', d, '--log', log]);
    expect(r.code).toBe(0);
  }
  const written = [log, ...['ledger-outbox', 'ledger-letters'].flatMap((d) => (fs.existsSync(path.join(sb.dir, d)) ? [path.join(sb.dir, d), ...walk(path.join(sb.dir, d))] : []))];
  expect(written.some((f) => f.endsWith('.pdf'))).toBe(true);
  expect(written.some((f) => f.endsWith('.eml'))).toBe(true);
  for (const f of written) {
    const st = fs.statSync(f);
    expect(`${path.relative(sb.dir, f)} ${(st.mode & 0o777).toString(8)}`).toBe(`${path.relative(sb.dir, f)} ${st.isDirectory() ? '700' : '600'}`);
  }
});
