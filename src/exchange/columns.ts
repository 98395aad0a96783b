/**
 * Which spreadsheet column holds which field: French and English headers people actually write
 * ("N° facture", "Date d'échéance", "Montant TTC", "Invoice number", "Due date"...), compared once
 * lower-cased, without accents and punctuation; `--map "Col=field"` names the others (or "Col=-" to
 * leave a column out). Pure: no I/O.
 */
import { UsageError } from '../core/errors.js';
import { columnLetter } from './sheet-cells.js';
import { t } from '../i18n/index.js';

export interface FieldDef {
  field: string;
  /** Normalised headers that mean this field. */
  headers: string[];
  required?: boolean;
  help: string;
}

/** "Date d'échéance" -> "date d echeance". */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n°|nº|no\./g, 'numero ')
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
}

export const CLIENT_FIELDS: FieldDef[] = [
  { field: 'code', required: true, help: 'the client code (ACME)', headers: ['code', 'code client', 'client code', 'customer code', 'client id', 'id client', 'reference client', 'ref client', 'identifiant'] },
  { field: 'name', required: true, help: 'company or person name', headers: ['name', 'nom', 'raison sociale', 'societe', 'company', 'company name', 'client', 'customer', 'nom du client', 'denomination'] },
  { field: 'email', help: 'where reminders go', headers: ['email', 'e mail', 'mail', 'courriel', 'adresse email', 'adresse e mail', 'adresse mail', 'email address', 'email comptabilite'] },
  { field: 'phone', help: 'phone number', headers: ['phone', 'telephone', 'tel', 'phone number', 'numero de telephone', 'portable', 'mobile'] },
  { field: 'address', help: 'postal address, lines separated by ";" or line breaks', headers: ['address', 'adresse', 'adresse postale', 'postal address', 'adresse du siege', 'siege'] },
  { field: 'billing-address', help: 'where invoices go, when different', headers: ['billing address', 'adresse de facturation', 'adresse facturation', 'invoice address'] },
  { field: 'contact', help: 'to whom invoices go', headers: ['contact', 'interlocuteur', 'contact name', 'nom du contact', 'destinataire', 'attention'] },
  { field: 'siren', help: 'SIREN (9 digits) or SIRET (14)', headers: ['siren', 'siret', 'numero siren', 'numero siret', 'siren siret'] },
  { field: 'vat-number', help: 'intra-EU VAT number', headers: ['vat number', 'vat', 'vat id', 'tva intracommunautaire', 'numero de tva', 'numero tva', 'tva intra', 'numero de tva intracommunautaire', 'tva'] },
  { field: 'lang', help: 'fr or en', headers: ['lang', 'language', 'langue'] },
  { field: 'b2c', help: 'a consumer: yes/no (or a type column: b2b, b2c, particulier, professionnel)', headers: ['b2c', 'particulier', 'consumer', 'type', 'type de client', 'client type', 'categorie'] },
  { field: 'terms', help: 'payment terms in days', headers: ['terms', 'payment terms', 'delai de paiement', 'delai', 'conditions de paiement', 'jours', 'terms days', 'delai jours'] },
  { field: 'po-required', help: 'invoices need a purchase-order number: yes/no', headers: ['po required', 'bon de commande obligatoire', 'bon de commande requis', 'po', 'bon de commande', 'purchase order required'] },
  { field: 'notes', help: 'free notes', headers: ['notes', 'note', 'remarques', 'commentaire', 'commentaires', 'comments'] },
];

