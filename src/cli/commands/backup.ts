/**
 * relance backup [DEST] and relance restore BACKUP [--force] (the work is store/backup.ts).
 *
 * A backup is made with SQLite's online backup, so it is consistent even while another process
 * (a nightly `remind --due`) is writing: never a file copy of a live WAL database. It is written
 * under a temp name, checked (integrity), made a single self-contained file (journal mode DELETE),
 * then renamed into place.
 *
 * A restore refuses to overwrite a ledger that is newer than the backup (a higher schema version,
 * later content, or written after the backup was made) unless --force; the ledger it replaces is
 * first copied aside (<ledger>.before-restore-<time>.db). The backup is copied to a temp name
 * beside the ledger, checked, and renamed over it while holding the ledger's write lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { backupLedger, defaultBackupName, freeName, restoreLedger } from '../../store/backup.js';
import { examples, type App } from '../app.js';
import { printJson } from '../../render/output.js';
import { t } from '../../i18n/index.js';

export function registerBackup(program: Command, app: App): void {
  const backup = program
    .command('backup')
    .argument('[dest]', t('books.backup.arg.dest'))
    .description(t('books.backup.description')).summary(t('books.backup.summary'))
    .action(
      app.act(async (ctx, destArg: string | undefined) => {
        const { file } = ctx.ledgerPath();
        let dest = destArg === undefined ? freeName(path.join(path.dirname(file), defaultBackupName(file, ctx.io.now()))) : path.resolve(ctx.io.cwd, destArg);
        if (destArg !== undefined && fs.existsSync(dest) && fs.statSync(dest).isDirectory()) dest = freeName(path.join(dest, defaultBackupName(file, ctx.io.now())));
        if (fs.existsSync(dest)) throw new UsageError(t('books.backup.exists', { dest }));
        if (!fs.existsSync(path.dirname(dest))) throw new UsageError(t('books.backup.noDestFolder', { dir: path.dirname(dest) }));
        if (path.resolve(dest) === path.resolve(file)) throw new UsageError(t('books.backup.itself'));
        const db = ctx.db();
        const r = await backupLedger(db, dest);
        if (ctx.json) return printJson(ctx.io, { ledger: file, backup: dest, version: r.version, pages: r.pages, bytes: r.bytes, integrity: 'ok' });
        if (!ctx.quiet) ctx.io.out(`${t('books.backup.done', { file, dest, bytes: r.bytes })}\n`);
        else ctx.io.out(`${dest}\n`);
      }),
    );
  examples(backup, ['relance backup', 'relance backup ~/sauvegardes/', 'relance backup /mnt/nas/dupont-2026-03.db --ledger dupont', 'relance backup --json']);

  const restore = program
    .command('restore')
    .argument('<backup>', t('books.restore.arg.backup'))
    .description(t('books.restore.description')).summary(t('books.restore.summary'))
    .option('--force', t('books.restore.opt.force'))
    .action(
      app.act(async (ctx, backupArg: string, o: { force?: boolean }) => {
        const { file } = ctx.ledgerPath();
        const r = await restoreLedger(path.resolve(ctx.io.cwd, backupArg), file, Boolean(o.force), ctx.io.now());
        if (ctx.json) return printJson(ctx.io, r);
        if (!ctx.quiet) {
          ctx.io.out(`${r.previousCopy ? t('books.restore.doneKept', { backup: r.backup, ledger: r.ledger, copy: r.previousCopy }) : t('books.restore.done', { backup: r.backup, ledger: r.ledger })}\n`);
        }
      }),
    );
  examples(restore, ['relance restore dupont-backup-20260302-143005.db -f dupont.db', 'relance restore /mnt/nas/dupont-2026-03.db --ledger dupont --force']);
}

