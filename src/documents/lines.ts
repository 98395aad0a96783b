/**
 * A new document's lines: from --line flags and a --lines file (CSV or JSON), with the ledger's
 * default VAT rate; a VAT-exempt ledger (art. 293 B du CGI) defaults to 0 and refuses any other rate. Prompting for
 * lines on a terminal is the CLI's (cli/document-options.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseLineFlag, parseLinesFile, type LineDefaults } from '../core/lines.js';
import { formatBp } from '../core/numbers.js';
import { checkLinesFit, computeLine, type ComputedLine, type LineInput } from '../core/vat.js';
import type { Settings } from '../store/settings.js';
import type { IO } from '../render/io.js';
import { t } from '../i18n/index.js';

export function lineDefaults(settings: Pick<Settings, 'vat_exempt'>): LineDefaults {
  return { vatBp: settings.vat_exempt ? 0 : 2000 };
}

/** The lines of --line flags (in order), then of the --lines file (relative to cwd). */
export function readLines(flags: readonly string[], file: string | undefined, cwd: string, defaults: LineDefaults): LineInput[] {
  const lines = flags.map((text, i) => parseLineFlag(text, defaults, flags.length > 1 ? `--line ${i + 1}` : '--line'));
  if (file !== undefined) {
    const where = path.resolve(cwd, file);
    let text: string;
    try {
      text = fs.readFileSync(where, 'utf8');
    } catch (err) {
      throw new UsageError(t('documents.lines.cannotRead', { file, why: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
    }
    lines.push(...parseLinesFile(text, path.basename(where), defaults));
  }
  return lines;
}

/**
 * Net, VAT and gross of each line. A VAT-exempt ledger (franchise en base) charges no VAT: a line
 * given another rate than 0 is refused rather than silently made 0 %, since the user who typed 5.5
 * either made a mistake or no longer qualifies for the franchise.
 */
export function computeLines(_io: IO, settings: Pick<Settings, 'vat_exempt'>, lines: LineInput[]): ComputedLine[] {
  if (settings.vat_exempt) {
    const i = lines.findIndex((l) => l.vatBp !== 0);
    if (i >= 0) {
      const l = lines[i]!;
      throw new UsageError(t('documents.lines.vatExempt', { n: i + 1, description: l.description, rate: formatBp(l.vatBp) }));
    }
  }
  return checkLinesFit(lines.map(computeLine));
}
