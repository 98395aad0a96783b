/** Every command and subcommand has help that ends with examples; the top-level help lists them all. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createTestIO } from '../../src/cli/io.js';
import { buildProgram, commandWord, main } from '../../src/cli/main.js';

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

const program = await buildProgram(createTestIO(), { ctx: () => { throw new Error('unused'); }, act: () => async () => {} });
const all = paths(program);

describe('help', () => {
  it('lists every top-level command with a one-line description', async () => {
    const io = createTestIO();
    expect(await main(['--help'], io)).toBe(0);
    for (const c of program.commands) {
      expect(c.description(), c.name()).not.toBe('');
      expect(io.stdout()).toMatch(new RegExp(`^  ${c.name()}\\b`, 'm'));
    }
  });

  it('gives each command one line in "relance --help", at 80 columns', async () => {
    const io = createTestIO();
    expect(await main(['--help'], io)).toBe(0);
    const text = io.stdout();
    const list = text.slice(text.indexOf('\nCommands:\n') + 11, text.indexOf('\n\n', text.indexOf('\nCommands:\n') + 11)).split('\n');
    for (const line of list) expect(line.length, line).toBeLessThanOrEqual(80);
    for (const c of program.commands) {
      expect(c.summary().length, `${c.name()}: its .summary() is the list entry, at most 44 characters`).toBeLessThanOrEqual(44);
      const at = list.findIndex((l) => new RegExp(`^  ${c.name()}\\b`).test(l));
      expect(at, c.name()).toBeGreaterThanOrEqual(0);
      // the next line is the next command, not the rest of this one's description
      expect(list[at + 1] ?? '  end', `${c.name()} wraps: give it a shorter .summary()`).toMatch(/^  \S/);
    }
  });

  it.each(all.map((p) => [p.join(' ')]))('relance %s --help shows examples', async (joined) => {
    const io = createTestIO();
    expect(await main([...joined.split(' '), '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/\nExamples:\n {2}\$ relance /);
  });

  it('finds the command word behind global options', () => {
    expect(commandWord(['-f', 'x.db', 'client', 'list'])).toBe('client');
    expect(commandWord(['--ledger', 'dupont', '--json', 'overdue'])).toBe('overdue');
    expect(commandWord(['--json'])).toBeUndefined();
  });
});
