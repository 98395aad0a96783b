/**
 * Interactive `relance init` asks about the VAT franchise (art. 293 B du CGI), the payment terms and
 * the BIC (issue 15 §5). A real pseudo-terminal from util-linux's `script`; each answer is typed once
 * its question is on the screen.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const IDENTITY = ['--name', 'Marie Martin EI', '--email', 'marie@martin.example', '--legal-form', 'EI', '--siren', '732829320', '--vat-number', 'FR44732829320', '--address', '1 rue X;69003 Lyon', '--iban', 'FR7630006000011234567890189'];
const CLEAR = '\x7f'.repeat(16);
const DOWN = '\x1b[B';

/** Runs relance on a terminal; `answers` are [what to wait for (in the output since the last answer), keys to type]. */
function onTerminal(args: string[], answers: [RegExp, string][]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm', NO_COLOR: '1' } });
    let output = '';
    let from = 0;
    let sent = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const next = answers[sent];
      if (next && next[0].test(output.slice(from))) {
        sent++;
        from = output.length;
        setTimeout(() => child.stdin.write(next[1]), 150);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

const settings = (file: string) => JSON.parse(sb.run(['-f', file, 'ledger', 'show', '--json']).stdout).settings as Record<string, unknown>;

describe('relance init on a terminal', () => {
  it('asks about the VAT franchise, the BIC (checked as it is typed) and the payment terms', async () => {
    const file = path.join(sb.dir, 'micro.db');
    const r = await onTerminal(['init', file, ...IDENTITY], [
      [/VAT franchise.*293 B/, 'y\r'],
      [/BIC of that account/, 'BNPAZZPP\r'],
      [/is not a BIC/, `${CLEAR}BNPAFRPPXXX\r`],
      [/Payment terms in days/, `${CLEAR}45\r`],
      [/How the terms run/, `${DOWN}\r`],
    ]);
    expect(r.output).toContain('VAT franchise');
    expect(r.output).toContain('Payment terms in days');
    expect(r.output).toContain('"BNPAZZPP" is not a BIC');
    expect(r.code).toBe(0);
    const s = settings(file);
    expect(s.vat_exempt).toBe(true);
    expect(s['business.bic']).toBe('BNPAFRPPXXX');
    expect(s['terms.days']).toBe(45);
    expect(s['terms.kind']).toBe('eom');
  });

  it('keeps VAT and the default terms when the answers are "no" and Enter', async () => {
    const file = path.join(sb.dir, 'sarl.db');
    const r = await onTerminal(['init', file, ...IDENTITY], [
      [/VAT franchise/, 'n\r'],
      [/BIC of that account/, '\r'],
      [/Payment terms in days/, '\r'],
      [/How the terms run/, '\r'],
    ]);
    expect(r.code).toBe(0);
    const s = settings(file);
    expect(s.vat_exempt).toBe(false);
    expect(s['business.bic'] ?? null).toBeNull();
    expect(s['terms.days']).toBe(30);
    expect(s['terms.kind']).toBe('net');
  });

  it('asks nothing that the flags answer', async () => {
    const file = path.join(sb.dir, 'flags.db');
    const r = await onTerminal(['init', file, ...IDENTITY, '--vat-exempt', '--bic', 'BNPAFRPPXXX', '--terms', '60', '--terms-kind', 'net'], []);
    expect(r.code).toBe(0);
    expect(r.output).not.toMatch(/VAT franchise|BIC of|Payment terms|How the terms/);
    expect(settings(file)['terms.days']).toBe(60);
    expect(settings(file).vat_exempt).toBe(true);
    const vat = path.join(sb.dir, 'vat.db');
    const v = await onTerminal(['init', vat, ...IDENTITY, '--no-vat-exempt', '--bic', 'BNPAFRPPXXX', '--terms', '30', '--terms-kind', 'net'], []);
    expect(v.code).toBe(0);
    expect(v.output).not.toMatch(/VAT franchise/);
    expect(settings(vat).vat_exempt).toBe(false);
  });

  it('checks --bic with ibantools when not on a terminal (exit 2, nothing created)', () => {
    const file = path.join(sb.dir, 'bad.db');
    const r = sb.run(['init', file, ...IDENTITY, '--bic', 'BNPAZZPP'], { noLedger: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BIC/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
