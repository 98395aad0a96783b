/**
 * invoice send against a REAL SMTP server that takes the whole message and drops the connection
 * before answering: the fate is unknown. The send is "uncertain" (exit 1, a hint naming --again),
 * the row stays 'sending', a plain second send is refused (exit 2, one line, nothing recorded, nothing
 * sent), the client's mailbox got it at most once until --again, which resends it with the SAME
 * Message-ID (the uncertain row reused), so a mailbox that had the first copy can tell.
 * A server that refuses (451) is a plain failure: exit 1, and the next send simply tries again.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { faultySmtp, type FaultySmtp } from '../helpers/faulty-smtp.js';

const SLOW = 240_000;

let sb: Sandbox;
let faulty: FaultySmtp;
let good: TestSmtp;

function rows(): { id: number; status: string; message_id: string; error: string | null; invoices: string }[] {
  const db = new Database(sb.ledger, { readonly: true });
  try {
    return db.prepare('SELECT id, status, message_id, error, invoices FROM messages ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  faulty = await faultySmtp('close-after-data');
  good = await startSmtp();
  sb = sandbox('relance-send-uncertain-');
  expect(sb.init().code).toBe(0);
  for (const args of [
    ['ledger', 'set', 'smtp.host', '127.0.0.1'],
    ['ledger', 'set', 'smtp.port', String(faulty.port)],
    ['ledger', 'set', 'smtp.timeout_ms', '5000'],
    ['client', 'add', 'ACME', '--name', 'ACME SAS', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554', '--vat-number', 'FR96552100554', '--email', 'ap@acme.example'],
    ['invoice', 'new', 'ACME', '--line', 'Audit | 2 | 450 | 20', '--issue', '--as-of', '2026-03-05'],
    ['invoice', 'new', 'ACME', '--line', 'Suivi | 1 | 100 | 20', '--issue', '--as-of', '2026-03-05'],
  ]) {
    const r = sb.run(args);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  }
}, SLOW);
afterAll(async () => {
  sb?.cleanup();
  await faulty?.close();
  await good?.close();
});

describe('an unknown SMTP fate', { timeout: SLOW }, () => {
  it('is recorded uncertain, refused without --again, and resent with --again under the same Message-ID', async () => {
    const r = await sb.runAsync(['invoice', 'send', 'F-2026-0001', '--as-of', '2026-03-05']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/F-2026-0001: the server took the message and never answered .*it may have arrived: check the mailbox, then "relance invoice send F-2026-0001 --again" if it did not/);
    expect(faulty.taken).toHaveLength(1);
    const [first] = rows();
    expect(first).toMatchObject({ status: 'sending', invoices: 'F-2026-0001', message_id: faulty.taken[0]!.messageId });
    expect(first!.error).toMatch(/no reply from the server/);

    // Never resent blindly: refused, one line with the way out, nothing recorded or sent.
    const before = sb.snapshot();
    const again = await sb.runAsync(['invoice', 'send', 'F-2026-0001', '--as-of', '2026-03-06']);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/F-2026-0001 may have been sent to ap@acme\.example on 2026-03-05 \(message #\d+: the server took it and never answered\); check .* --again/);
    expect(sb.snapshot()).toBe(before);
    expect(faulty.taken).toHaveLength(1);
    // ...and so is the dry run's verdict; invoice list shows it as uncertain.
    expect((await sb.runAsync(['invoice', 'send', 'F-2026-0001', '--dry-run'])).stdout).toMatch(/^Would NOT send F-2026-0001: F-2026-0001 may have been sent/);
    expect((await sb.runAsync(['invoice', 'list'])).stdout).toMatch(/F-2026-0001 .*│ uncertain 2026-03-05\s*│/);

    // --again, through a server that answers: the same row and Message-ID, now sent.
    expect(sb.run(['ledger', 'set', 'smtp.port', String(good.port)]).code).toBe(0);
    const ok = await sb.runAsync(['invoice', 'send', 'F-2026-0001', '--again', '--as-of', '2026-03-06']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(good.messages).toHaveLength(1);
    expect(good.messages[0]!.messageId).toBe(faulty.taken[0]!.messageId);
    expect(rows()).toEqual([expect.objectContaining({ id: first!.id, status: 'sent', message_id: first!.message_id })]);
  });

  it('a refusal (451) is a plain failure: exit 1, and the next send tries again without --again', async () => {
    good.refuse('451 4.3.0 try again later');
    const r = await sb.runAsync(['invoice', 'send', 'F-2026-0002', '--as-of', '2026-03-07']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/F-2026-0002 was not sent \(451 .*try again later\); nothing left, so "relance invoice send F-2026-0002" tries again/);
    expect(rows().find((m) => m.invoices === 'F-2026-0002')!.status).toBe('failed');
    good.refuse(null);
    const ok = await sb.runAsync(['invoice', 'send', 'F-2026-0002', '--as-of', '2026-03-07']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(rows().filter((m) => m.invoices === 'F-2026-0002').map((m) => m.status)).toEqual(['sent']);
    expect(good.messages.map((m) => m.subject)).toEqual(['Facture F-2026-0001 – Atelier Dupont', 'Facture F-2026-0002 – Atelier Dupont']);
  });
});
