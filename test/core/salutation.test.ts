/** Greetings from the contact name (issue 15 §5): by name when a civility is given, else neutral. */
import { describe, expect, it } from 'vitest';
import { courtesyTitle, namedSalutation, parseContact, salutation } from '../../src/core/salutation.js';

describe('salutation', () => {
  it('a civility before the name greets by family name, in either language', () => {
    expect(salutation('Mme Claire Martin', 'fr')).toBe('Madame Martin');
    expect(salutation('Mme Claire Martin', 'en')).toBe('Dear Ms Martin');
    expect(salutation('M. Dupont', 'fr')).toBe('Monsieur Dupont');
    expect(salutation('M. Dupont', 'en')).toBe('Dear Mr Dupont');
    expect(salutation('Mr John Smith', 'fr')).toBe('Monsieur Smith');
    expect(salutation('Mrs Jane Smith', 'en')).toBe('Dear Mrs Smith');
    expect(salutation('madame Martin-Dupont', 'fr')).toBe('Madame Martin-Dupont');
    expect(salutation('M. Jean de La Fontaine', 'fr')).toBe('Monsieur de La Fontaine');
    expect(salutation('Monsieur de Villepin', 'fr')).toBe('Monsieur de Villepin');
  });

  it('without a civility the greeting stays neutral (no guessed gender, maybe not a person)', () => {
    for (const name of ['Claire Martin', 'Service comptabilité', 'Martin', '', null, undefined, 'Mme']) {
      expect(salutation(name, 'fr')).toBe('Madame, Monsieur');
      expect(salutation(name, 'en')).toBe('Dear Sir or Madam');
      expect(namedSalutation(name, 'fr')).toBeNull();
      expect(courtesyTitle(name)).toBe('Madame, Monsieur');
    }
    // "Marc" starts with M but is no civility.
    expect(parseContact('Marc Durand')).toBeNull();
  });

  it('the closing formula addresses the same person', () => {
    expect(courtesyTitle('Mme Claire Martin')).toBe('Madame');
    expect(courtesyTitle('Mr Smith')).toBe('Monsieur');
  });
});
