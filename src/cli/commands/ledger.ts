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
import { CATALOGUES, t, type MessageKey } from '../../i18n/index.js';

/** What a setting means, in the interface's language (a setting the catalogue lacks: its own help). */
function meaning(key: string, help: string): string {
  const k = `books.setting.${key}` as MessageKey;
  return k in CATALOGUES.en ? t(k) : help;
}

export function registerLedger(program: Command, app: App): void {
  const ledger = program.command('ledger').description(t('books.ledger.description')).summary(t('books.ledger.summary'));
  examples(ledger, ['relance ledger show', 'relance ledger set terms.days 45', 'relance ledger add dupont ~/compta/dupont.db', 'relance ledger list']);

  examples(
    ledger
      .command('show')
      .description(t('books.ledger.show.description'))
      .action(
        app.act((ctx) => {
          const db = ctx.db();
          const settings = getSettings(db);
          const { file } = ctx.ledgerPath();
          const version = db.pragma('user_version', { simple: true }) as number;
          if (ctx.json) return printJson(ctx.io, { file, version, settings, logo: logoShown(db) });
          printFields(ctx.io, [
            [t('books.ledger.show.file'), file],
            [t('books.ledger.show.version'), version],
          ]);
          ctx.io.out('\n');
          printTable(
            ctx.io,
            [t('books.ledger.show.col.setting'), t('books.ledger.show.col.value'), t('books.ledger.show.col.meaning')],
            Object.entries(SETTINGS).map(([k, def]) => {
              const v = settings[k as SettingKey];
              return [k, v === null ? '' : typeof v === 'string' ? v.replace(/\n/g, ' / ') : String(v), meaning(k, def.help)];
            }).concat([logoRow(db)]),
          );
        }),
      ),
    ['relance ledger show', 'relance ledger show --json -f dupont.db'],
  );

  examples(
    ledger
      .command('set')
      .argument('<key>', t('books.ledger.set.arg.key'))
      .argument('<value>', t('books.ledger.set.arg.value'))
      .description(t('books.ledger.set.description'))
      .action(
        app.act(async (ctx, key: string, value: string) => {
          if (key === LOGO_KEY) return setLogo(ctx, value);
          if (!isSettingKey(key)) {
            throw new UsageError(t('books.ledger.set.unknown', { key, keys: Object.keys(SETTINGS).join(', ') }));
          }
          const db = ctx.db();
          const raw = key === 'business.address' ? addressLines(value) : value;
          const parsed = await checkedSetting(key, parseSetting(key, raw));
          write(db, () => putSetting(db, key, parsed as never));
          if (ctx.json) printJson(ctx.io, { key, value: parsed });
          else if (!ctx.quiet) ctx.io.out(`${key} = ${parsed === null ? t('books.ledger.set.cleared') : String(parsed)}\n`);
        }),
      ),
    ['relance ledger set terms.days 45', 'relance ledger set business.address "12 rue des Lilas;69003 Lyon"', 'relance ledger set smtp.host smtp.example.fr', 'relance ledger set business.logo logo.png'],
  );

  examples(
    ledger
      .command('add')
      .argument('<name>', t('books.ledger.add.arg.name'))
      .argument('<path>', t('books.ledger.add.arg.path'))
      .description(t('books.ledger.add.description'))
      .action(
        app.act((ctx, name: string, file: string) => {
          checkLedgerName(name);
          const abs = path.resolve(ctx.io.cwd, file);
          if (!fs.existsSync(abs)) throw new LedgerError(t('books.ledger.add.missing', { file: abs }));
          const reg = readRegistry(ctx.io.env);
          if (reg.ledgers[name] && reg.ledgers[name] !== abs) {
            throw new UsageError(t('books.ledger.add.taken', { name, file: reg.ledgers[name] }));
          }
          reg.ledgers[name] = abs;
          writeRegistry(ctx.io.env, reg);
          if (ctx.json) printJson(ctx.io, { name, file: abs });
          else if (!ctx.quiet) ctx.io.out(`${t('books.ledger.add.done', { name, file: abs })}\n`);
        }),
      ),
    ['relance ledger add dupont ~/compta/dupont.db'],
  );

  examples(
    ledger
      .command('list')
      .description(t('books.ledger.list.description'))
      .action(
        app.act((ctx) => {
          const reg = readRegistry(ctx.io.env);
          const rows = Object.entries(reg.ledgers)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, file]) => ({ name, file, exists: fs.existsSync(file) }));
          if (ctx.json) return printJson(ctx.io, rows);
          if (rows.length === 0) {
            ctx.io.err(`${t('books.ledger.list.none', { file: registryPath(ctx.io.env) })}\n`);
            return;
          }
          printTable(ctx.io, [t('books.ledger.list.col.name'), t('books.ledger.list.col.file'), t('books.ledger.list.col.status')], rows.map((r) => [r.name, r.file, r.exists ? t('books.ledger.list.ok') : t('books.ledger.list.missing')]));
        }),
      ),
    ['relance ledger list', 'relance ledger list --json'],
  );

  examples(
    ledger
      .command('remove')
      .argument('<name>', t('books.ledger.remove.arg.name'))
      .description(t('books.ledger.remove.description'))
      .action(
        app.act((ctx, name: string) => {
          const reg = readRegistry(ctx.io.env);
          if (!reg.ledgers[name]) throw new UsageError(t('books.ledger.remove.unknown', { name }));
          const file = reg.ledgers[name];
          delete reg.ledgers[name];
          writeRegistry(ctx.io.env, reg);
          if (ctx.json) printJson(ctx.io, { name, file, removed: true });
          else if (!ctx.quiet) ctx.io.out(`${t('books.ledger.remove.done', { name, file })}\n`);
        }),
      ),
    ['relance ledger remove dupont'],
  );
}
