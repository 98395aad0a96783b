/**
 * In-process checks of the CLI's language frame (src/cli/main.ts): the order of --lang, the
 * ledger's ui.language and the environment; --lang taken out before commander parses; every
 * commander error code said in French and left exactly as commander says it in English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commanderMessage, languageOf, withoutLang } from '../../src/cli/main.js';
import { setLanguage } from '../../src/i18n/index.js';

afterEach(() => setLanguage('en'));

describe('languageOf', () => {
  it('--lang before the command word, else the ledger, else LC_ALL, LC_MESSAGES, LANG', () => {
    const fr = () => 'fr' as const;
    expect(languageOf(['--lang', 'en', 'client', 'list'], { LANG: 'fr_FR.UTF-8' }, fr)).toBe('en');
    expect(languageOf(['--lang=fr', 'client'], { LANG: 'C' })).toBe('fr');
    expect(languageOf(['client', 'add', 'X', '--lang', 'en'], { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(languageOf(['client', 'list'], { LANG: 'en_US.UTF-8' }, fr)).toBe('fr');
    expect(languageOf(['client', 'list'], { LANG: 'fr_FR.UTF-8' }, () => undefined)).toBe('fr');
    expect(languageOf(['client', 'list'], { LANG: 'fr_FR.UTF-8', LC_MESSAGES: 'en_GB' })).toBe('en');
    expect(languageOf(['client', 'list'], { LANG: 'en_US', LC_MESSAGES: 'C', LC_ALL: 'fr_BE.UTF-8' })).toBe('fr');
    expect(languageOf([], {})).toBe('en');
  });

  it('the ledger is not even looked at when --lang decides', () => {
    let looked = false;
    languageOf(['--lang', 'fr', 'todo'], {}, () => ((looked = true), 'en'));
    expect(looked).toBe(false);
  });

  it('withoutLang drops only the interface\'s --lang', () => {
    expect(withoutLang(['--lang', 'fr', '-f', 'x.db', 'client', 'add', 'A', '--lang', 'en'])).toEqual(['-f', 'x.db', 'client', 'add', 'A', '--lang', 'en']);
    expect(withoutLang(['--lang=en', '--help'])).toEqual(['--help']);
  });
});

describe("commander's errors by code", () => {
  const cases: [code: string, en: string, fr: string][] = [
    ['commander.unknownOption', "unknown option '--bogus'", 'option inconnue « --bogus »'],
    ['commander.unknownCommand', "unknown command 'lst'", 'commande inconnue « lst »'],
    ['commander.missingArgument', "missing required argument 'code'", 'argument obligatoire manquant : « code »'],
    ['commander.optionMissingArgument', "option '--as-of <date>' argument missing", "l'option « --as-of <date> » attend une valeur"],
    ['commander.missingMandatoryOptionValue', "required option '--name <name>' not specified", "l'option obligatoire « --name <name> » n'est pas donnée"],
    ['commander.excessArguments', "too many arguments for 'list'. Expected 0 arguments but got 1.", "trop d'arguments pour « list » (attendus : 0, donnés : 1)."],
    ['commander.excessArguments', 'too many arguments. Expected 2 arguments but got 3.', "trop d'arguments (attendus : 2, donnés : 3)."],
    ['commander.conflictingOption', "option '--all' cannot be used with option '--client <code>'", "l'option « --all » ne peut pas être utilisée avec l'option « --client <code> »"],
    ['commander.invalidArgument', "option '--by <what>' argument 'x' is invalid. Allowed choices are invoice, client.", "la valeur « x » de l'option « --by <what> » n'est pas valable. Valeurs possibles : invoice, client."],
    ['commander.invalidArgument', "command-argument value 'zsh2' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.", "la valeur « zsh2 » de l'argument « shell » n'est pas valable. Valeurs possibles : bash, zsh, fish."],
  ];
  it.each(cases)('%s: English as commander says it, French by its code', (code, en, fr) => {
    setLanguage('en');
    expect(commanderMessage(code, en)).toBe(en);
    setLanguage('fr');
    expect(commanderMessage(code, en)).toBe(fr);
  });

  it('a message it does not know is left as it is', () => {
    setLanguage('fr');
    expect(commanderMessage('commander.somethingNew', 'something new')).toBe('something new');
  });
});
