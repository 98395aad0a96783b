/**
 * core/lazy.ts: a value built on first use. The schemas of client-checks and settings are lazy, so
 * they must behave exactly as the schemas they stand for, through zod's own functions too.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { safeParse } from 'zod/v4/core';
import { lazy } from '../../src/core/lazy.js';
import { CLIENT_CODE, CLIENT_EMAIL, CLIENT_SIREN, CLIENT_TERMS } from '../../src/core/client-checks.js';
import { parseSetting, SETTINGS } from '../../src/store/settings.js';

describe('lazy', () => {
  it('builds nothing until used, then once', () => {
    let built = 0;
    const v = lazy(() => {
      built++;
      return { n: 1, list: [1, 2] };
    });
    expect(built).toBe(0);
    expect(v.n).toBe(1);
    expect('list' in v).toBe(true);
    expect(Object.keys(v)).toEqual(['n', 'list']);
    expect({ ...v }).toEqual({ n: 1, list: [1, 2] });
    v.n = 2;
    expect(v.n).toBe(2);
    expect(built).toBe(1);
  });

  it('a lazy schema parses, refuses and composes like the schema itself', () => {
    const eager = z.string().check(z.regex(/^\d{3}$/, 'three digits'));
    const late = lazy(() => z.string().check(z.regex(/^\d{3}$/, 'three digits')));
    for (const v of ['123', '12', 7, null]) {
      const a = safeParse(eager, v);
      const b = safeParse(late, v);
      expect(b.success).toBe(a.success);
      expect(b.error?.issues).toEqual(a.error?.issues);
    }
    expect(late instanceof z.ZodMiniType).toBe(true);
    expect(safeParse(z.nullable(late), null).success).toBe(true);
    expect(safeParse(z.array(late), ['123', '456']).data).toEqual(['123', '456']);
    expect(late.safeParse('999').success).toBe(true);
  });

  it("client-checks' and settings' schemas, built on first use, keep their rules", () => {
    expect(safeParse(CLIENT_CODE, 'ACME-2').success).toBe(true);
    expect(safeParse(CLIENT_CODE, 'A B').error?.issues[0]?.message).toMatch(/a code is 1 to 32/);
    expect(safeParse(CLIENT_EMAIL, 'nope').success).toBe(false);
    expect(safeParse(CLIENT_SIREN, '552 100 554').data).toBe('552100554');
    expect(safeParse(CLIENT_SIREN, '552100555').success).toBe(false);
    expect(safeParse(CLIENT_TERMS, '45').data).toBe(45);
    expect(safeParse(CLIENT_TERMS, '400').success).toBe(false);
    expect(parseSetting('terms.days', '60')).toBe(60);
    expect(parseSetting('business.iban', 'fr76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
    expect(parseSetting('vat_exempt', 'yes')).toBe(true);
    expect(parseSetting('penalty.rate_bp', '')).toBe(null);
    expect(() => parseSetting('smtp.port', '70000')).toThrow(/smtp.port: cannot use "70000": at most 65535/);
    expect(() => parseSetting('accounts.bank', '012')).toThrow(/an account number/);
    expect(SETTINGS['terms.days'].default).toBe(30);
  });
});
