/**
 * `relance completion bash|zsh|fish` end to end: the script printed by the real bin/relance is loaded
 * into the real shell, which completes command lines through it, calling the real bin/relance for
 * the ledger's values (a `relance` on PATH that runs bin/relance).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/e2e.js';
import { issueInvoice, ok } from './pay-helpers.js';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

let sb: Sandbox;
let env: NodeJS.ProcessEnv;
const scripts: Record<string, string> = {};
let invoices: string[] = [];

beforeAll(() => {
  sb = sandbox('relance-completion-');
  expect(sb.init(['--register', 'dupont']).code).toBe(0);
  ok(sb, ['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example']);
  ok(sb, ['client', 'add', 'GLOBEX', '--name', 'Globex Ltd', '--email', 'ap@globex.example']);
  invoices = [issueInvoice(sb, 'ACME', '100', '2026-01-05'), issueInvoice(sb, 'GLOBEX', '200', '2026-01-06')];
  ok(sb, ['quote', 'new', 'ACME', '--line', 'Travaux | 1 | 1000 | 20', '--date', '2026-01-07']);
  const bin = path.join(sb.dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'relance'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  env = { ...sb.env, PATH: `${bin}:${process.env.PATH}` };
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = sb.run(['completion', shell], { noLedger: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = path.join(sb.dir, `completion.${shell}`);
    fs.writeFileSync(scripts[shell]!, r.stdout);
  }
});

afterAll(() => sb?.cleanup());

/** Run a shell script in the sandbox (cwd = the sandbox, so "-f ledger.db" names its ledger). */
function shell(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: sb.dir, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * What bash offers for the line (the last word being the one completed): the function that
 * `complete -p relance` names is called as bash's programmable completion calls it.
 */
function bashComplete(line: string[], extraEnv: NodeJS.ProcessEnv = {}): string[] {
  const script = `
    source "$1"; shift
    spec=$(complete -p relance) || exit 9
    fn=$(sed -E 's/.*-F ([^ ]+).*/\\1/' <<< "$spec")
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
    "$fn" relance "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\\n' "\${COMPREPLY[@]}"
  `;
  const r = shell('bash', ['-c', script, 'bash', scripts.bash!, ...line], extraEnv);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('relance completion bash', () => {
  it('registers a completion function for relance, in a script bash accepts', () => {
    expect(shell('bash', ['-n', scripts.bash!]).code).toBe(0);
    const r = shell('bash', ['-c', 'source "$1"; complete -p relance', 'bash', scripts.bash!]);
    expect(r.stdout).toMatch(/^complete -F _relance relance$/m);
  });

  it('completes "relance pay F-<TAB>" to the ledger\'s invoice numbers', () => {
    expect(invoices).toEqual(['F-2026-0001', 'F-2026-0002']);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'pay', 'F-'])).toEqual(invoices);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'pay', 'F-2026-0002'])).toEqual(['F-2026-0002']);
    // The ledger comes from RELANCE_FILE or --ledger NAME as well as -f.
    expect(bashComplete(['relance', 'pay', 'F-'], { RELANCE_FILE: sb.ledger })).toEqual(invoices);
    expect(bashComplete(['relance', '--ledger', 'dupont', 'penalties', ''])).toEqual(invoices);
    // A "~" typed in the command or the ledger's path is the home folder (the shell has not expanded it yet).
    expect(bashComplete(['~/bin/relance', '-f', '~/ledger.db', 'pay', 'F-'])).toEqual(invoices);
    // After the invoice comes the amount: nothing to offer.
    expect(bashComplete(['relance', '-f', 'ledger.db', 'pay', 'F-2026-0001', ''])).toEqual([]);
  });

  it('offers every command relance --help lists, subcommands, and each command\'s flags', () => {
    const help = sb.run(['--help'], { noLedger: true }).stdout;
    const listed = [...help.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((w) => w !== 'help');
    expect(listed.length).toBeGreaterThan(15);
    const offered = bashComplete(['relance', '']);
    for (const c of listed) expect(offered).toContain(c);
    expect(bashComplete(['relance', 'cl'])).toEqual(['client']);
    expect(bashComplete(['relance', 'client', ''])).toEqual(expect.arrayContaining(['add', 'list', 'show', 'edit', 'archive', 'unarchive']));
    const flags = bashComplete(['relance', 'client', 'show', '--']);
    expect(flags).toEqual(expect.arrayContaining(['--history', '--as-of', '--help', '--json', '--file', '--ledger']));
    expect(flags).not.toContain('--version');
    expect(bashComplete(['relance', 'overdue', '--b'])).toEqual(['--by']);
  });

  it('completes values: clients, quotes, choices, levels, ledger names, settings, files', () => {
    expect(bashComplete(['relance', '-f', 'ledger.db', 'client', 'show', ''])).toEqual(['ACME', 'GLOBEX']);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'overdue', '--client', 'G'])).toEqual(['GLOBEX']);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'quote', 'show', ''])).toEqual(['D-2026-0001']);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'invoice', 'new', '--from-quote', ''])).toEqual(['D-2026-0001']);
    expect(bashComplete(['relance', 'overdue', '--by', ''])).toEqual(['invoice', 'client']);
    // bash splits "--by=cl" into "--by" "=" "cl".
    expect(bashComplete(['relance', 'overdue', '--by', '=', 'cl'])).toEqual(['client']);
    expect(bashComplete(['relance', 'overdue', '--by', '='])).toEqual(['invoice', 'client']);
    expect(bashComplete(['relance', '-f', '=', 'ledger.db', 'pay', 'F-2026-0001', '--method', '=', 'ca'])).toEqual(['card', 'cash']);
    expect(bashComplete(['relance', 'pay', '--method', 'c'])).toEqual(['card', 'cheque', 'cash']);
    expect(bashComplete(['relance', 'client', 'add', 'X', '--lang', ''])).toEqual(['fr', 'en']);
    expect(bashComplete(['relance', '-f', 'ledger.db', 'remind', 'preview', '--level', ''])).toEqual(['0', '1', '2', '3', '4']);
    expect(bashComplete(['relance', '--ledger', ''])).toEqual(['dupont']);
    expect(bashComplete(['relance', 'ledger', 'remove', ''])).toEqual(['dupont']);
    expect(bashComplete(['relance', 'ledger', 'set', 'smtp.p'])).toEqual(['smtp.port']);
    expect(bashComplete(['relance', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(['relance', '-f', 'led'])).toContain('ledger.db');
    // A new client's code is the user's to choose.
    expect(bashComplete(['relance', '-f', 'ledger.db', 'client', 'add', ''])).toEqual([]);
  });

  it('offers nothing, silently, when there is no ledger', () => {
    expect(bashComplete(['relance', '-f', 'missing.db', 'pay', 'F-'])).toEqual([]);
    expect(bashComplete(['relance', '--ledger', 'nope', 'pay', 'F-'])).toEqual([]);
  });
});

