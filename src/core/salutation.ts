/**
 * The greeting of a letter from the client's contact name. The client record holds one free-text
 * contact name (`client add --contact`); a civility written in front of it ("Mme Claire Martin",
 * "M. Dupont", "Mr John Smith", "Ms Smith") is enough to greet the person by name:
 * "Madame Martin," / "Dear Ms Martin,". Without one the gender is not guessed (nor whether the
 * contact is a person at all: "Service comptabilité"), and the neutral greeting stays
 * ("Madame, Monsieur," / "Dear Sir or Madam,"). Pure.
 */
export type Civility = 'f' | 'm';

export interface Contact {
  civility: Civility;
  /** what was written before the name: kept for English "Mrs" */
  title: string;
  /** the family name: the words after the given name ("Claire Martin" -> "Martin") */
  surname: string;
}

const FEMALE = /^(mme|madame|mlle|mademoiselle|mrs|ms|miss)\.?$/i;
const MALE = /^(m|monsieur|mr|mister)\.?$/i;
/** Words that start a family name ("de La Fontaine", "van Dyck"), so the name is not cut after them. */
const PARTICLE = /^(de|du|des|d'.*|le|la|van|von|der|den|di|da|del|dos)$/i;

/** The civility and family name of a contact name, or null when it gives no civility. */
export function parseContact(contactName: string | null | undefined): Contact | null {
  const words = (contactName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return null;
  const first = words[0]!;
  const civility: Civility | null = FEMALE.test(first) ? 'f' : MALE.test(first) ? 'm' : null;
  if (!civility) return null;
  const name = words.slice(1);
  // "Claire Martin" -> "Martin"; "Martin" -> "Martin"; "Jean de La Fontaine" -> "de La Fontaine".
  const surname = name.length >= 2 && !PARTICLE.test(name[0]!) ? name.slice(1).join(' ') : name.join(' ');
  return { civility, title: first.replace(/\.$/, '').toLowerCase(), surname };
}

/** "Madame Martin" / "Ms Martin", or null when the contact gives no civility. */
export function namedSalutation(contactName: string | null | undefined, lang: 'fr' | 'en'): string | null {
  const c = parseContact(contactName);
  if (!c) return null;
  if (lang === 'fr') return `${c.civility === 'f' ? 'Madame' : 'Monsieur'} ${c.surname}`;
  const title = c.civility === 'm' ? 'Mr' : c.title === 'mrs' ? 'Mrs' : 'Ms';
  return `${title} ${c.surname}`;
}

/** The opening line without its comma: "Madame Martin" / "Madame, Monsieur"; "Dear Ms Martin" / "Dear Sir or Madam". */
export function salutation(contactName: string | null | undefined, lang: 'fr' | 'en'): string {
  const named = namedSalutation(contactName, lang);
  if (lang === 'fr') return named ?? 'Madame, Monsieur';
  return `Dear ${named ?? 'Sir or Madam'}`;
}

/** How the closing formula addresses the reader (French): "Madame", "Monsieur" or "Madame, Monsieur". */
export function courtesyTitle(contactName: string | null | undefined): string {
  const c = parseContact(contactName);
  return c ? (c.civility === 'f' ? 'Madame' : 'Monsieur') : 'Madame, Monsieur';
}
