/** The shape every refused command has: exit 2, one line on stderr, nothing on stdout, ledger unchanged. */
import { expect } from 'vitest';
import type { RunResult, Sandbox } from './e2e.js';

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
