/**
 * The collection file (level-4 handover, dossier.pdf) carries the business logo as documents and
 * letters do: the ledger's logo, drawn once at its own pixel size (pdfimages -list), and no image at
 * all when the ledger has none. End to end with bin/relance remind --due, to the outbox.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { seed } from '../e2e/remind-fixtures.js';
import { png } from './images.js';

const made: Sandbox[] = [];
afterAll(() => made.forEach((sb) => sb.cleanup()));

/** pdfimages -list: one row per image (width, height). */
function images(pdf: string): { width: number; height: number }[] {
  const r = spawnSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)).map((c) => ({ width: Number(c[3]), height: Number(c[4]) }));
}

/** A ledger with one invoice long overdue, handed over by a catch-up run: the dossier's path. */
async function dossier(logo: Buffer | null, lang: string): Promise<{ sb: Sandbox; file: string; stdout: string }> {
  const sb = sandbox('relance-collection-logo-');
  made.push(sb);
  expect(sb.init().code).toBe(0);
  if (logo) {
    const file = path.join(sb.dir, 'logo.png');
    fs.writeFileSync(file, logo);
    const set = sb.run(['ledger', 'set', 'business.logo', file]);
    expect(set.code, set.stderr).toBe(0);
  }
  expect(sb.run(['policy', 'set', '--catch-up']).code).toBe(0);
  seed(sb.ledger, (s) => {
    const c = s.client('ACME', { name: 'ACME SAS', address: '1 rue de la Paix\n75002 Paris' });
    s.invoice({ client: c, number: 'F-2026-0001', issue: '2026-01-05', due: '2026-02-04', amount: 120_000 });
  });
  const r = await sb.runAsync(['remind', '--due', '--as-of', '2026-04-10'], { env: { LANG: lang } });
  expect(r.code, r.stderr).toBe(0);
  const dir = /ACME ?: (\S+) \((?:client put on stop work|prestations du client suspendues)\)/.exec(r.stdout)?.[1];
  expect(dir, r.stdout).toBeDefined();
  const file = path.join(dir!, 'dossier.pdf');
  expect(fs.existsSync(file)).toBe(true);
  return { sb, file, stdout: r.stdout };
}

describe('the collection file and the business logo', () => {
  it('draws the ledger\'s logo on dossier.pdf when it has one', async () => {
    const { file } = await dossier(png(240, 80, { seed: 7 }), 'en_US.UTF-8');
    expect(images(file)).toEqual([{ width: 240, height: 80 }]);
  });

  it('has no image when the ledger has no logo', async () => {
    const { file } = await dossier(null, 'fr_FR.UTF-8');
    expect(images(file)).toEqual([]);
  });
});
