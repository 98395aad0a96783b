/**
 * The penalties rule sentence and its warnings (issue 20's leftover): written in the interface's
 * language on the terminal, English in --json (which never changes with the language), with the
 * rates' decimal comma in French.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/e2e.js';
import { englishLeft } from '../helpers/i18n.js';
import { issueInvoice, ok, setup } from '../e2e/pay-helpers.js';

const FR = { LANG: 'fr_FR.UTF-8' };
const EN = { LANG: 'en_US.UTF-8' };

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox('relance-i18n-penalties-');
  setup(sb);
});
afterEach(() => sb.cleanup());

describe('penalties in French and English', () => {
  it('the ECB rule: French on a French terminal, English in --json under both', () => {
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 }); // due 2025-09-30
    const fr = sb.run(['penalties', f, '--as-of', '2025-11-30'], { env: FR });
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toContain(
      "Règle : client professionnel : taux BCE en vigueur au 1er janvier / 1er juillet majoré de 10 points, à compter du lendemain de l'échéance du 2025-09-30, plus l'indemnité forfaitaire de 40 EUR.",
    );
    expect(englishLeft(fr.stdout)).toEqual([]);
    const en = sb.run(['penalties', f, '--as-of', '2025-11-30'], { env: EN });
    expect(en.stdout).toContain('Rule: professional client: ECB rate in force on 1 January / 1 July + 10 points, from the day after the due date 2025-09-30, plus the 40 EUR indemnity.');
    const jsonFr = JSON.parse(sb.run(['--json', 'penalties', f, '--as-of', '2025-11-30'], { env: FR }).stdout);
    const jsonEn = JSON.parse(sb.run(['--json', 'penalties', f, '--as-of', '2025-11-30'], { env: EN }).stdout);
    expect(jsonFr).toEqual(jsonEn);
    expect(jsonEn.rule).toBe('professional client: ECB rate in force on 1 January / 1 July + 10 points, from the day after the due date 2025-09-30, plus the 40 EUR indemnity');
  });

  it('a contractual rate below the minimum: the rule and the warning with a decimal comma in French', () => {
    ok(sb, ['ledger', 'set', 'penalty.mode', 'contract']);
    ok(sb, ['ledger', 'set', 'penalty.rate_bp', '825']);
    const f = issueInvoice(sb, 'ACME', '1000', '2025-09-01', { terms: 29 });
    const fr = sb.run(['penalties', f, '--as-of', '2025-10-30'], { env: FR });
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toContain("Règle : client professionnel : taux contractuel de 8,25 % à compter du lendemain de l'échéance du 2025-09-30");
    expect(fr.stderr).toContain('le taux contractuel de 8,25 % est inférieur à 3 fois le taux de l\'intérêt légal de 2025-H2 (3 x 2,76 % = 8,28 %)');
    expect(englishLeft(fr.stdout + fr.stderr)).toEqual([]);
    const json = JSON.parse(sb.run(['--json', 'penalties', f, '--as-of', '2025-10-30'], { env: FR }).stdout);
    expect(json.rule).toBe('professional client: contractual rate 8.25 % from the day after the due date 2025-09-30, plus the 40 EUR indemnity');
    expect(json.warnings).toEqual([
      'the contractual rate 8.25 % is below 3 x the legal interest rate of 2025-H2 (3 x 2.76 % = 8.28 %), the minimum L441-10 allows; set a higher one with "relance ledger set penalty.rate_bp BP"',
    ]);
  });

  it('a consumer without a formal notice', () => {
    const f = issueInvoice(sb, 'MARTIN', '500', '2025-09-01', { terms: 29 });
    const fr = sb.run(['penalties', f, '--as-of', '2025-11-30'], { env: FR });
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toContain("Règle : client particulier : ni pénalités L441-10 ni indemnité de 40 EUR ; l'intérêt légal ne court qu'à compter d'une mise en demeure (aucune pour l'instant).");
  });
});
