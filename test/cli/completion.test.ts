/**
 * The completion generator in-process: what it reads from commander's tree, that a new command or
 * option is covered without touching it, and that `completion --values` loads no other command.
 */
import { describe, expect, it } from 'vitest';
import { commandSpecs, completionScript, VALUE_KINDS, type CommandSpec, type Values } from '../../src/cli/completion.js';
import { createTestIO } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/main.js';
import { Command } from 'commander';

const app = { ctx: () => { throw new Error('unused'); }, act: () => async () => {} };
const program = await buildProgram(createTestIO(), app);
const specs = commandSpecs(program);
const spec = (path: string) => specs.find((s) => s.path.join(' ') === path)!;
const option = (s: CommandSpec, name: string) => s.options.find((o) => o.names.includes(name))?.value;

describe('completion: what the program tree says', () => {
  it('has one spec per command and subcommand, with its subcommands', () => {
    const count = (c: Command): number => 1 + c.commands.reduce((n, s) => n + count(s), 0);
    expect(specs).toHaveLength(count(program));
    expect(spec('').subcommands.map((c) => c.name)).toEqual(program.commands.map((c) => c.name()));
    expect(spec('client').subcommands.map((c) => c.name)).toEqual(['add', 'list', 'show', 'edit', 'archive', 'unarchive']);
  });

  it('completes the ledger\'s values where a command takes them', () => {
    const ledger = (kind: string): Values => ({ type: 'ledger', kind } as Values);
    expect(spec('pay').args).toEqual([ledger('invoices'), { type: 'none' }]);
    expect(spec('quote accept').args).toEqual([ledger('quotes')]);
    expect(spec('invoice cancel').args).toEqual([ledger('invoices')]);
    expect(spec('invoice show').args).toEqual([ledger('documents')]);
    expect(spec('invoice issue').args).toEqual([ledger('drafts')]);
    expect(spec('client add').args).toEqual([{ type: 'none' }]);
    expect(spec('client unarchive').args).toEqual([ledger('archived-clients')]);
    expect(option(spec('invoice new'), '--from-quote')).toEqual(ledger('quotes'));
    expect(option(spec('remind preview'), '--level')).toEqual(ledger('levels'));
    expect(option(spec(''), '--ledger')).toEqual(ledger('ledgers'));
    expect(option(spec(''), '-f')).toEqual({ type: 'file' });
    // Every --client and --invoice, wherever it is, names the ledger's clients and invoices.
    for (const s of specs) {
      for (const o of s.options) {
        if (o.names.includes('--client')) expect(o.value, s.path.join(' ')).toEqual(ledger('clients'));
        if (o.names.includes('--invoice')) expect(o.value, s.path.join(' ')).toEqual(ledger('invoices'));
      }
    }
  });

  it('reads fixed words from placeholders and descriptions', () => {
    expect(option(spec('client add'), '--lang')).toEqual({ type: 'words', words: ['fr', 'en'] });
    expect(option(spec('overdue'), '--by')).toEqual({ type: 'words', words: ['invoice', 'client'] });
    expect(option(spec('invoice list'), '--kind')).toEqual({ type: 'words', words: ['invoice', 'deposit', 'final', 'credit_note', 'penalty'] });
    expect(option(spec('invoice list'), '--status')).toEqual({ type: 'words', words: ['draft', 'open', 'paid', 'cancelled', 'disputed', 'unpaid'] });
    expect(option(spec('remind preview'), '--channel')).toEqual({ type: 'words', words: ['email', 'letter'] });
    expect(option(spec('policy set'), '--channels')).toEqual({ type: 'words', words: ['email', 'letter', 'call', 'handover'] });
    expect(spec('completion').args).toEqual([{ type: 'words', words: ['bash', 'zsh', 'fish'] }]);
    // Free text offers nothing; a flag takes no value.
    expect(option(spec('client add'), '--name')).toEqual({ type: 'none' });
    expect(option(spec('client show'), '--history')).toBeUndefined();
    // Only kinds `completion --values` knows.
    for (const s of specs) for (const v of [...s.args, ...s.options.map((o) => o.value)]) if (v?.type === 'ledger') expect(VALUE_KINDS).toContain(v.kind);
  });

  it('follows the tree: a command added later is in the script without a change to the generator', () => {
    const p = new Command('relance');
    p.option('-f, --file <path>', 'ledger file');
    p.command('frobnicate').argument('<invoice>', 'invoice number').option('--mode <m>', 'fast | slow').option('--client <code>', 'one client');
    const script = completionScript(p, 'bash');
    expect(script).toContain("'frobnicate')");
    expect(script).toContain("opts='--mode=fast,slow --client=@clients -h= --help='");
    expect(script).toContain("args='@invoices'");
  });

  it('leaves hidden options out (the --values of completion itself)', () => {
    expect(spec('completion').options.flatMap((o) => o.names)).not.toContain('--values');
  });
});

describe('completion: start-up', () => {
  it('registers only the completion command for --values (it runs at every TAB), and every command for the script', async () => {
    const atTab = await buildProgram(createTestIO(), app, ['completion', '--values', 'invoices', '-f', 'x.db']);
    expect(atTab.commands.map((c) => c.name())).toEqual(['completion']);
    const forScript = await buildProgram(createTestIO(), app, ['completion', 'bash']);
    expect(forScript.commands.map((c) => c.name())).toEqual(program.commands.map((c) => c.name()));
    const other = await buildProgram(createTestIO(), app, ['client', 'list']);
    expect(other.commands.map((c) => c.name())).toEqual(['client']);
  });
});
