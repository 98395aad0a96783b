/**
 * The logo's messages in both languages (area `logo`): setting, showing, removing and a refusal,
 * under LANG=fr_FR.UTF-8 (French, no English catalogue phrase left) and LANG=en_US.UTF-8.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { png } from '../logo/images.js';

let sb: Sandbox;
beforeAll(() => {
  sb = sandbox('relance-i18n-logo-');
  expect(sb.init().code).toBe(0);
  fs.writeFileSync(path.join(sb.dir, 'logo.png'), png(120, 40, { alpha: true }));
  fs.writeFileSync(path.join(sb.dir, 'logo.gif'), Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
});
afterAll(() => sb.cleanup());

describe('logo messages', { timeout: 120_000 }, () => {
  it('in French', () => {
    const fr = { env: { LANG: 'fr_FR.UTF-8' } };
    const set = sb.run(['ledger', 'set', 'business.logo', 'logo.png'], fr);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^business\.logo = logo\.png \(PNG, 120 x 40 px, [\d,]+ (Ko|octets)\) ;/);
    expect(set.stdout).toContain('les documents émis gardent le leur');
    const gif = sb.run(['ledger', 'set', 'business.logo', 'logo.gif'], fr);
    expect(gif.code).toBe(2);
    expect(gif.stderr).toContain("est une image GIF ; enregistrez-la d'abord en PNG ou en JPEG");
    const none = sb.run(['ledger', 'set', 'business.logo', 'absent.png'], fr);
    expect(none.stderr).toContain("n'existe pas ; indiquez le chemin d'une image PNG ou JPEG");
    const removed = sb.run(['ledger', 'set', 'business.logo', ''], fr);
    expect(removed.stdout).toContain('business.logo retiré');
    const again = sb.run(['ledger', 'set', 'business.logo', ''], fr);
    expect(again.stdout).toContain('aucun logo à retirer');
    const all = [set, gif, none, removed, again].map((r) => r.stdout + r.stderr).join('\n');
    expect(englishLeft(all)).toEqual([]);
  });

  it('in English', () => {
    const en = { env: { LANG: 'en_US.UTF-8' } };
    const set = sb.run(['ledger', 'set', 'business.logo', 'logo.png'], en);
    expect(set.stdout).toMatch(/^business\.logo = logo\.png \(PNG, 120 x 40 px, [\d.]+ (KB|bytes)\);/);
    expect(set.stdout).toContain('issued ones keep theirs');
    const gif = sb.run(['ledger', 'set', 'business.logo', 'logo.gif'], en);
    expect(gif.code).toBe(2);
    expect(gif.stderr).toContain('is a GIF image; save it as PNG or JPEG first');
    expect(sb.run(['ledger', 'set', 'business.logo', ''], en).stdout).toContain('business.logo removed');
  });
});

describe('recurring leftovers in French', { timeout: 120_000 }, () => {
  it('client archive refused while a recurring invoice is live', () => {
    const fr = { env: { LANG: 'fr_FR.UTF-8' } };
    expect(sb.run(['client', 'add', 'ACME', '--name', 'ACME SAS', '--email', 'ap@acme.example', '--address', '5 avenue Foch;75008 Paris', '--siren', '552100554']).code).toBe(0);
    expect(sb.run(['recurring', 'add', 'ACME', '--every', 'month', '--on', '5', '--start', '2026-01-01', '--line', 'Maintenance | 1 | 300 | 20', '--as-of', '2026-01-01']).code).toBe(0);
    const r = sb.run(['client', 'archive', 'ACME'], fr);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('le client ACME ne peut pas être archivé : sa facture récurrente n° 1 continuerait de le facturer ; arrêtez-la d\'abord avec "relance recurring stop 1"');
    expect(englishLeft(r.stderr)).toEqual([]);
    const en = sb.run(['client', 'archive', 'ACME'], { env: { LANG: 'en_US.UTF-8' } });
    expect(en.stderr).toContain('client ACME cannot be archived: its recurring invoice #1 would go on billing it');
  });
});
