/**
 * The digest tests' ledger: clients and invoices in every aging bucket as of 2026-03-09, messages of
 * every kind in and around the period 2026-03-03..2026-03-09, payments, a broken promise, a call to
 * make and a letter to post. Rows go in with better-sqlite3 (test/e2e/remind-fixtures.ts), so the
 * tests do not depend on the other commands.
 */
import { seed, type Seeder } from '../e2e/remind-fixtures.js';

export const AS_OF = '2026-03-09';

function message(s: Seeder, o: { client: number; level: number; channel: string; status: string; asOf: string; invoices: string; recipient?: string | null; file?: string | null; copyOf?: number | null }): number {
  return Number(
    s.db
      .prepare(
        `INSERT INTO messages (client_id, level, channel, status, message_id, as_of, subject, recipient, file_path, invoices, copy_of, attempts, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'subject', ?, ?, ?, ?, 1, ?)`,
      )
      .run(o.client, o.level, o.channel, o.status, o.channel === 'email' ? `<${Math.random().toString(36).slice(2)}@t>` : null, o.asOf, o.recipient ?? null, o.file ?? null, o.invoices, o.copyOf ?? null, `${o.asOf}T08:00:00+01:00`).lastInsertRowid,
  );
}

/** Seed one ledger; `prefix` keeps invoice numbers apart between ledgers. */
export function seedDigestLedger(file: string, prefix = 'F'): void {
  seed(file, (s) => {
    const acme = s.client('ACME', { name: 'ACME SAS' });
    const beta = s.client('BETA', { name: 'Beta SARL' });
    const gamma = s.client('GAMMA', { name: 'Gamma SA', phone: '+33 4 00 00 00 01' });
    const delta = s.client('DELTA', { name: 'Delta EURL' });
    const eps = s.client('EPS', { name: 'Epsilon' });
    const zeta = s.client('ZETA', { name: 'Zeta' });
    s.invoice({ client: acme, number: `${prefix}-1`, issue: '2026-02-01', due: '2026-03-03', amount: 120_000 });
    const f2 = s.invoice({ client: acme, number: `${prefix}-2`, issue: '2026-01-01', due: '2026-01-31', amount: 50_000 });
    const f3 = s.invoice({ client: beta, number: `${prefix}-3`, issue: '2026-02-20', due: '2026-03-20', amount: 300_000 });
    const f4 = s.invoice({ client: gamma, number: `${prefix}-4`, issue: '2025-12-01', due: '2025-12-31', amount: 80_000 });
    s.invoice({ client: delta, number: `${prefix}-5`, issue: '2025-10-01', due: '2025-11-01', amount: 25_000 });
    s.invoice({ client: eps, number: `${prefix}-6`, issue: '2026-03-01', due: '2026-03-31', amount: 1_000 });
    s.invoice({ client: zeta, number: `${prefix}-7`, issue: '2026-03-01', due: '2026-03-31', amount: 500 });
    s.pay({ client: acme, invoice: f2, date: '2026-03-01', amount: 10_000 });
    s.pay({ client: beta, invoice: f3, date: '2026-03-05', amount: 100_000 });
    s.promise({ client: gamma, at: '2026-02-20T10:00:00+01:00', date: '2026-02-27', invoices: [f4] });
    message(s, { client: acme, level: 0, channel: 'email', status: 'sent', asOf: '2026-03-01', invoices: `${prefix}-1`, recipient: 'compta@acme.example' });
    message(s, { client: beta, level: -1, channel: 'email', status: 'sent', asOf: '2026-03-04', invoices: `${prefix}-3`, recipient: 'compta@beta.example' });
    message(s, { client: acme, level: 1, channel: 'email', status: 'sent', asOf: '2026-03-05', invoices: `${prefix}-2`, recipient: 'compta@acme.example' });
    message(s, { client: gamma, level: 2, channel: 'call', status: 'written', asOf: '2026-03-06', invoices: `${prefix}-4` });
    const letter = message(s, { client: delta, level: 3, channel: 'letter', status: 'written', asOf: '2026-03-06', invoices: `${prefix}-5`, recipient: 'Delta EURL', file: '/letters/delta-3.pdf' });
    message(s, { client: delta, level: 3, channel: 'email', status: 'sent', asOf: '2026-03-06', invoices: `${prefix}-5`, recipient: 'compta@delta.example', copyOf: letter });
    message(s, { client: acme, level: 1, channel: 'email', status: 'failed', asOf: '2026-03-07', invoices: `${prefix}-1`, recipient: 'compta@acme.example' });
    message(s, { client: acme, level: 2, channel: 'email', status: 'sending', asOf: '2026-03-08', invoices: `${prefix}-2`, recipient: 'compta@acme.example' });
  });
}
