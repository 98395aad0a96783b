/** `relance client archive | unarchive` end to end, on the real bin/relance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { expectRefused, issueInvoice, json, ok, setup } from './pay-helpers.js';

const AS_OF = ['--as-of', '2026-03-31'];
let sb: Sandbox;
let acmeInvoice: string;

beforeAll(() => {
  sb = sandbox('relance-archive-');
  setup(sb);
  ok(sb, ['ledger', 'add', 'dupont', sb.ledger]);
  acmeInvoice = issueInvoice(sb, 'ACME', '100', '2026-01-05');
  // A next action and a promise on ACME's file: they must leave `todo` with the client.
  ok(sb, ['call-log', 'add', 'ACME', '--at', '2026-01-20 10:00', '--outcome', 'will pay soon', '--next', '2026-02-01']);
});

afterAll(() => sb?.cleanup());

const codes = (args: string[]) => json<{ code: string }[]>(sb, ['-f', sb.ledger, 'client', 'list', ...args]).map((c) => c.code);

describe('client archive', () => {
  it('is refused, exit 2 and nothing written, while the client owes something', () => {
    expectRefused(sb, ['client', 'archive', 'ACME'], /ACME cannot be archived: it owes €100\.00; see "relance statement ACME"/);
    expect(codes([])).toEqual(['ACME', 'GLOBEX', 'MARTIN']);
  });

  it('is refused while the client has money in credit', () => {
    ok(sb, ['pay', '50', '--client', 'GLOBEX', '--date', '2026-01-10']);
    expectRefused(sb, ['client', 'archive', 'GLOBEX'], /GLOBEX cannot be archived: it has €50\.00 in credit/);
  });

  it('is refused while the client has a draft invoice (it would owe once issued)', () => {
    ok(sb, ['client', 'add', 'DRAFTY', '--name', 'Drafty SARL']);
    ok(sb, ['invoice', 'new', 'DRAFTY', '--line', 'Audit | 1 | 100 | 20']);
    expectRefused(sb, ['client', 'archive', 'DRAFTY'], /DRAFTY cannot be archived: it has a draft invoice \(draft-\d+\); issue or delete it first/);
  });

  it('refuses an unknown client', () => {
    expectRefused(sb, ['client', 'archive', 'NOBODY'], /unknown client "NOBODY"/);
  });

  it('archives a client whose account is settled: it leaves client list, todo and the completion of codes', () => {
    expect(ok(sb, ['todo', ...AS_OF])).toMatch(/ACME/);
    ok(sb, ['pay', acmeInvoice, '--date', '2026-02-10']);
    const archived = json(sb, ['client', 'archive', 'ACME', '--date', '2026-03-01']);
    expect(archived).toMatchObject({ code: 'ACME', archivedOn: '2026-03-01' });
    expect(ok(sb, ['client', 'archive', 'ACME'])).toBe('Client ACME was already archived on 2026-03-01\n');

    expect(codes([])).toEqual(['DRAFTY', 'GLOBEX', 'MARTIN']);
    expect(codes(['--archived'])).toEqual(['ACME']);
    expect(codes(['--all'])).toEqual(['ACME', 'DRAFTY', 'GLOBEX', 'MARTIN']);
    const table = ok(sb, ['-f', sb.ledger, 'client', 'list', '--all']);
    expect(table).toMatch(/ACME .*archived 2026-03-01/);
    expect(ok(sb, ['client', 'list'])).not.toMatch(/ACME/);

    // Nothing of ACME's in the daily lists, for this ledger or across the registry.
    expect(ok(sb, ['todo', ...AS_OF])).not.toMatch(/ACME/);
    expect(ok(sb, ['todo', '--all', ...AS_OF])).not.toMatch(/ACME/);
    expect(json(sb, ['todo', ...AS_OF]).nextActions).toEqual([]);
    expect(ok(sb, ['overdue', ...AS_OF])).not.toMatch(/ACME/);
    expect(ok(sb, ['overdue', '--all', ...AS_OF])).not.toMatch(/ACME/);
    expect(ok(sb, ['balance', ...AS_OF])).not.toMatch(/ACME/);
    // Its history stays: show, statement, and the balance of a day it owed.
    expect(ok(sb, ['client', 'show', 'ACME'])).toMatch(/archived on: +2026-03-01/);
    expect(ok(sb, ['balance', '--as-of', '2026-01-31'])).toMatch(/ACME/);

    expect(ok(sb, ['completion', '--values', 'clients'])).toBe('DRAFTY\nGLOBEX\nMARTIN\n');
    expect(ok(sb, ['completion', '--values', 'archived-clients'])).toBe('ACME\n');
  });

  it('gives an archived client no new quote or invoice', () => {
    expectRefused(sb, ['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20'], /client ACME is archived; unarchive it first with "relance client unarchive ACME"/);
    expectRefused(sb, ['quote', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20'], /client ACME is archived/);
  });

  it('unarchive brings the client back', () => {
    expect(ok(sb, ['client', 'unarchive', 'ACME'])).toBe('Unarchived client ACME (ACME SAS)\n');
    expect(ok(sb, ['client', 'unarchive', 'ACME'])).toBe('Client ACME is not archived\n');
    expect(codes([])).toEqual(['ACME', 'DRAFTY', 'GLOBEX', 'MARTIN']);
    expect(json(sb, ['client', 'show', 'ACME']).archivedOn).toBeNull();
    expect(ok(sb, ['todo', ...AS_OF])).toMatch(/ACME/);
    ok(sb, ['invoice', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20']);
  });
});