describe('relance completion --values (what the scripts run at TAB)', () => {
  it('prints one value per line, reads only, and never says anything on stderr', () => {
    const before = sb.snapshot();
    const r = sb.run(['completion', '--values', 'invoices']);
    expect(r).toEqual({ code: 0, stdout: `${invoices.join('\n')}\n`, stderr: '' });
    expect(sb.run(['completion', '--values', 'clients']).stdout).toBe('ACME\nGLOBEX\n');
    expect(sb.snapshot()).toBe(before);
  });

  it('exits 0 with nothing on a missing ledger, a file that is not one, or a broken registry', () => {
    expect(sb.run(['completion', '--values', 'invoices', '-f', path.join(sb.dir, 'missing.db')])).toEqual({ code: 0, stdout: '', stderr: '' });
    const junk = path.join(sb.dir, 'junk.db');
    fs.writeFileSync(junk, 'not sqlite at all');
    expect(sb.run(['completion', '--values', 'clients', '-f', junk])).toEqual({ code: 0, stdout: '', stderr: '' });
    const cfg = path.join(sb.dir, 'badcfg');
    fs.mkdirSync(path.join(cfg, 'relance'), { recursive: true });
    fs.writeFileSync(path.join(cfg, 'relance', 'ledgers.json'), '{ nope');
    expect(sb.run(['completion', '--values', 'ledgers'], { noLedger: true, env: { XDG_CONFIG_HOME: cfg } })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(junk, 'utf8')).toBe('not sqlite at all');
  });

  it('refuses a shell it does not know, and no shell at all, with exit 2', () => {
    const r = sb.run(['completion', 'powershell'], { noLedger: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^relance: .*powershell.*bash, zsh, fish/);
    const none = sb.run(['completion'], { noLedger: true });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/which shell/);
  });
});

