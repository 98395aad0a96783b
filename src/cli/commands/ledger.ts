/** relance ledger: show and change settings; the registry of named ledgers. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { LedgerError, UsageError } from '../../core/errors.js';
import { write } from '../../store/db.js';
import { checkedSetting, getSettings, isSettingKey, parseSetting, putSetting, SETTINGS, type SettingKey } from '../../store/settings.js';
import { addressLines, examples, type App } from '../app.js';
import { checkLedgerName, readRegistry, registryPath, writeRegistry } from '../registry.js';
import { printFields, printJson, printTable } from '../../render/output.js';
import { LOGO_KEY, logoRow, logoShown, setLogo } from '../logo.js';

export function registerLedger(program: Command, app: App): void {
  const ledger = program.command('ledger').description('ledger settings and the registry of named ledgers').summary('settings and the registry of named ledgers');
  examples(ledger, ['relance ledger show', 'relance ledger set terms.days 45', 'relance ledger add dupont ~/compta/dupont.db', 'relance ledger list']);

  examples(
    ledger
      .command('show')
      .description('print the ledger file, its version and every setting')
      .action(
        app.act((ctx) => {
          const db = ctx.db();
          const settings = getSettings(db);
          const { file } = ctx.ledgerPath();
          const version = db.pragma('user_version', { simple: true }) as number;
          if (ctx.json) return printJson(ctx.io, { file, version, settings, logo: logoShown(db) });
          printFields(ctx.io, [
            ['file', file],
            ['version', version],
          ]);
          ctx.io.out('\n');
          printTable(
            ctx.io,
            ['setting', 'value', 'meaning'],
            Object.entries(SETTINGS).map(([k, def]) => {
              const v = settings[k as SettingKey];
              return [k, v === null ? '' : typeof v === 'string' ? v.replace(/\n/g, ' / ') : String(v), def.help];
            }).concat([logoRow(db)]),
          );
        }),
      ),
    ['relance ledger show', 'relance ledger show --json -f dupont.db'],
  );

  examples(
    ledger
      .command('set')
      .argument('<key>', 'setting name (see "relance ledger show")')
      .argument('<value>', 'new value; "" clears an optional setting')
      .description('change one setting; the value is checked before it is written')
      .action(
        app.act(async (ctx, key: string, value: string) => {
          if (key === LOGO_KEY) return setLogo(ctx, value);
          if (!isSettingKey(key)) {
            throw new UsageError(`unknown setting "${key}"; the settings are: ${Object.keys(SETTINGS).join(', ')}`);
          }
          const db = ctx.db();
          const raw = key === 'business.address' ? addressLines(value) : value;
          const parsed = await checkedSetting(key, parseSetting(key, raw));
          write(db, () => putSetting(db, key, parsed as never));
          if (ctx.json) printJson(ctx.io, { key, value: parsed });
          else if (!ctx.quiet) ctx.io.out(`${key} = ${parsed === null ? '(cleared)' : String(parsed)}\n`);
        }),
      ),
    ['relance ledger set terms.days 45', 'relance ledger set business.address "12 rue des Lilas;69003 Lyon"', 'relance ledger set smtp.host smtp.example.fr', 'relance ledger set business.logo logo.png'],
  );

  examples(
    ledger
      .command('add')
      .argument('<name>', 'a short name')
      .argument('<path>', 'the ledger file')
      .description('register a ledger under a name, for --ledger NAME and --all')
      .action(
        app.act((ctx, name: string, file: string) => {
          checkLedgerName(name);
          const abs = path.resolve(ctx.io.cwd, file);
          if (!fs.existsSync(abs)) throw new LedgerError(`no ledger at ${abs}; create it first with "relance init ${abs}"`);
          const reg = readRegistry(ctx.io.env);
          if (reg.ledgers[name] && reg.ledgers[name] !== abs) {
            throw new UsageError(`"${name}" already names ${reg.ledgers[name]}; remove it first with "relance ledger remove ${name}"`);
          }
          reg.ledgers[name] = abs;
          writeRegistry(ctx.io.env, reg);
          if (ctx.json) printJson(ctx.io, { name, file: abs });
          else if (!ctx.quiet) ctx.io.out(`Registered ${name} -> ${abs}\n`);
        }),
      ),
    ['relance ledger add dupont ~/compta/dupont.db'],
  );

  examples(
    ledger
      .command('list')
      .description('list the named ledgers')
      .action(
        app.act((ctx) => {
          const reg = readRegistry(ctx.io.env);
          const rows = Object.entries(reg.ledgers)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, file]) => ({ name, file, exists: fs.existsSync(file) }));
          if (ctx.json) return printJson(ctx.io, rows);
          if (rows.length === 0) {
            ctx.io.err(`no named ledgers yet in ${registryPath(ctx.io.env)}; add one with "relance ledger add NAME PATH"\n`);
            return;
          }
          printTable(ctx.io, ['name', 'file', 'status'], rows.map((r) => [r.name, r.file, r.exists ? 'ok' : 'missing']));
        }),
      ),
    ['relance ledger list', 'relance ledger list --json'],
  );

  examples(
    ledger
      .command('remove')
      .argument('<name>', 'a registered name')
      .description('forget a named ledger (the file itself is kept)')
      .action(
        app.act((ctx, name: string) => {
          const reg = readRegistry(ctx.io.env);
          if (!reg.ledgers[name]) throw new UsageError(`no ledger named "${name}"; see the names with "relance ledger list"`);
          const file = reg.ledgers[name];
          delete reg.ledgers[name];
          writeRegistry(ctx.io.env, reg);
          if (ctx.json) printJson(ctx.io, { name, file, removed: true });
          else if (!ctx.quiet) ctx.io.out(`Removed ${name} (the file ${file} is kept)\n`);
        }),
      ),
    ['relance ledger remove dupont'],
  );
}
