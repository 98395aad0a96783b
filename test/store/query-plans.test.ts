/**
 * The reports' queries must stay fast on ledgers of a million invoices (bench/README.md): their
 * plans, read with EXPLAIN QUERY PLAN on a fresh ledger (the schema with its indices, no ANALYZE
 * statistics, as a user's ledger has), must not scan documents or allocations in full and must not
 * build a temporary b-tree to sort or group. The statements are the product's own: they are recorded
 * while the real store functions run, so a change to a query is checked here without copying it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type Db } from '../../src/store/db.js';
import { putSetting } from '../../src/store/settings.js';
import { settlement } from '../../src/store/documents.js';
import { clientBalances } from '../../src/store/balances.js';

interface Recorded {
  sql: string;
  args: unknown[];
}

/** A connection that records every statement run through it (sql and bound parameters). */
function recording(db: Db, log: Recorded[]): Db {
  const wrap = (stmt: object, sql: string): object => {
    const proxy: object = new Proxy(stmt, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run') log.push({ sql, args });
          const out = (v as (...a: unknown[]) => unknown).apply(target, args);
          return out === target ? proxy : out;
        };
      },
    });
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

function plan(db: Db, r: Recorded): PlanRow[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...(r.args as never[])) as PlanRow[];
}

/** Aliases under which documents and allocations appear in a statement (the table names themselves too). */
function watchedNames(sql: string): Set<string> {
  const names = new Set(['documents', 'allocations']);
  for (const m of sql.matchAll(/\b(documents|allocations)\s+(?:AS\s+)?([A-Za-z_]\w*)/gi)) {
    const alias = m[2]!;
    if (!/^(WHERE|ON|JOIN|LEFT|INNER|CROSS|GROUP|ORDER|LIMIT|USING|SET|VALUES|UNION)$/i.test(alias)) names.add(alias);
  }
  return names;
}

/**
 * The plan lines that break the rules: a temp b-tree, or a scan of documents/allocations. With
 * allowTopScan, one full pass over documents at the top level is accepted (the all-clients overdue
 * report must look at every issued invoice, since status is derived), but never inside a subquery.
 */
function offences(db: Db, r: Recorded, allowTopScan = false): string[] {
  const watched = watchedNames(r.sql);
  const rows = plan(db, r);
  const top = new Set([0, ...rows.filter((p) => p.parent === 0 && /^(SCAN|SEARCH) /.test(p.detail)).map((p) => p.id)]);
  return rows
    .filter((p) => {
      const scan = /^SCAN (\w+)/.exec(p.detail);
      if (/USE TEMP B-TREE/.test(p.detail)) return true;
      if (!scan || !watched.has(scan[1]!)) return false;
      // The partial index of the open invoices (balance <> 0, migration 8) holds the open items
      // alone: reading it whole is the report's floor, not a pass over the history.
      if (/USING COVERING INDEX report_documents_open\b/.test(p.detail)) return false;
      return !(allowTopScan && top.has(p.parent) && p.parent === 0);
    })
    .map((p) => p.detail);
}

/** Every plan line of the statements, for asserting which index a subquery uses. */
function planText(db: Db, log: Recorded[]): string {
  return log.flatMap((r) => plan(db, r).map((p) => p.detail)).join('\n');
}

