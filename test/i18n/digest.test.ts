/**
 * The digest's main flows in both languages (issue 20 §1 and §4): under LANG=fr_FR.UTF-8 every
 * message is French (and no English catalogue phrase is left), under LANG=en_US.UTF-8 English; the
 * digest email itself is in the business's language whatever the terminal's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { AS_OF, seedDigestLedger } from '../digest/fixture.js';

let sb: Sandbox;
const FR = { env: { LANG: 'fr_FR.UTF-8' } };
const EN = { env: { LANG: 'en_US.UTF-8' } };

beforeAll(() => {
  sb = sandbox('relance-i18n-digest-');
  expect(sb.init().code).toBe(0);
  seedDigestLedger(sb.ledger);
});

afterAll(() => sb?.cleanup());

describe('digest in French', () => {
  it('dry run, send to the outbox, second run, bad input, the monthly PDF: all in French', async () => {
    const dry = sb.run(['digest', '--as-of', AS_OF, '--dry-run'], FR);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Synthèse des créances : Atelier Dupont\nDu 2026-03-03 au 2026-03-09\n');
    expect(dry.stdout).toContain('Factures passées en retard sur la période :\n');
    expect(dry.stdout).toMatch(/2026-03-05 {2}BETA +1\s000,00\s€ {2}virement {2}F-3/);
    expect(dry.stdout).toContain('Les cinq plus gros débiteurs :');
    expect(dry.stdout.trimEnd().split('\n').pop()).toBe('Simulation : rien n\'est envoyé ni enregistré (destinataire : compta@dupont.example).');

    const sent = sb.run(['digest', '--as-of', AS_OF], FR);
    expect(sent.code, sent.stderr).toBe(0);
    const outbox = path.join(sb.dir, 'ledger-outbox', 'digest-2026-03-09-1.eml');
    expect(sent.stdout.trimEnd().split('\n').pop()).toBe(`Synthèse n° 1 écrite dans la boîte d'envoi : ${outbox}`);
    const mail = await simpleParser(fs.readFileSync(outbox));
    expect(mail.subject).toBe('Synthèse des créances, Atelier Dupont : du 2026-03-03 au 2026-03-09');

    const again = sb.run(['digest', '--as-of', AS_OF], FR);
    expect(again.stdout).toMatch(/^La synthèse jusqu'au 2026-03-09 a déjà été envoyée \(synthèse n° 1 à compta@dupont\.example, .+\) ; rien n'est envoyé\.\n$/);

    const bad = sb.run(['digest', '--as-of', AS_OF, '--since', '2026-04-01'], FR);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('relance: --since 2026-04-01 est après la fin de la période 2026-03-09 ; donnez un --since plus ancien ou un --as-of plus tardif\n');

    const review = sb.run(['-q', 'overdue', '--by', 'client', '--as-of', AS_OF, '--pdf', 'revue.pdf'], FR);
    expect(review.code, review.stderr).toBe(0);
    expect(fs.existsSync(path.join(sb.dir, 'revue.pdf'))).toBe(true);
    const refused = sb.run(['overdue', '--pdf', 'x.pdf'], FR);
    expect(refused.stderr).toBe('relance: --pdf dessine la revue par client ; ajoutez --by client\n');

    const help = sb.run(['digest', '--help'], FR);
    expect(help.stdout).toContain('une seule synthèse pour tous les registres enregistrés');

    for (const r of [dry, sent, again, bad, refused]) expect(englishLeft(r.stdout + r.stderr)).toEqual([]);
  });
});

describe('digest in English', () => {
  it('the same flows in English; the email stays in the business\'s language (French)', async () => {
    const dry = sb.run(['digest', '--as-of', '2026-03-16', '--dry-run'], EN);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Receivables digest: Atelier Dupont\nFrom 2026-03-10 to 2026-03-16\n');
    expect(dry.stdout).toContain('No invoice fell overdue.');
    expect(dry.stdout.trimEnd().split('\n').pop()).toBe('Dry run: nothing sent or recorded (it would go to compta@dupont.example).');
    const sent = sb.run(['digest', '--as-of', '2026-03-16'], EN);
    expect(sent.code, sent.stderr).toBe(0);
    const outbox = path.join(sb.dir, 'ledger-outbox', 'digest-2026-03-16-2.eml');
    expect(sent.stdout.trimEnd().split('\n').pop()).toBe(`Digest #2 written to the outbox: ${outbox}`);
    const mail = await simpleParser(fs.readFileSync(outbox));
    expect(mail.subject).toBe('Synthèse des créances, Atelier Dupont : du 2026-03-10 au 2026-03-16');
    const bad = sb.run(['digest', '--to', 'nobody'], EN);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^relance: --to: "nobody" is not valid/);
  });
});

describe('digest --all without --to, in both languages', () => {
  it('is refused in one line saying how to fix it, nothing sent or recorded; with --to the dry run goes to that address', () => {
    expect(sb.run(['ledger', 'add', 'dupont', sb.ledger], { noLedger: true }).code).toBe(0);
    const journal = path.join(sb.dir, 'config', 'relance', 'digests.db');
    const outbox = path.join(sb.dir, 'ledger-outbox');
    const files = fs.readdirSync(outbox);
    const snap = sb.snapshot();
    const fr = sb.run(['digest', '--all', '--as-of', '2026-03-23'], FR);
    expect(fr.code).toBe(2);
    expect(fr.stdout).toBe('');
    expect(fr.stderr).toBe('relance: --all envoie la synthèse de tous les registres au secrétariat, pas à l\'une des entreprises : donnez votre adresse avec --to, par exemple « relance digest --all --to moi@secretariat.fr »\n');
    expect(englishLeft(fr.stderr)).toEqual([]);
    const en = sb.run(['digest', '--all', '--as-of', '2026-03-23', '--json'], EN);
    expect(en.code).toBe(2);
    expect(en.stdout).toBe('');
    expect(en.stderr).toBe('relance: --all sends the overview of every ledger to you, not to one of the businesses: give your address with --to, e.g. "relance digest --all --to moi@secretariat.fr"\n');
    expect(sb.snapshot()).toBe(snap);
    expect(fs.existsSync(journal)).toBe(false);
    expect(fs.readdirSync(outbox)).toEqual(files);

    const dryFr = sb.run(['digest', '--all', '--as-of', '2026-03-23', '--to', 'moi@secretariat.fr', '--dry-run'], FR);
    expect(dryFr.code, dryFr.stderr).toBe(0);
    expect(dryFr.stdout.trimEnd().split('\n').pop()).toBe('Simulation : rien n\'est envoyé ni enregistré (destinataire : moi@secretariat.fr).');
    expect(englishLeft(dryFr.stdout + dryFr.stderr)).toEqual([]);
    const jsonFr = sb.run(['digest', '--all', '--as-of', '2026-03-23', '--to', 'moi@secretariat.fr', '--dry-run', '--json'], FR);
    const jsonEn = sb.run(['digest', '--all', '--as-of', '2026-03-23', '--to', 'moi@secretariat.fr', '--dry-run', '--json'], EN);
    expect(jsonFr.stdout).toBe(jsonEn.stdout);
    expect(JSON.parse(jsonEn.stdout).delivery).toEqual({ status: 'dry-run', to: 'moi@secretariat.fr', pdf: null });
    const help = sb.run(['digest', '--help'], FR);
    expect(help.stdout).toMatch(/obligatoire\s+avec\s+--all/);
  });
});
