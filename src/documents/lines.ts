/**
 * A new document's lines: from --line flags and a --lines file (CSV or JSON), with the ledger's
 * default VAT rate; a VAT-exempt ledger (art. 293 B du CGI) puts every rate at 0. Prompting for
 * lines on a terminal is the CLI's (cli/document-options.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseLineFlag, parseLinesFile, type LineDefaults } from '../core/lines.js';
import { checkLinesFit, computeLine, type ComputedLine, type LineInput } from '../core/vat.js';
import type { Settings } from '../store/settings.js';
import type { IO } from '../render/io.js';
import { warn } from '../render/output.js';

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
      throw new UsageError(`--lines: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a CSV or JSON file of lines`);
    }
    lines.push(...parseLinesFile(text, path.basename(where), defaults));
  }
  return lines;
}

/** Net, VAT and gross of each line; on a VAT-exempt ledger every rate is 0 (with a warning when one was not). */
export function computeLines(io: IO, settings: Pick<Settings, 'vat_exempt'>, lines: LineInput[]): ComputedLine[] {
  if (settings.vat_exempt && lines.some((l) => l.vatBp !== 0)) {
    warn(io, 'the ledger is VAT-exempt (art. 293 B du CGI): VAT set to 0 on every line');
    lines = lines.map((l) => ({ ...l, vatBp: 0 }));
  }
  return checkLinesFit(lines.map(computeLine));
}
