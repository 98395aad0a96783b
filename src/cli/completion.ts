/**
 * Shell completion scripts (bash, zsh, fish), generated from commander's own tree of commands,
 * arguments and options, so that a script made by this relance knows every command this relance has.
 *
 * What a word completes to is read from the tree: subcommands and flags by name; an option's or an
 * argument's values from, in this order, commander's choices, a placeholder such as `<fr|en>`, a
 * description listing them ("invoice | client"), and the table VALUES_BY_NAME below for the values
 * that live in the ledger (client codes, invoice and quote numbers, drafts, registered ledger names,
 * policy levels). Those are not in the script: at TAB the script runs `relance completion --values
 * KIND` (with the -f / --ledger of the command line being typed), which prints one per line, never
 * prompts and never prints an error.
 *
 * Each script holds one function that walks the words typed so far (descending into subcommands,
 * skipping option values, counting positionals), then offers what fits the word under the cursor.
 */
import type { Command, Option } from 'commander';

/** The values of the ledger (or the registry) that `relance completion --values KIND` prints. */
export const VALUE_KINDS = ['clients', 'archived-clients', 'invoices', 'quotes', 'drafts', 'documents', 'ledgers', 'levels', 'settings', 'schedules'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** What a word may be: nothing to offer (free text), a file, fixed words, or values of the ledger. */
export type Values = { type: 'none' } | { type: 'file' } | { type: 'words'; words: string[] } | { type: 'ledger'; kind: ValueKind };

export interface OptionSpec {
  /** Every spelling: "-f", "--file". */
  names: string[];
  description: string;
  /** undefined: a flag that takes no value. */
  value?: Values;
}

export interface CommandSpec {
  /** Words from the program: [] for relance itself, ["client", "show"]. */
  path: string[];
  description: string;
  subcommands: { name: string; aliases: string[]; description: string }[];
  options: OptionSpec[];
  /** The positional arguments in order; the last one repeats when variadic. */
  args: Values[];
  variadic: boolean;
}

const NONE: Values = { type: 'none' };
const FILE: Values = { type: 'file' };
const ledger = (kind: ValueKind): Values => ({ type: 'ledger', kind });

/**
 * Values by the name of an option (its long flag without "--") or an argument, most specific first:
 * "quote number" is the argument `number` of a command under `quote`. A name of "" in the path
 * matches any command.
 */
const VALUES_BY_NAME: [path: string, name: string, values: Values][] = [
  ['client add', 'code', NONE],
  ['client unarchive', 'code', ledger('archived-clients')],
  ['', 'code', ledger('clients')],
  ['', 'client', ledger('clients')],
  ['quote', 'number', ledger('quotes')],
  ['invoice show', 'number', ledger('documents')],
  ['invoice pdf', 'number', ledger('documents')],
  ['invoice', 'number', ledger('invoices')],
  ['', 'invoice', ledger('invoices')],
  ['', 'invoices', ledger('invoices')],
  ['', 'quote', ledger('quotes')],
  ['', 'from-quote', ledger('quotes')],
  ['', 'draft', ledger('drafts')],
  ['recurring', 'id', ledger('schedules')],
  ['', 'schedule', ledger('schedules')],
  ['ledger remove', 'name', ledger('ledgers')],
  ['ledger set', 'key', ledger('settings')],
  ['', 'ledger', ledger('ledgers')],
  ['', 'level', ledger('levels')],
  ['', 'remove-level', ledger('levels')],
  ['init', 'path', FILE],
  ['ledger add', 'path', FILE],
  ['', 'file', FILE],
  ['', 'out', FILE],
  ['', 'lines', FILE],
  ['', 'log', FILE],
  ['', 'dest', FILE],
  ['', 'backup', FILE],
];

function byName(path: string[], name: string): Values | undefined {
  const where = path.join(' ');
  for (const [p, n, v] of VALUES_BY_NAME) {
    if (n === name && (p === '' || where === p || where.startsWith(`${p} `))) return v;
  }
  return undefined;
}

const WORD = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Fixed words listed by a placeholder (`<fr|en>`) or a description ("net | eom | ..." , "email or letter"). */
function wordsOf(placeholder: string, description: string): string[] | undefined {
  const inner = /^[<[](.*)[>\]]$/.exec(placeholder.replace(/\.\.\.$/, ''))?.[1] ?? '';
  if (inner.includes('|')) {
    const words = inner.split('|').map((w) => w.trim());
    if (words.every((w) => WORD.test(w))) return words;
  }
  // The list is the description, or what follows its last ": ", up to a parenthesis.
  const text = (description.replace(/\s*\(.*$/, '').split(/: /).pop() ?? '').trim();
  // "a | b | c" is always a list (a value of two words, "partially paid", is left to be typed);
  // "a or b" only when both sides are single words.
  if (text.includes(' | ')) {
    const words = text.split(' | ').map((w) => w.trim()).filter((w) => WORD.test(w));
    if (words.length >= 2) return words;
  }
  const either = text.split(' or ').map((w) => w.trim());
  if (either.length === 2 && either.every((w) => WORD.test(w))) return either;
  const csv = /^comma-separated: (.*)$/.exec(description.trim())?.[1];
  if (csv) {
    const words = csv.split(/,\s*/).map((w) => w.trim());
    if (words.every((w) => WORD.test(w))) return words;
  }
  return undefined;
}

function valuesOf(path: string[], name: string, placeholder: string, description: string, choices: readonly string[] | undefined): Values {
  if (choices?.length) return { type: 'words', words: [...choices] };
  return byName(path, name) ?? (wordsOf(placeholder, description) ? { type: 'words', words: wordsOf(placeholder, description)! } : NONE);
}

function optionSpec(path: string[], o: Option): OptionSpec {
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  const spec: OptionSpec = { names, description: o.description };
  if (o.required || o.optional) {
    const placeholder = /[<[][^>\]]*[>\]]/.exec(o.flags)?.[0] ?? '';
    spec.value = valuesOf(path, (o.long ?? o.short ?? '').replace(/^--?/, ''), placeholder, o.description, o.argChoices);
  }
  return spec;
}

const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;

/** Every command of the program, root first, depth first, with what each completes to. */
export function commandSpecs(program: Command): CommandSpec[] {
  const out: CommandSpec[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const subs = cmd.commands.filter((c) => !hidden(c));
    const options = cmd.options.filter((o) => !o.hidden).map((o) => optionSpec(path, o));
    options.push({ names: ['-h', '--help'], description: 'show help' });
    const args = cmd.registeredArguments.map((a) => {
      const placeholder = a.required ? `<${a.name()}>` : `[${a.name()}]`;
      return valuesOf(path, a.name(), placeholder, a.description, a.argChoices);
    });
    out.push({
      path,
      description: cmd.summary() || cmd.description(),
      subcommands: subs.map((c) => ({ name: c.name(), aliases: c.aliases(), description: c.summary() || c.description() })),
      options,
      args,
      variadic: cmd.registeredArguments.at(-1)?.variadic ?? false,
    });
    for (const s of subs) walk(s, [...path, s.name()]);
  };
  walk(program, []);
  return out;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

// ------------------------------------------------------------------ shared encoding

/** A value as the scripts read it: "" none, "@file", "@kind" for the ledger, else words separated by ",". */
function encode(v: Values | undefined): string {
  if (!v) return '';
  switch (v.type) {
    case 'none':
      return '-';
    case 'file':
      return '@file';
    case 'ledger':
      return `@${v.kind}`;
    case 'words':
      return v.words.join(',');
  }
}

/** Single-quoted for sh-like shells (bash, zsh, and fish, which takes \' inside single quotes). */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fishq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The program's options that every command takes (commander reads them after a subcommand too):
 * all of the root's but --version and --help, which each command lists for itself.
 */
function globalOptions(specs: CommandSpec[]): OptionSpec[] {
  return specs[0]!.options.filter((o) => !o.names.includes('--version') && !o.names.includes('--help'));
}

/** A command's own options: without the global ones (the scripts add those everywhere). */
function ownOptions(spec: CommandSpec, globals: OptionSpec[]): OptionSpec[] {
  return spec.options.filter((o) => !globals.includes(o) && !(spec.path.length > 0 && o.names.includes('--version')));
}

/** Options as "name=values" words (values empty for a flag), every spelling. */
function optionWords(options: OptionSpec[]): string[] {
  return options.flatMap((o) => o.names.map((n) => `${n}=${encode(o.value)}`));
}

// ------------------------------------------------------------------ bash

function bashScript(specs: CommandSpec[], prog: string): string {
  const globals = globalOptions(specs);
  const cases = specs
    .map((s) => {
      const key = s.path.join(' ');
      const subs = s.subcommands.flatMap((c) => [c.name, ...c.aliases]);
      return [
        `    ${sq(key)})`,
        `      subs=${sq(subs.join(' '))}`,
        `      opts=${sq(optionWords(ownOptions(s, globals)).join(' '))}`,
        `      args=${sq(s.args.map(encode).join(' '))}; variadic=${s.variadic ? 1 : 0} ;;`,
      ].join('\n');
    })
    .join('\n');
    return `# bash completion for ${prog}, generated by "${prog} completion bash" (regenerate it after an upgrade).
# Install: echo 'source <(${prog} completion bash)' >> ~/.bashrc
#      or: ${prog} completion bash > ~/.local/share/bash-completion/completions/${prog}

# _${prog}_spec PATH: the subcommands, options ("name=values") and positional values of a command.
_${prog}_spec() {
  case "$1" in
${cases}
    *) subs=''; opts=''; args=''; variadic=0 ;;
  esac
}

# _${prog}_values ENCODED: fills _${prog}_words with what a value may be.
_${prog}_values() {
  local v=$1 w
  _${prog}_words=()
  _${prog}_files=0
  case "$v" in
    ''|-) return ;;
    @file) _${prog}_files=1 ;;
    @*)
      while IFS= read -r w; do [[ -n $w ]] && _${prog}_words+=("$w"); done < <("$_${prog}_cmd" completion --values "\${v#@}" "\${_${prog}_ledger[@]}" </dev/null 2>/dev/null)
      ;;
    *) IFS=',' read -r -a _${prog}_words <<< "$v" ;;
  esac
}

_${prog}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path='' subs opts args variadic i w o n=0 want=''
  local global_opts=${sq(optionWords(globals).join(' '))}
  local -a _${prog}_words _${prog}_ledger
  local _${prog}_files _${prog}_cmd=\${COMP_WORDS[0]/#\\~/$HOME}
  COMPREPLY=()
  # bash splits "--by=cl" at "=" (COMP_WORDBREAKS): "--by" "=" "cl"; the "=" only joins them.
  [[ $cur == = ]] && cur=''
  _${prog}_spec ''
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w=\${COMP_WORDS[i]}
    [[ $w == = && -n $want ]] && continue
    if [[ -n $want ]]; then
      case "$want" in -f|--file) _${prog}_ledger=(-f "\${w/#\\~/$HOME}") ;; --ledger) _${prog}_ledger=(--ledger "$w") ;; esac
      want=''
      continue
    fi
    if [[ $w == -* ]]; then
      # An option that takes a value takes the next word (unless written --opt=value).
      [[ $w == *=* ]] && { case "\${w%%=*}" in -f|--file) _${prog}_ledger=(-f "\${w#*=}") ;; --ledger) _${prog}_ledger=(--ledger "\${w#*=}") ;; esac; continue; }
      for o in $opts $global_opts; do
        if [[ \${o%%=*} == "$w" && -n \${o#*=} ]]; then want=$w; break; fi
      done
      continue
    fi
    if [[ $n -eq 0 && " $subs " == *" $w "* ]]; then
      path=\${path:+$path }$w
      _${prog}_spec "$path"
      continue
    fi
    n=$((n + 1))
  done
  local values=''
  if [[ -n $want ]]; then
    for o in $opts $global_opts; do [[ \${o%%=*} == "$want" ]] && { values=\${o#*=}; break; }; done
  elif [[ $cur == -* ]]; then
    local -a names=()
    for o in $opts $global_opts; do names+=("\${o%%=*}"); done
    COMPREPLY=($(compgen -W "\${names[*]}" -- "$cur"))
    return 0
  else
    local -a a=($args)
    if (( n < \${#a[@]} )); then values=\${a[n]}
    elif (( variadic && \${#a[@]} > 0 )); then values=\${a[\${#a[@]}-1]}
    fi
    if [[ $n -eq 0 && -n $subs ]]; then
      COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    fi
  fi
  _${prog}_values "$values"
  if (( _${prog}_files )); then
    COMPREPLY+=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
  elif (( \${#_${prog}_words[@]} )); then
    COMPREPLY+=($(compgen -W "\${_${prog}_words[*]}" -- "$cur"))
  fi
  return 0
}
complete -F _${prog} ${prog}
`;
}

// ------------------------------------------------------------------ zsh

function zshScript(specs: CommandSpec[], prog: string): string {
  const globals = globalOptions(specs);
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const cases = specs
    .map((s) => {
      const key = s.path.join(' ');
      const subs = s.subcommands.flatMap((c) => [c.name, ...c.aliases].map((n) => `${esc(n)}:${esc(oneLine(c.description))}`));
      const optDescs = ownOptions(s, globals).flatMap((o) => o.names.map((n) => `${esc(n)}:${esc(oneLine(o.description))}`));
      return [
        `    ${sq(key)})`,
        `      subs=(${subs.map(sq).join(' ')})`,
        `      opts=(${optionWords(ownOptions(s, globals)).map(sq).join(' ')})`,
        `      optdescs=(${optDescs.map(sq).join(' ')})`,
        `      args=(${s.args.map((a) => sq(encode(a))).join(' ')}); variadic=${s.variadic ? 1 : 0} ;;`,
      ].join('\n');
    })
    .join('\n');
  return `#compdef ${prog}
# zsh completion for ${prog}, generated by "${prog} completion zsh" (regenerate it after an upgrade).
# Install: echo 'source <(${prog} completion zsh)' >> ~/.zshrc   (after compinit)
#      or: ${prog} completion zsh > "\${fpath[1]}/_${prog}"

_${prog}_spec() {
  case "$1" in
${cases}
    *) subs=(); opts=(); optdescs=(); args=(); variadic=0 ;;
  esac
}

_${prog}() {
  local cur=\${words[CURRENT]} cmdpath='' want='' w o values='' i n=0 variadic
  local -a subs opts optdescs args gopts gdescs ledgerargs vals
  gopts=(${optionWords(globals).map(sq).join(' ')})
  gdescs=(${globals.flatMap((o) => o.names.map((n) => sq(`${esc(n)}:${esc(oneLine(o.description))}`))).join(' ')})
  _${prog}_spec ''
  for (( i = 2; i < CURRENT; i++ )); do
    w=\${words[i]}
    if [[ -n $want ]]; then
      case $want in -f|--file) ledgerargs=(-f "\${w/#\\~/$HOME}") ;; --ledger) ledgerargs=(--ledger "$w") ;; esac
      want=''
      continue
    fi
    if [[ $w == -* ]]; then
      if [[ $w == *=* ]]; then
        case \${w%%=*} in -f|--file) ledgerargs=(-f "\${w#*=}") ;; --ledger) ledgerargs=(--ledger "\${w#*=}") ;; esac
        continue
      fi
      for o in "\${opts[@]}" "\${gopts[@]}"; do
        if [[ \${o%%=*} == "$w" && -n \${o#*=} ]]; then want=$w; break; fi
      done
      continue
    fi
    if (( n == 0 )) && (( \${subs[(I)\${(b)w}:*]} )); then
      cmdpath=\${cmdpath:+$cmdpath }$w
      _${prog}_spec "$cmdpath"
      continue
    fi
    (( n++ ))
  done
  if [[ -n $want ]]; then
    for o in "\${opts[@]}" "\${gopts[@]}"; do [[ \${o%%=*} == "$want" ]] && { values=\${o#*=}; break; }; done
  elif [[ $cur == -* ]]; then
    local -a all=("\${optdescs[@]}" "\${gdescs[@]}")
    _describe -t options 'option' all
    return
  else
    if (( n < \${#args} )); then values=\${args[n+1]}
    elif (( variadic && \${#args} > 0 )); then values=\${args[-1]}
    fi
    (( n == 0 && \${#subs} )) && _describe -t commands 'command' subs
  fi
  case $values in
    ''|-) ;;
    @file) _files ;;
    @*)
      vals=(\${(f)"$(\${words[1]/#\\~/$HOME} completion --values \${values#@} "\${ledgerargs[@]}" </dev/null 2>/dev/null)"})
      (( \${#vals} )) && compadd -a vals
      ;;
    *) vals=(\${(s:,:)values}); compadd -a vals ;;
  esac
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _${prog} "$@"
else
  compdef _${prog} ${prog}
fi
`;
}

// ------------------------------------------------------------------ fish

function fishScript(specs: CommandSpec[], prog: string): string {
  const globals = globalOptions(specs);
  const tab = (name: string, description: string) => fishq(`${name}\t${oneLine(description)}`);
  const cases = specs
    .map((s) => {
      const key = s.path.join(' ');
      const subs = s.subcommands.flatMap((c) => [c.name, ...c.aliases]);
      const subDescs = s.subcommands.flatMap((c) => [c.name, ...c.aliases].map((n) => tab(n, c.description)));
      const optDescs = ownOptions(s, globals).flatMap((o) => o.names.map((n) => tab(n, o.description)));
      return [
        `    case ${fishq(key)}`,
        `      set subs ${subs.map(fishq).join(' ')}`,
        `      set subdescs ${subDescs.join(' ')}`,
        `      set opts ${optionWords(ownOptions(s, globals)).map(fishq).join(' ')}`,
        `      set optdescs ${optDescs.join(' ')}`,
        `      set args ${s.args.map((a) => fishq(encode(a))).join(' ')}`,
        `      set variadic ${s.variadic ? 1 : 0}`,
      ].join('\n');
    })
    .join('\n');
  return `# fish completion for ${prog}, generated by "${prog} completion fish" (regenerate it after an upgrade).
# Install: ${prog} completion fish > ~/.config/fish/completions/${prog}.fish

function __${prog}_spec --no-scope-shadowing
    set subs; set subdescs; set opts; set optdescs; set args; set variadic 0
    switch $argv[1]
${cases}
    end
end

function __${prog}_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l subs; set -l subdescs; set -l opts; set -l optdescs; set -l args; set -l variadic 0
    set -l gopts ${optionWords(globals).map(fishq).join(' ')}
    set -l gdescs ${globals.flatMap((o) => o.names.map((n) => tab(n, o.description))).join(' ')}
    __${prog}_spec ''
    set -l cmdpath ''
    set -l want ''
    set -l ledgerargs
    set -l n 0
    for w in $tokens[2..-1]
        if test -n "$want"
            switch $want
                case -f --file
                    set ledgerargs -f $w
                case --ledger
                    set ledgerargs --ledger $w
            end
            set want ''
            continue
        end
        if string match -q -- '-*' $w
            if string match -q -- '*=*' $w
                set -l kv (string split -m 1 = -- $w)
                switch $kv[1]
                    case -f --file
                        set ledgerargs -f $kv[2]
                    case --ledger
                        set ledgerargs --ledger $kv[2]
                end
                continue
            end
            for o in $opts $gopts
                set -l kv (string split -m 1 = -- $o)
                if test "x$kv[1]" = "x$w"; and test -n "$kv[2]"
                    set want $w
                    break
                end
            end
            continue
        end
        if test $n -eq 0; and contains -- $w $subs
            if test -z "$cmdpath"
                set cmdpath $w
            else
                set cmdpath "$cmdpath $w"
            end
            __${prog}_spec $cmdpath
            continue
        end
        set n (math $n + 1)
    end
    set -l values ''
    if test -n "$want"
        for o in $opts $gopts
            set -l kv (string split -m 1 = -- $o)
            if test "x$kv[1]" = "x$want"
                set values $kv[2]
                break
            end
        end
    else if string match -q -- '-*' $cur
        string join \\n -- $optdescs $gdescs
        return
    else
        if test $n -lt (count $args)
            set values $args[(math $n + 1)]
        else if test $variadic -eq 1 -a (count $args) -gt 0
            set values $args[-1]
        end
        if test $n -eq 0
            string join \\n -- $subdescs
        end
    end
    switch $values
        case '' -
        case @file
            __fish_complete_path $cur
        case '@*'
            ${'$'}tokens[1] completion --values (string sub -s 2 -- $values) $ledgerargs </dev/null 2>/dev/null
        case '*'
            string split , -- $values
    end
end

complete -c ${prog} -f -a '(__${prog}_complete)'
`;
}

/** The completion script of this program for a shell. */
export function completionScript(program: Command, shell: Shell): string {
  const specs = commandSpecs(program);
  const prog = program.name();
  if (shell === 'bash') return bashScript(specs, prog);
  if (shell === 'zsh') return zshScript(specs, prog);
  return fishScript(specs, prog);
}