export const INVOICE_FIELDS: FieldDef[] = [
  { field: 'number', required: true, help: 'the invoice number', headers: ['number', 'numero', 'numero facture', 'numero de facture', 'facture', 'invoice', 'invoice number', 'invoice no', 'ref facture', 'reference facture', 'piece'] },
  { field: 'client', required: true, help: 'client code or name', headers: ['client', 'code client', 'client code', 'customer', 'nom du client', 'nom client', 'societe'] },
  { field: 'issue-date', required: true, help: 'date issued', headers: ['issue date', 'date', 'date de facture', 'date facture', 'date d emission', 'date emission', 'invoice date', 'date de la facture'] },
  { field: 'due-date', help: 'due date (default: from the terms)', headers: ['due date', 'due', 'echeance', 'date d echeance', 'date echeance', 'date limite de paiement', 'a payer le'] },
  { field: 'amount', required: true, help: 'amount incl. VAT', headers: ['amount', 'montant ttc', 'ttc', 'total ttc', 'amount incl vat', 'total incl vat', 'gross', 'montant', 'total', 'amount ttc'] },
  { field: 'net', help: 'amount excl. VAT', headers: ['net', 'montant ht', 'ht', 'total ht', 'amount excl vat', 'total excl vat', 'amount ht'] },
  { field: 'vat-rate', help: 'VAT rate (20, 10, 5.5, 2.1, 0)', headers: ['vat rate', 'taux de tva', 'taux tva', 'tva %', 'tva', 'taux', 'vat %', 'vat'] },
  { field: 'paid', help: 'amount already paid', headers: ['paid', 'amount paid', 'deja paye', 'montant paye', 'montant regle', 'paye', 'regle', 'deja regle', 'encaisse', 'acompte verse'] },
  { field: 'paid-on', help: 'date of that payment (default: the issue date)', headers: ['paid on', 'date de paiement', 'date paiement', 'date de reglement', 'payment date'] },
  { field: 'level', help: 'last reminder level (0 to 9, or its name in the policy)', headers: ['level', 'reminder level', 'last reminder level', 'niveau', 'niveau de relance', 'relance', 'derniere relance', 'niveau derniere relance', 'relances'] },
  { field: 'reminder-date', help: 'date of the last reminder', headers: ['reminder date', 'last reminder date', 'last reminder', 'date de relance', 'date relance', 'date derniere relance', 'date de la derniere relance', 'relance le', 'date de derniere relance'] },
  { field: 'operation', help: 'goods, services or both', headers: ['operation', 'nature', 'nature de l operation', 'type d operation', 'goods or services'] },
  { field: 'po', help: 'the client\'s purchase-order number', headers: ['po', 'po number', 'purchase order', 'bon de commande', 'numero de commande', 'commande'] },
  { field: 'currency', help: 'ISO 4217 code (default: the ledger\'s)', headers: ['currency', 'devise', 'monnaie'] },
];

export interface ColumnMap {
  /** field -> 0-based column index */
  index: Map<string, number>;
  /** headers matched to no field (left out) */
  ignored: string[];
}

/** Parse repeated `--map "Column=field"` options. */
export function parseMaps(maps: readonly string[], fields: readonly FieldDef[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const m of maps) {
    const eq = m.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(t('books.columns.badMap', { map: m, fields: fields.map((f) => f.field).join(', ') }));
    const col = normaliseHeader(m.slice(0, eq));
    const field = m.slice(eq + 1).trim().toLowerCase();
    if (field !== '-' && !fields.some((f) => f.field === field)) throw new UsageError(t('books.columns.unknownField', { field, fields: fields.map((f) => f.field).join(', ') }));
    out.set(col, field === '-' ? null : field);
  }
  return out;
}

/**
 * Match the header row to fields: --map first, then the known headers. A field two columns claim,
 * or a required field no column holds, is an error naming the file.
 */
export function mapColumns(file: string, header: readonly string[], fields: readonly FieldDef[], maps: Map<string, string | null>): ColumnMap {
  const index = new Map<string, number>();
  const ignored: string[] = [];
  const byHeader = new Map<string, string>();
  for (const f of fields) for (const h of f.headers) if (!byHeader.has(h)) byHeader.set(h, f.field);
  const used = new Set([...maps.keys()]);
  header.forEach((raw, i) => {
    const h = normaliseHeader(raw);
    if (h === '') return;
    const mapped = maps.has(h) ? maps.get(h)! : (byHeader.get(h) ?? null);
    used.delete(h);
    if (mapped === null) {
      ignored.push(raw);
      return;
    }
    const before = index.get(mapped);
    if (before !== undefined) {
      // A second column for the same field: the explicit --map wins, else it is ambiguous.
      if (maps.has(h)) index.set(mapped, i);
      else if (!maps.has(normaliseHeader(header[before]!))) {
        throw new UsageError(t('books.columns.both', { file, first: header[before], firstLetter: columnLetter(before), second: raw, secondLetter: columnLetter(i), field: mapped }));
      }
      return;
    }
    index.set(mapped, i);
  });
  for (const h of used) throw new UsageError(t('books.columns.noColumn', { file, column: h, columns: header.map((c) => `"${c}"`).join(', ') }));
  for (const f of fields) {
    if (f.required && !index.has(f.field)) {
      throw new UsageError(t('books.columns.missing', { file, field: f.field, help: f.help, header: f.headers[0], columns: header.map((c) => `"${c}"`).join(', ') }));
    }
  }
  return { index, ignored };
}
