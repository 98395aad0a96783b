/**
 * A run registers only the subcommand it names (`client list` registers client's `list`, not its 8
 * siblings): what it prints must be what the program with every subcommand prints
 * (RELANCE_REGISTER_ALL=1), for every subcommand's help, a bad option, a word that is no subcommand,
 * the group's own help and a real run, in both languages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIO } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

const unused = { ctx: () => { throw new Error('unused'); }, act: () => async () => {} };
const all = paths(await buildProgram(createTestIO(), unused));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-register-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const none = path.join(dir, 'none.db');

async function run(args: string[], env: Record<string, string>) {
  const io = createTestIO({ env: { ...env }, cwd: dir, now: new Date('2026-11-20T10:00:00Z') });
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** The same arguments with one subcommand registered and with all of them. */
async function both(args: string[], env: Record<string, string>) {
  return { one: await run(args, env), all: await run(args, { ...env, RELANCE_REGISTER_ALL: '1' }) };
}

describe('registering only the subcommand being run', () => {
  it('has subcommands to leave out (the test means something)', () => {
    expect(all.filter((p) => p.length === 2).length).toBeGreaterThan(40);
    expect(all).toContainEqual(['client', 'list']);
  });

  it('registers one subcommand of the group named, all of them for a word that is none, or with RELANCE_REGISTER_ALL=1', async () => {
    const subs = async (args: string[], env = {}) => (await buildProgram(createTestIO({ env }), unused, args)).commands.find((c) => c.name() === args[0])!.commands.map((c) => c.name());
    expect(await subs(['client', 'list'])).toEqual(['list']);
    expect(await subs(['client', 'show', 'ACME'])).toEqual(['show']);
    const every = all.filter((p) => p[0] === 'client' && p.length === 2).map((p) => p[1]);
    expect(every.length).toBeGreaterThan(5);
    expect(await subs(['client', 'list'], { RELANCE_REGISTER_ALL: '1' })).toEqual(every);
    expect(await subs(['client', 'lst'])).toEqual(every);
    expect(await subs(['client', '--json', 'list'])).toEqual(every);
    expect(await subs(['client'])).toEqual(every);
  });

  for (const LANG of ['en_US.UTF-8', 'fr_FR.UTF-8']) {
    it(`prints every subcommand's help and its errors as the whole program does (LANG=${LANG})`, async () => {
      const groups = new Set<string>();
      for (const p of all.filter((q) => q.length >= 2)) {
        groups.add(p[0]!);
        for (const args of [[...p, '--help'], ['help', ...p], [...p, '--no-such-option'], ['-f', none, ...p]]) {
          const r = await both(args, { LANG });
          expect([args, r.one]).toEqual([args, r.all]);
        }
      }
      for (const g of groups) {
        for (const args of [[g], [g, '--help'], [g, 'no-such-sub'], [g, 'help'], [g, `${all.find((p) => p[0] === g && p.length === 2)![1]}x`]]) {
          const r = await both(['-f', none, ...args], { LANG });
          expect([args, r.one]).toEqual([args, r.all]);
        }
      }
    });
  }

  it('runs a subcommand on a ledger as the whole program does', async () => {
    const db = path.join(dir, 'l.db');
    const env = { LANG: 'fr_FR.UTF-8' };
    expect((await run(['init', db, '--name', 'Atelier', '--email', 'a@atelier.fr', '--no-input'], env)).code).toBe(0);
    expect((await run(['-f', db, 'client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.fr'], env)).code).toBe(0);
    for (const args of [['client', 'list'], ['client', 'list', '--json'], ['client', 'show', 'ACME', '--as-of', '2026-11-20'], ['client', 'show', 'NOPE'], ['ledger', 'show'], ['remind', 'list']]) {
      const r = await both(['-f', db, ...args], env);
      expect([args, r.one]).toEqual([args, r.all]);
    }
    expect((await run(['-f', db, 'client', 'list'], env)).stdout).toContain('ACME SAS');
  });
});
