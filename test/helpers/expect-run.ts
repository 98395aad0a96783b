/** What a test expects of one run of bin/relance: it worked (exit 0), or it was refused the way every user error is. */
import { expect } from 'vitest';
import type { RunResult, Sandbox } from './e2e.js';

/** A run that must succeed: exit 0, else the test fails showing the command and its stderr. */
export function expectOk(sb: Sandbox, args: string[]): RunResult {
  const r = sb.run(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** A refused command: exit 2, one line on stderr, nothing on stdout, ledger unchanged. */
export function expectRefused(sb: Sandbox, args: string[], message: RegExp): RunResult {
  const before = sb.snapshot();
  const r = sb.run(args);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^relance: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(sb.snapshot()).toBe(before);
  return r;
}
