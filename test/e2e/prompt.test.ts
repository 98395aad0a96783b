/**
 * On a terminal, init asks for what is missing; with --no-input it refuses instead. A real
 * pseudo-terminal comes from util-linux's `script`; answers are typed with pauses, as a person would.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

function onTerminal(args: string[], answers: [RegExp, string][]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm' } });
    let output = '';
    let sent = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      // Answer each question once it is on the screen.
      const next = answers[sent];
      if (next && next[0].test(output)) {
        sent++;
        setTimeout(() => child.stdin.write(`${next[1]}\r`), 150);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe.skipIf(!hasScript)('prompts on a terminal', () => {
  it('asks for the missing business name and creates the ledger', async () => {
    const file = path.join(sb.dir, 'tty.db');
    const r = await onTerminal(['init', file, '--email', 'a@b.fr', '--legal-form', 'EI', '--siren', '732829320', '--vat-number', 'FR44732829320', '--address', '1 rue X', '--iban', 'FR7630006000011234567890189', '--no-vat-exempt', '--bic', 'BNPAFRPP', '--terms', '30', '--terms-kind', 'net'], [[/Business name/, 'Atelier Terminal']]);
    expect(r.output).toContain('Business name');
    expect(r.code).toBe(0);
    const shown = JSON.parse(sb.run(['-f', file, 'ledger', 'show', '--json']).stdout);
    expect(shown.settings['business.name']).toBe('Atelier Terminal');
  });

  it('never prompts with --no-input, even on a terminal', async () => {
    const file = path.join(sb.dir, 'tty.db');
    const r = await onTerminal(['--no-input', 'init', file, '--email', 'a@b.fr'], []);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/missing --name/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
