/** Issue 15 §4: the pure checks on values that would reach a document or a file name. */
import { describe, expect, it } from 'vitest';
import { checkBic, checkIban, checkVatNumber, frenchVatKey } from '../../src/core/identifiers.js';
import { checkPaymentLink, isWebLink, safeName } from '../../src/core/links.js';
import { checkPattern } from '../../src/core/numbering.js';
import { checkAmountRange, MAX_CENTS, parseAmount } from '../../src/core/money.js';
import { decimalNumber, numberText, parseQuantity } from '../../src/core/numbers.js';
import { computeLine, checkLinesFit } from '../../src/core/vat.js';
import { isIsoDate, parseDate } from '../../src/core/dates.js';
import { requireIssuedBy } from '../../src/core/documents.js';
import { isCorrupt, isDiskFull, storageError } from '../../src/core/storage-errors.js';
import { ExitCode } from '../../src/core/errors.js';

describe('IBAN and BIC (ibantools)', () => {
  it('accepts a valid IBAN in any spacing and case, normalised', () => {
    expect(checkIban('fr76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
  });
  it('refuses wrong check digits, a wrong length, an unknown country', () => {
    expect(() => checkIban('FR7630006000011234567890188')).toThrow(/mistyped/);
    expect(() => checkIban('FR76300060000112345678901')).toThrow(/wrong length/);
    expect(() => checkIban('XX7630006000011234567890189')).toThrow(/country code/);
  });
  it('checks the BIC format', () => {
    expect(checkBic('bnpa fr pp')).toBe('BNPAFRPP');
    expect(checkBic('AGRIFRPP882')).toBe('AGRIFRPP882');
    expect(() => checkBic('BNPA1RPP')).toThrow(/not a BIC/);
    expect(() => checkBic('BNPAFRP')).toThrow(/not a BIC/);
  });
});

describe('VAT numbers (jsvat)', () => {
  it('computes the French key from the SIREN', () => {
    expect(frenchVatKey('401234562')).toBe('46');
    expect(frenchVatKey('732829320')).toBe('44');
    expect(checkVatNumber('FR 46 401234562')).toBe('FR46401234562');
    expect(() => checkVatNumber('FR12401234562')).toThrow(/for SIREN 401234562 the key is 46: FR46401234562/);
  });
  it('checks the other EU formats and check digits', () => {
    for (const ok of ['DE136695976', 'BE0403170701', 'ATU13585627', 'EL094259216', 'NL004495445B01', 'ESA28015865', 'IT00743110157']) expect(checkVatNumber(ok), ok).toBe(ok);
    expect(() => checkVatNumber('DE136695977')).toThrow(/Germany/);
    expect(() => checkVatNumber('BE0403170702')).toThrow(/Belgium/);
    expect(() => checkVatNumber('ZZ123456789')).toThrow(/country/);
  });
});

describe('payment links', () => {
  it('only http(s) with a host', () => {
    expect(checkPaymentLink('https://pay.example.com/{number}')).toBe('https://pay.example.com/{number}');
    expect(checkPaymentLink('http://pay.example.com/x')).toBe('http://pay.example.com/x');
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', '/pay/{number}', 'https://', 'https://a b.com', 'https://x.com/"onmouseover="x']) {
      expect(() => checkPaymentLink(bad), bad).toThrow(/payment link/);
    }
    expect([isWebLink('https://a.fr/1'), isWebLink('javascript:alert(1)'), isWebLink(null)]).toEqual([true, false, false]);
  });
});

describe('number patterns and file names', () => {
  it('exactly one {seq:N}, N from 1 to 9, nothing that leaves the folder', () => {
    expect(checkPattern('F-{YYYY}-{seq:4}')).toBe('F-{YYYY}-{seq:4}');
    expect(checkPattern('F.{YYYY}.{seq}')).toBe('F.{YYYY}.{seq}');
    expect(() => checkPattern('../../{seq:4}')).toThrow(/"\/", "\\" or "\.\."/);
    expect(() => checkPattern('F\\{seq:4}')).toThrow(/"\.\."/);
    expect(() => checkPattern('F..{seq:4}')).toThrow(/"\.\."/);
    expect(() => checkPattern('F-{seq:4}-{seq:2}')).toThrow(/exactly one/);
    expect(() => checkPattern('F-{seq:0}')).toThrow(/from 1 to 9/);
    expect(() => checkPattern('F-{seq:12}')).toThrow(/from 1 to 9/);
    expect(() => checkPattern('F-{YYYY}')).toThrow(/no \{seq\}/);
    expect(() => checkPattern('.{seq:4}')).toThrow(/hidden/);
  });
  it('safeName never keeps a separator or ".."', () => {
    expect(safeName('../../0001')).toBe('0001');
    expect(safeName('a/b\\c')).toBe('a_b_c');
    expect(safeName('F-2026-0001')).toBe('F-2026-0001');
    expect(safeName('..')).toBe('x');
  });
});

describe('ranges', () => {
  it('amounts up to 9 999 999 999,99, quantities up to 999 999 999', () => {
    expect(parseAmount('9 999 999 999,99')).toBe(MAX_CENTS);
    expect(() => parseAmount('99999999999')).toThrow(/more than a ledger can hold/);
    expect(() => parseQuantity('99999999999')).toThrow(/more than a ledger can hold/);
    expect(parseQuantity('999999999')).toBe(999_999_999_000);
    expect(() => checkAmountRange(MAX_CENTS + 1, 'total')).toThrow(/total: the amount is more/);
  });
  it('a line or a document total beyond the range is refused, never a float', () => {
    const line = { description: 'A', quantityMilli: 999_999_999_000, unitPrice: 999_999_999_99, vatBp: 2000, discountBp: 0, discountAmount: 0 };
    expect(() => computeLine(line)).toThrow(/line "A": quantity x unit price is more than a ledger can hold/);
    const big = computeLine({ ...line, quantityMilli: 1000, unitPrice: 900_000_000_000 });
    expect(() => checkLinesFit([big])).toThrow(/document's total/);
  });
  it('numbers only in decimal digits', () => {
    expect([decimalNumber('12'), decimalNumber(' -3 '), decimalNumber('1,5')]).toEqual([12, -3, 1.5]);
    for (const bad of ['0x1F', '1e3', '', ' ', 'Infinity', '0b11', '1_000']) expect(decimalNumber(bad), bad).toBeNaN();
    expect(numberText('days').safeParse('0x1F').success).toBe(false);
    expect(numberText('days').safeParse('31').data).toBe(31);
  });
  it('dates before 1900 are refused (Date.UTC would read 0000 as 1900)', () => {
    expect(() => parseDate('0000-01-01')).toThrow(/before 1900/);
    expect(() => parseDate('1899-12-31')).toThrow(/before 1900/);
    expect(parseDate('1900-01-01')).toBe('1900-01-01');
    expect(isIsoDate('0099-01-01')).toBe(false);
  });
  it('an as-of date before the issue date says the invoice was not issued then', () => {
    expect(() => requireIssuedBy({ number: 'F-2026-0001', issueDate: '2026-03-01' }, '2026-02-01')).toThrow('F-2026-0001 was not issued on 2026-02-01');
    expect(() => requireIssuedBy({ number: 'F-2026-0001', issueDate: '2026-03-01' }, '2026-03-01')).not.toThrow();
  });
});

describe('storage errors', () => {
  it('a damaged page is exit 4 naming doctor and restore; a full disk says so', () => {
    const corrupt = storageError(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }), '/x/l.db')!;
    expect(corrupt.exitCode).toBe(ExitCode.ledger);
    expect(corrupt.message).toMatch(/damaged.*relance doctor -f \/x\/l\.db.*relance restore BACKUP -f \/x\/l\.db/);
    expect(isCorrupt({ code: 'SQLITE_CORRUPT_INDEX' })).toBe(true);
    const full = storageError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), '/x/l.db')!;
    expect(full.message).toMatch(/disk holding \/x\/l\.db is full/);
    expect(isDiskFull({ code: 'ENOSPC' })).toBe(true);
    expect(storageError(new Error('other'), 'f')).toBeNull();
  });
});
