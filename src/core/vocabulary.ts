/**
 * The French words a user may type wherever relance takes an English keyword (issue 20 §1): payment
 * methods, contact channels, statuses and aging buckets in filters. `canonical(kind, word)` gives the
 * keyword the ledger stores (and JSON prints); any other word comes back unchanged, for the caller's
 * own check to refuse. Case, accents and spaces/underscores do not matter ("Chèque", "cheque",
 * "rendez vous"). Pure.
 */
export type VocabularyKind = 'method' | 'channel' | 'invoiceStatus' | 'quoteStatus' | 'recurringStatus' | 'bucket' | 'by';

const WORDS: Record<VocabularyKind, Record<string, string>> = {
  method: {
    virement: 'transfer',
    cheque: 'cheque',
    especes: 'cash',
    liquide: 'cash',
    carte: 'card',
    cb: 'card',
    'carte-bancaire': 'card',
    prelevement: 'direct-debit',
    autre: 'other',
  },
  channel: {
    appel: 'call',
    telephone: 'call',
    courriel: 'email',
    mail: 'email',
    'e-mail': 'email',
    courrier: 'letter',
    lettre: 'letter',
    visite: 'visit',
    'rendez-vous': 'meeting',
    rdv: 'meeting',
    reunion: 'meeting',
  },
  invoiceStatus: {
    brouillon: 'draft',
    emise: 'open',
    ouverte: 'open',
    'en-cours': 'open',
    partielle: 'partially paid',
    'partiellement-payee': 'partially paid',
    'partially-paid': 'partially paid',
    payee: 'paid',
    reglee: 'paid',
    annulee: 'cancelled',
    contestee: 'disputed',
    litige: 'disputed',
    impayee: 'unpaid',
  },
  quoteStatus: {
    ouvert: 'open',
    'en-attente': 'open',
    accepte: 'accepted',
    refuse: 'declined',
    decline: 'declined',
    expire: 'expired',
    facture: 'invoiced',
  },
  recurringStatus: {
    actif: 'active',
    active: 'active',
    'en-pause': 'paused',
    suspendu: 'paused',
    arrete: 'stopped',
    termine: 'stopped',
  },
  bucket: {
    'non-echu': 'not_due',
    'non-echue': 'not_due',
    'a-echoir': 'not_due',
    'pas-echu': 'not_due',
  },
  by: {
    facture: 'invoice',
    client: 'client',
  },
};

/** Lower case, no accents, words joined by "-": "Rendez vous" -> "rendez-vous", "Espèces" -> "especes". */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-');
}

/** The stored keyword for a French (or English) word of this kind; an unknown word comes back as given. */
export function canonical(kind: VocabularyKind, word: string): string {
  const folded = foldWord(word);
  return WORDS[kind][folded] ?? WORDS[kind][folded.replace(/s$/, '')] ?? (kind === 'bucket' && folded === 'not-due' ? 'not_due' : word);
}

/** The French words of a kind that give this keyword (for help texts and completion). */
export function frenchWords(kind: VocabularyKind, keyword: string): string[] {
  return Object.entries(WORDS[kind])
    .filter(([, k]) => k === keyword)
    .map(([w]) => w);
}
