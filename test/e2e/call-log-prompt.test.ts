/**
 * On a terminal, call-log add asks for the outcome (and the optional fields) when --outcome is
 * missing; in a script it never prompts (exit 2 naming --outcome, covered in call-log.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
  expect(sb.init().code).toBe(0);
  expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS']).code).toBe(0);
});
afterEach(() => sb.cleanup());

/** Run on a pseudo-terminal; answer each question once its text is on the screen. */
function onTerminal(args: string[], dialogue: [question: string, answer: string][]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: sb.dir, env: { ...sb.env, TERM: 'xterm' } });
    let output = '';
    let sent = 0;
    let from = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const next = dialogue[sent];
      if (!next) return;
      const at = output.indexOf(next[0], from);
      if (at >= 0) {
        sent++;
        from = at + next[0].length;
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

describe.skipIf(!hasScript)('call-log add on a terminal', () => {
  it('asks for the outcome, who was reached, a promise and the next action', async () => {
    const r = await onTerminal(['-f', sb.ledger, 'call-log', 'add', 'ACME', '--at', '2026-03-02 14:30'], [
      ['Outcome', 'will pay on Friday'],
      ['Who did you reach', 'Mme Martin, comptabilite'],
      ['Promise to pay by', '2026-03-06'],
      ['Amount promised', '450'],
      ['Next action on', '2026-03-09'],
    ]);
    expect(r.output).toContain('Outcome');
    expect(r.code).toBe(0);
    const [c] = JSON.parse(sb.run(['call-log', 'list', '--json']).stdout);
    expect(c).toMatchObject({
      outcome: 'will pay on Friday',
      with: 'Mme Martin, comptabilite',
      promiseDate: '2026-03-06',
      promiseAmount: '450.00',
      nextActionDate: '2026-03-09',
      at: '2026-03-02T14:30:00+01:00',
    });
  });

  it('does not prompt with --no-input', async () => {
    const before = sb.snapshot();
    const r = await onTerminal(['-f', sb.ledger, '--no-input', 'call-log', 'add', 'ACME'], []);
    expect(r.code).toBe(2);
    expect(r.output).toContain('missing --outcome');
    expect(sb.snapshot()).toBe(before);
  });
});
