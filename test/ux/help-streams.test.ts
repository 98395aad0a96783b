/**
 * Issue 15 §5: `relance help invoice new` shows that subcommand's help; "Accepted" and "Declined"
 * (quote accept / decline) go to the same stream (stdout, the command's outcome); the L441-10
 * warning on long terms reads as a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceedsLegalMax } from '../../src/core/terms.js';
import { helpWords } from '../../src/cli/main.js';
import { sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']).code).toBe(0);
});
afterAll(() => sb.cleanup());

describe('relance help for nested subcommands', () => {
  it('turns "help A B" into "A B --help", leaving the rest alone', () => {
    expect(helpWords(['help', 'invoice', 'new'])).toEqual(['invoice', 'new', '--help']);
    expect(helpWords(['-f', 'x.db', 'help', 'pay', 'list'])).toEqual(['-f', 'x.db', 'pay', 'list', '--help']);
    expect(helpWords(['help', 'invoice'])).toEqual(['help', 'invoice']);
    expect(helpWords(['client', 'add', 'help', '--name', 'x'])).toEqual(['client', 'add', 'help', '--name', 'x']);
  });

  it('relance help invoice new prints what relance invoice new --help prints', () => {
    const viaHelp = sb.run(['help', 'invoice', 'new'], { noLedger: true });
    const viaFlag = sb.run(['invoice', 'new', '--help'], { noLedger: true });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: relance invoice new /);
    expect(viaHelp.stdout).toContain('--from-quote <quote>');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(sb.run(['help', 'invoice'], { noLedger: true }).stdout).toMatch(/^Usage: relance invoice \[options\] \[command\]/);
  });
});

describe('quote accept and decline', () => {
  it('print "Accepted" and "Declined" on stdout alike', () => {
    const a = sb.run(['quote', 'new', 'ACME', '--line', 'Audit | 1 | 100 | 20', '--as-of', '2026-01-02']);
    const b = sb.run(['quote', 'new', 'ACME', '--line', 'Audit | 1 | 200 | 20', '--as-of', '2026-01-02']);
    expect(a.code + b.code).toBe(0);
    const acc = sb.run(['quote', 'accept', 'D-2026-0001', '--signed-by', 'Jeanne Martin', '--date', '2026-01-05']);
    const dec = sb.run(['quote', 'decline', 'D-2026-0002', '--date', '2026-01-05']);
    expect(acc.code).toBe(0);
    expect(dec.code).toBe(0);
    expect(acc.stdout).toMatch(/^Accepted D-2026-0001 on 2026-01-05/);
    expect(dec.stdout).toBe('Declined D-2026-0002 on 2026-01-05\n');
    expect(acc.stderr).not.toMatch(/Accepted/);
    expect(dec.stderr).toBe('');
  });
});

describe('the L441-10 warning', () => {
  it('is one sentence: what is wrong, then the legal maximum', () => {
    expect(exceedsLegalMax({ days: 90, kind: 'net' })).toBe(
      'terms of 90 days net exceed the legal maximum between professionals: 60 days from the invoice date or 45 days end of month (Code de commerce L441-10)',
    );
    expect(exceedsLegalMax({ days: 76, kind: 'net' }, '2026-01-15')).toBe(
      'terms of 76 days net put the due date on 2026-04-01, after 2026-03-31, the latest the legal maximum between professionals allows: 60 days from the invoice date or 45 days end of month (Code de commerce L441-10)',
    );
  });

  it('reads so on invoice issue', () => {
    expect(sb.run(['client', 'add', 'SLOW', '--name', 'Slow SA', '--email', 'ap@slow.example', '--terms', '90']).code).toBe(0);
    const created = sb.run(['invoice', 'new', 'SLOW', '--line', 'Audit | 1 | 500 | 20', '--as-of', '2026-01-15']);
    expect(created.code).toBe(0);
    const r = sb.run(['invoice', 'issue', /(draft-\d+)/.exec(created.stdout)![1]!, '--date', '2026-01-15']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: F-2026-0001: terms of 90 days net exceed the legal maximum between professionals: 60 days from the invoice date or 45 days end of month \(Code de commerce L441-10\)$/m);
  });
});