describe.skipIf(!has('fish'))('relance completion fish', () => {
  const fishComplete = (line: string) => {
    const r = shell('fish', ['-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
  };

  it('is accepted by fish and completes through fish\'s own machinery', () => {
    expect(shell('fish', ['-n', scripts.fish!]).code).toBe(0);
    expect(fishComplete('relance -f ledger.db pay F-')).toEqual(invoices);
    expect(fishComplete('relance cl')).toEqual(['client']);
    expect(fishComplete('relance --ledger dupont client show ')).toEqual(['ACME', 'GLOBEX']);
    expect(fishComplete('relance pay --method c').sort()).toEqual(['card', 'cash', 'cheque']);
    expect(fishComplete('relance client show --h')).toEqual(expect.arrayContaining(['--help', '--history']));
  });
});

describe.skipIf(!has('zsh'))('relance completion zsh', () => {
  it('is accepted by zsh and offers the ledger\'s values (completion builtins recorded)', () => {
    expect(shell('zsh', ['-n', scripts.zsh!]).code).toBe(0);
    // zsh's completion widgets only run inside the line editor: here compadd and _describe record
    // what the script hands them, and the script's own function is called as compsys would.
    const run = (words: string[]) => {
      const script = `
        autoload -U compinit; compinit -u -D 2>/dev/null
        source ${JSON.stringify(scripts.zsh!)}
        _describe() { local n=$4; print -l -- "\${(@P)n%%:*}"; }
        compadd() { [[ $1 == -a ]] && print -l -- "\${(@P)2}"; }
        _files() { print -- '(files)'; }
        words=("$@"); CURRENT=$#; _relance`;
      const r = shell('zsh', ['-c', script, 'zsh', ...words]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(run(['relance', '-f', 'ledger.db', 'penalties', 'F-'])).toEqual(invoices);
    expect(run(['relance', 'pay', '--method', ''])).toEqual(['transfer', 'card', 'cheque', 'cash', 'direct-debit', 'other']);
    expect(run(['relance', '-f', 'ledger.db', 'client', 'show', ''])).toEqual(['ACME', 'GLOBEX']);
    expect(run(['relance', 'init', ''])).toEqual(['(files)']);
    expect(run(['relance', ''])).toEqual(expect.arrayContaining(['client', 'pay', 'completion']));
  });

  it('completes in a real interactive zsh (zpty): "relance pay F-<TAB>" and "relance cl<TAB>"', () => {
    // Each read waits for its pattern (no sleeps); the spawn's timeout fails the test if it never comes.
    const script = `
      zmodload zsh/zpty || exit 7
      check() {  # a fresh interactive zsh for each line: type it, TAB, wait for the pattern
        zpty z 'zsh -f -i'
        zpty -w z 'PS1="> "; autoload -U compinit; compinit -u -D; source ${scripts.zsh}; print "RE""ADY"'
        zpty -r z out '*READY*'
        zpty -w -n z "$1"$'\t'
        zpty -r z out "$2" && print -- "$3"
        zpty -d z
      }
      check 'relance -f ledger.db pay F-' '*F-2026-000*' 'invoices offered'
      check 'relance cl' '*client*' 'command completed'`;
    const r = spawnSync('zsh', ['-f', '-c', script], { cwd: sb.dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout, r.stderr).toContain('invoices offered');
    expect(r.stdout).toContain('command completed');
  });
});
