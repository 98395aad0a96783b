/**
 * promisesAsOf(): the newer word counts. A promise is replaced by a later promise of the same client
 * that names one of its invoices, or when either is about the whole client; `only` restricts the
 * verdicts to some promises without changing which ones are replaced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { write, type Db } from '../../src/store/db.js';
import { insertContact, promisesAsOf } from '../../src/store/contacts.js';
import { ledgerFixture, type Fixture } from '../helpers/ledger-fixture.js';

let f: Fixture;
let db: Db;
let acme: number;
let globex: number;
let a: number;
let b: number;
let c: number;
beforeEach(() => {
  f = ledgerFixture();
  db = f.db;
  acme = f.client('ACME');
  globex = f.client('GLOBEX');
  a = f.invoice({ client: acme, number: 'F-1', issue: '2026-01-05', due: '2026-02-04', amount: 100_000 });
  b = f.invoice({ client: acme, number: 'F-2', issue: '2026-01-06', due: '2026-02-05', amount: 50_000 });
  c = f.invoice({ client: globex, number: 'F-3', issue: '2026-01-07', due: '2026-02-06', amount: 20_000 });
});
afterEach(() => f.close());

function promise(clientId: number, at: string, date: string, documentIds: number[]): number {
  return write(db, () =>
    insertContact(
      db,
      { clientId, at, channel: 'call', withWhom: null, outcome: 'will pay', promiseDate: date, promiseAmount: null, nextActionDate: null, disputeReason: null, documentIds },
      `${at.replace(' ', 'T')}:00+01:00`,
    ),
  ).id;
}

const live = (asOf: string, only?: Set<number>) =>
  promisesAsOf(db, asOf, only ? { only } : {})
    .map((p) => p.contactId)
    .sort((x, y) => x - y);

describe('promisesAsOf', () => {
  it('keeps the latest word per invoice, and a whole-client promise replaces every earlier one', () => {
    const p1 = promise(acme, '2026-02-10 10:00', '2026-02-20', [a]);
    const p2 = promise(acme, '2026-02-11 10:00', '2026-02-21', [b]);
    const p3 = promise(globex, '2026-02-11 11:00', '2026-02-21', [c]);
    // Different invoices: both stand.
    expect(live('2026-02-12')).toEqual([p1, p2, p3]);
    const p4 = promise(acme, '2026-02-12 09:00', '2026-02-25', [a]);
    // F-1 promised again: p1 is replaced, p2 (F-2) and the other client's p3 are not.
    expect(live('2026-02-13')).toEqual([p2, p3, p4]);
    // Replay before p4 was made: p1 still stands.
    expect(live('2026-02-11')).toEqual([p1, p2, p3]);
    const p5 = promise(acme, '2026-02-14 09:00', '2026-02-28', []);
    // A promise about the whole client replaces all of that client's earlier ones.
    expect(live('2026-02-15')).toEqual([p3, p5]);
    const p6 = promise(acme, '2026-02-16 09:00', '2026-03-02', [b]);
    // ... and is replaced by any later promise of that client.
    expect(live('2026-02-17')).toEqual([p3, p6]);
  });

  it('gives only the verdicts asked for, replaced ones staying out', () => {
    const p1 = promise(acme, '2026-02-10 10:00', '2026-02-20', [a]);
    const p2 = promise(acme, '2026-02-11 10:00', '2026-02-21', [a, b]);
    const p3 = promise(globex, '2026-02-11 11:00', '2026-02-21', [c]);
    expect(live('2026-02-12', new Set([p1, p3]))).toEqual([p3]);
    expect(live('2026-02-12', new Set([p2]))).toEqual([p2]);
    expect(live('2026-02-12')).toEqual([p2, p3]);
  });
});