let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-plans-'));
  db = createLedger(path.join(dir, 'ledger.db'), (d) => {
    putSetting(d, 'business.name', 'Atelier Dupont');
    putSetting(d, 'business.email', 'compta@dupont.example');
  });
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('query plans', () => {
  it('the rule catches what it should: a full scan and a temp b-tree are reported', () => {
    const bad = offences(db, { sql: 'SELECT d.id FROM documents d WHERE d.notes = ? ORDER BY d.total_gross', args: ['x'] });
    expect(bad.some((l) => l.startsWith('SCAN d'))).toBe(true);
    expect(bad.some((l) => l.includes('USE TEMP B-TREE FOR ORDER BY'))).toBe(true);
    expect(offences(db, { sql: 'SELECT amount FROM allocations WHERE document_id = ?', args: [1] })).toEqual([]);
  });

  it('settlement() (balances as of a date, documents.ts) looks up by id and by index only', () => {
    const log: Recorded[] = [];
    settlement(recording(db, log), [1, 2, 3], '2026-11-20');
    expect(log.length).toBeGreaterThan(0);
    for (const r of log) expect(offences(db, r), r.sql).toEqual([]);
  });

  // relance balance: three grouped sums, each read from a covering index in its group order (one
  // pass over the index, no table row, no temp b-tree); for one client, a search of the same indices.
  it('clientBalances() (relance balance, balances.ts) sums from the covering report indices, with no temp b-tree', () => {
    const log: Recorded[] = [];
    clientBalances(recording(db, log), { asOf: '2026-11-20' });
    const text = planText(db, log);
    expect(text).toMatch(/SCAN d USING COVERING INDEX report_documents_balance/);
    expect(text).toMatch(/SCAN p USING COVERING INDEX report_payments_balance/);
    for (const r of log) expect(offences(db, r, true), r.sql).toEqual([]);
    const one: Recorded[] = [];
    clientBalances(recording(db, one), { asOf: '2026-11-20', clientId: 1 });
    expect(planText(db, one)).toMatch(/SEARCH d USING COVERING INDEX report_documents_balance \(client_id=\?\)/);
    expect(planText(db, one)).toMatch(/SEARCH p USING COVERING INDEX report_payments_balance \(client_id=\?\)/);
    for (const r of one) expect(offences(db, r), r.sql).toEqual([]);
  });

  const reminders = path.resolve(__dirname, '../../src/store/reminders.ts');
  it.skipIf(!fs.existsSync(reminders))('loadReminderStates() (remind --due, reminders.ts) groups reminders in the order of a covering index', async () => {
    const mod = (await import(reminders)) as { loadReminderStates: (db: Db) => unknown };
    const log: Recorded[] = [];
    mod.loadReminderStates(recording(db, log));
    expect(log.length).toBeGreaterThan(0);
    expect(planText(db, log)).toMatch(/SCAN r USING COVERING INDEX report_reminders_document/);
    for (const r of log) expect(offences(db, r, true), r.sql).toEqual([]);
  });

  const receivables = path.resolve(__dirname, '../../src/store/receivables.ts');
  type OpenItems = (db: Db, o: { asOf: string; clientId?: number }) => unknown;
  const run = async (opts: { asOf: string; clientId?: number }) => {
    const mod = (await import(receivables)) as { openItems: OpenItems };
    const log: Recorded[] = [];
    await mod.openItems(recording(db, log), opts);
    expect(log.length, 'openItems ran no statement').toBeGreaterThan(0);
    return log;
  };

  describe.skipIf(!fs.existsSync(receivables))('openItems() (overdue, remind --due; receivables.ts)', () => {
    it('reads each candidate invoice once, and its payments and reminders through the covering report indices', async () => {
      const log = await run({ asOf: '2026-11-20' });
      const text = planText(db, log);
      expect(text).toMatch(/SEARCH a USING COVERING INDEX report_allocations_paid \(document_id=\? AND date<\?\)/);
      expect(text).toMatch(/SEARCH r USING COVERING INDEX report_reminders_document \(document_id=\?\)/);
      for (const r of log) expect(offences(db, r, true).filter((l) => !l.includes('TEMP B-TREE')), r.sql).toEqual([]);
    });

    // Migration 3, then 8: the whole-ledger report no longer visits every invoice ever issued, only
    // those still owing (the partial covering index report_documents_open, balance <> 0, read from
    // the index alone) and those settled after the as-of date (report_documents_settled).
    it('reads the open invoices from report_documents_open, without a pass over every invoice', async () => {
      const log = await run({ asOf: '2026-11-20' });
      const text = planText(db, log);
      expect(text).toMatch(/SCAN d USING COVERING INDEX report_documents_open/);
      expect(text).toMatch(/SEARCH d USING INDEX report_documents_settled \(settled_on>\?\)/);
      for (const r of log) expect(offences(db, r), r.sql).toEqual([]);
    });

    // The DSO (overdue --by client, client show) reads the window's invoices through
    // report_documents_window, not by a second pass over every invoice with four subqueries each.
    it('clientStats() reads the DSO window through report_documents_window, with no scan', async () => {
      const mod = (await import(receivables)) as { clientStats: (db: Db, asOf: string, o?: { clientId?: number }) => unknown };
      const log: Recorded[] = [];
      mod.clientStats(recording(db, log), '2026-11-20');
      expect(planText(db, log)).toMatch(/SEARCH d USING INDEX report_documents_window \(<expr>>\?\)/);
      for (const r of log) expect(offences(db, r), r.sql).toEqual([]);
    });

    // "(@client IS NULL OR d.client_id = @client)" could not use an index, so `overdue --client X`
    // scanned every invoice of the ledger; openItems now prepares one statement per filter.
    it('for one client, searches documents by client instead of scanning them all', async () => {
      const log = await run({ asOf: '2026-11-20', clientId: 1 });
      expect(planText(db, log)).toMatch(/SEARCH d USING (COVERING )?INDEX (report_documents_open|documents_client) \(client_id=\?/);
      for (const r of log) expect(offences(db, r), r.sql).toEqual([]);
    });
    // The report order (client code, due date, number) was a temp b-tree over every open item; the
    // open items are now sorted in JS, after the query.
    it('sorts with no temp b-tree', async () => {
      const log = await run({ asOf: '2026-11-20' });
      for (const r of log) expect(offences(db, r, true), r.sql).toEqual([]);
    });
  });
});
