/**
 * `policy set` refuses a level whose template does not exist, so the failure is at the desk, not in
 * the 2 a.m. `remind --due` run: a level's template must exist, for each of its written channels
 * (email, letter) and each language, in the ledger's override folder or among the shipped templates.
 * Only file existence is checked here (no Handlebars is loaded).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { t } from '../i18n/index.js';
import { shippedTemplatesDir } from './templates.js';

const WRITTEN = ['email', 'letter'] as const;

/** The emails of documents sent on their own (invoice send, quote send): templates/<lang>/email/<name>.hbs, never a reminder level's. */
export const DOCUMENT_EMAIL_TEMPLATES: readonly string[] = ['invoice', 'deposit', 'final', 'credit-note', 'penalty', 'quote'];
const LANGS = ['fr', 'en'] as const;

/** The ledger's template override folder: paths.templates (relative to the ledger), else <ledger>-templates (remind's rule). */
export function templatesFolderOf(ledgerFile: string, setting: string | null): string {
  if (setting) return path.resolve(path.dirname(ledgerFile), setting);
  return path.join(path.dirname(ledgerFile), `${path.basename(ledgerFile).replace(/\.[^.]+$/, '')}-templates`);
}

export function requireTemplates(levels: readonly { level: number; template: string; channels: readonly string[] }[], overrideDir: string | null): void {
  const shipped = shippedTemplatesDir();
  for (const l of levels) {
    if (DOCUMENT_EMAIL_TEMPLATES.includes(l.template)) {
      throw new UsageError(t('common.template.documentEmail', { level: l.level, template: l.template }));
    }
    for (const channel of WRITTEN) {
      if (!l.channels.includes(channel)) continue;
      for (const lang of LANGS) {
        const rel = path.join(lang, channel, `${l.template}.hbs`);
        const found = (overrideDir && fs.existsSync(path.join(overrideDir, rel))) || fs.existsSync(path.join(shipped, rel));
        if (!found) {
          const names = fs.existsSync(path.join(shipped, lang, channel)) ? fs.readdirSync(path.join(shipped, lang, channel)).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4)).filter((n) => !DOCUMENT_EMAIL_TEMPLATES.includes(n)) : [];
          throw new UsageError(
            t('common.template.noLevelTemplate', { level: l.level, channel, template: l.template, rel, where: overrideDir ? ` ${t('common.template.inOr', { dir: overrideDir })}` : '', names: names.join(', ') }),
          );
        }
      }
    }
  }
}
