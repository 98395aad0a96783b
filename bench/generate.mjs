// Synthetic ledgers for the benchmarks: a business with 2,000 clients and 10k to 1M invoices over
// three years, with payments (full, partial, several invoices at once, bounced cheques), credit notes,
// disputes, payment plans, reminders already sent (messages + reminders rows) and the call log.
//
// A ledger is created by the real `relance init` (so it has the real schema, settings and pragmas),
// then filled with better-sqlite3: the schema's indices are dropped, every row goes in through
// prepared statements inside one transaction, and the indices are rebuilt at the end (much faster
// than maintaining them row by row). Everything is deterministic (seeded PRNG), so a ledger of a given
// size is the same on every machine; generated ledgers are cached in bench/out/ and reused while the
// generator version, the size and the schema are unchanged.
//
//   node bench/generate.mjs 100k            # or 10k, 1m, 250000; --profile open|due; --force
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const GENERATOR_VERSION = 4;
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(ROOT, 'bench', 'out');
export const BIN = path.join(ROOT, 'bin', 'relance');
/** The date every benchmark runs "as of": the ledgers cover the three years before it. */
export const AS_OF = '2026-11-20';

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01, UTC) with a cache of their YYYY-MM-DD strings.
const DAY_MS = 86_400_000;
export const dayOf = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoCache = new Map();
export function iso(day) {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

// Seeded PRNG (mulberry32): same ledger for the same seed on every machine.
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  next.weighted = (pairs) => {
    let r = next();
    for (const [p, v] of pairs) {
      if (r < p) return v;
      r -= p;
    }
    return pairs[pairs.length - 1][1];
  };
  return next;
}

/** Half away from zero, as the product rounds money (core/money.ts roundDiv). */
const roundDiv = (num, den) => (num >= 0 ? Math.floor((num * 2 + den) / (2 * den)) : -Math.floor((-num * 2 + den) / (2 * den)));

// ---------------------------------------------------------------------------------------------
// Profiles. mix: a real business's history. open: every invoice unpaid and never reminded (the worst
// case for `remind --due --dry-run`). due: one client per invoice, each invoice 10 days late and not
// reminded yet, so one `remind --due` renders one message per invoice (the outbox benchmark); its
// invoices have their PDFs stored, as invoices issued by relance do.
export const PROFILES = {
  mix: { clients: 2000, spanDays: 3 * 365, history: true },
  open: { clients: 2000, spanDays: 3 * 365, history: false },
  due: { clients: null, spanDays: 0, history: false, freezePdfs: true },
};

export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(String(text).trim());
  if (!m) throw new Error(`size "${text}": use a number such as 10000, 10k, 100k or 1m`);
  const mult = { '': 1, k: 1000, m: 1_000_000 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * mult);
}
export const sizeLabel = (n) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** A hash of the schema sources: a ledger generated under another schema is regenerated. */
function schemaHash() {
  const dir = path.join(ROOT, 'src', 'store', 'schema');
  const h = crypto.createHash('sha256');
  // indexes.ts is left out: its indices are synced onto a cached ledger (syncReportIndexes) instead.
  for (const f of fs.readdirSync(dir).sort()) if (f !== 'indexes.ts') h.update(f).update(fs.readFileSync(path.join(dir, f)));
  h.update(fs.readFileSync(path.join(ROOT, 'src', 'store', 'migrations.ts')));
  return h.digest('hex').slice(0, 16);
}

export function ledgerPath(invoices, profile = 'mix') {
  return path.join(OUT, `ledger-${profile}-${sizeLabel(invoices)}.db`);
}

/**
 * The ledger of `invoices` invoices for a profile, generated unless a cached one of the same
 * generator version, size and schema exists. Returns { file, meta }.
 */
export function ensureLedger(invoices, { profile = 'mix', force = false, log = (s) => process.stderr.write(s + '\n') } = {}) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = ledgerPath(invoices, profile);
  const metaFile = file.replace(/\.db$/, '.json');
  const key = { generator: GENERATOR_VERSION, invoices, profile, schema: schemaHash(), asOf: AS_OF, ...(PROFILES[profile]?.freezePdfs ? { pdfs: 'frozen' } : {}) };
  if (!force && fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (JSON.stringify(meta.key) === JSON.stringify(key)) {
      syncReportIndexes(file, log);
      return { file, meta };
    }
  }
  log(`generating ${path.relative(ROOT, file)} (${invoices.toLocaleString('en')} invoices, profile ${profile})...`);
  const t0 = performance.now();
  const tmp = `${file}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const init = spawnSync(
    process.execPath,
    [BIN, 'init', tmp, '--no-input', '--name', 'Cabinet Martin Secretariat', '--email', 'compta@martin-secretariat.fr',
      '--siren', '732829320', '--address', '12 rue des Lilas;69003 Lyon', '--iban', 'FR7630006000011234567890189',
      '--legal-form', 'SARL au capital de 8 000 EUR', '--vat-number', 'FR44732829320'],
    { encoding: 'utf8', env: { ...process.env, HOME: OUT, XDG_CONFIG_HOME: path.join(OUT, 'config') } },
  );
  if (init.status !== 0) throw new Error(`relance init failed (${init.status}): ${init.stderr.trim()}; run "npm run build" first`);
  // Rate tables over the whole three years, so every penalty is computed rather than "unknown":
  // the ECB change of 2023-06-21 (4.00 %) that the shipped table starts after, the legal rates of
  // 2023-H2 and 2024-H1, and (a benchmark assumption, not a published figure) 2026-H2 as in H1.
  for (const args of [['rates', 'add', '2023-06-21', '4.00'], ['rates', 'confirm', '2026-07-01'],
    ['rates', 'legal', '2023-H2', '4.22', '6.82'], ['rates', 'legal', '2024-H1', '5.07', '8.01'], ['rates', 'legal', '2026-H2', '2.62', '6.67']]) {
    const r = spawnSync(process.execPath, [BIN, '-f', tmp, ...args], { encoding: 'utf8', env: { ...process.env, HOME: OUT, XDG_CONFIG_HOME: path.join(OUT, 'config') } });
    if (r.status !== 0) log(`  warning: relance ${args.join(' ')} failed (${r.stderr.trim()}); penalties may show as unknown`);
  }
  const counts = fill(tmp, invoices, profile);
  if (PROFILES[profile].freezePdfs) {
    // Real invoices get their PDF stored when they are issued; the generator inserts rows directly,
    // so it gives them their PDFs through the product's own path (not timed). bench/README.md also
    // gives the figure without them (cold: every PDF rendered during the run).
    const t1 = performance.now();
    const r = spawnSync(process.execPath, [BIN, '-f', tmp, 'invoice', 'freeze', '--as-of', AS_OF, '--json'], { encoding: 'utf8', env: { ...process.env, HOME: OUT, XDG_CONFIG_HOME: path.join(OUT, 'config') } });
    if (r.status !== 0) throw new Error(`relance invoice freeze failed (${r.status}): ${r.stderr.trim()}`);
    counts.document_pdfs = JSON.parse(r.stdout).frozen;
    log(`  stored ${counts.document_pdfs.toLocaleString('en')} invoice PDFs (relance invoice freeze) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  const seconds = (performance.now() - t0) / 1000;
  const meta = { key, counts, seconds: Math.round(seconds * 10) / 10, bytes: fs.statSync(file).size };
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  log(`  done in ${meta.seconds} s: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}; ${(meta.bytes / 1e6).toFixed(0)} MB`);
  return { file, meta };
}

/** The report indices declared in src/store/schema/indexes.ts: name -> CREATE statement. */
export function reportIndexes() {
  const src = fs.readFileSync(path.join(ROOT, 'src', 'store', 'schema', 'indexes.ts'), 'utf8');
  const body = /`([\s\S]*)`/.exec(src)?.[1] ?? '';
  const sql = body.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
  const out = new Map();
  for (const m of sql.matchAll(/CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)[^;]*;/gi)) out.set(m[1], m[0].trim());
  return out;
}

/**
 * Make a cached ledger's report indices those of indexes.ts now (drop the old, create the new), so
 * that trying an index does not mean regenerating a million invoices. Index names start "report_".
 */
export function syncReportIndexes(file, log = () => {}) {
  const wanted = reportIndexes();
  const db = new Database(file);
  const norm = (s) => s.replace(/\s+/g, ' ').replace(/;$/, '').trim().toLowerCase();
  const have = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'report\\_%' ESCAPE '\\'").all();
  for (const { name, sql } of have) {
    if (!wanted.has(name) || norm(wanted.get(name)) !== norm(sql)) {
      db.exec(`DROP INDEX "${name}"`);
      log(`  ${path.basename(file)}: dropped index ${name}`);
    }
  }
  const now = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all().map((r) => r.name));
  for (const [name, sql] of wanted) {
    if (now.has(name)) continue;
    db.exec(sql);
    log(`  ${path.basename(file)}: created index ${name}`);
  }
  db.close();
}

// ---------------------------------------------------------------------------------------------
const PREFIXES = ['Atelier', 'Boulangerie', 'Cabinet', 'Garage', 'Studio', 'Transports', 'Menuiserie', 'Pharmacie', 'Agence', 'Librairie', 'Imprimerie', 'Plomberie', 'Fromagerie', 'Clinique', 'Domaine'];
const SURNAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'Andre', 'Mercier', 'Dupont'];
const FORMS = ['SARL', 'SAS', 'EURL', 'SA', 'SCI', 'EI'];
const CITIES = [['75011', 'Paris'], ['69003', 'Lyon'], ['13006', 'Marseille'], ['31000', 'Toulouse'], ['33000', 'Bordeaux'], ['44000', 'Nantes'], ['59000', 'Lille'], ['67000', 'Strasbourg'], ['35000', 'Rennes'], ['06000', 'Nice']];
const STREETS = ['rue de la Republique', 'avenue Jean Jaures', 'boulevard Victor Hugo', 'rue Pasteur', 'place de la Mairie', 'rue du Moulin', 'chemin des Vignes'];
const SERVICES = [
  ['Tenue de comptabilite mensuelle', 1000, [18000, 65000]],
  ['Saisie des factures fournisseurs', 1000, [9000, 30000]],
  ['Secretariat a distance (jour)', 500, [22000, 38000]],
  ['Redaction de courriers', 1000, [3500, 9000]],
  ['Gestion des relances clients (heure)', 1000, [4500, 7000]],
  ['Declaration de TVA', 1000, [12000, 25000]],
  ['Preparation des bulletins de paie', 1000, [2500, 4500]],
  ['Archivage et classement (heure)', 1000, [3000, 5000]],
  ['Frais de deplacement', 1000, [1500, 12000]],
  ['Fournitures et affranchissement', 1000, [500, 8000]],
];
const VAT_MAIN = [[0.8, 2000], [0.08, 1000], [0.05, 550], [0.02, 210], [0.05, 0]];
const OUTCOMES = [
  [0.35, 'promised to pay'],
  [0.25, 'no answer, voicemail left'],
  [0.15, 'invoice not received, sent again'],
  [0.1, 'waiting for approval by the client\'s accounts'],
  [0.1, 'disputes the amount'],
  [0.05, 'asked for a payment plan'],
];

function sirenFrom(r) {
  const d = Array.from({ length: 8 }, () => r.int(0, 9));
  for (let c = 0; c <= 9; c++) {
    const s = [...d, c];
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let n = s[8 - i];
      if (i % 2 === 1) {
        n *= 2;
        if (n > 9) n -= 9;
      }
      sum += n;
    }
    if (sum % 10 === 0) return s.join('');
  }
  throw new Error('unreachable');
}

/** Fill an initialised ledger. Returns the row count of every table written. */
function fill(file, invoices, profileName) {
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`unknown profile ${profileName}; use ${Object.keys(PROFILES).join(', ')}`);
  const r = prng(0x5eed ^ invoices ^ (profileName.length << 24));
  const db = new Database(file);
  db.pragma('journal_mode = DELETE'); // out of WAL first: SQLite refuses WAL -> OFF directly
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144'); // 256 MB
  db.pragma('temp_store = MEMORY');
  // Drop the indices (schema's and ours) while loading; rebuilt from their own SQL at the end.
  const indices = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all();
  for (const { name } of indices) db.exec(`DROP INDEX "${name}"`);
  // The same for the triggers (the settlement marker's, schema/documents.ts): each would recompute
  // an invoice's balance on every insert, without indices. Recreated at the end, then run once.
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);

  const asOf = dayOf(AS_OF);
  const createdAt = (day) => `${iso(day)}T09:00:00+01:00`;
  const nClients = profile.clients ?? invoices;
  const counts = { clients: 0, documents: 0, document_lines: 0, payments: 0, allocations: 0, plans: 0, plan_instalments: 0, messages: 0, reminders: 0, contacts: 0, contact_documents: 0 };

  const ins = {
    client: db.prepare(`INSERT INTO clients (id, code, name, email, phone, address, contact_name, siren, lang, kind, terms_days, terms_kind, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    doc: db.prepare(`INSERT INTO documents (id, kind, number, seq, client_id, created_on, issue_date, due_date, terms_days, terms_kind, cancels_id,
      total_net, total_vat, total_gross, amount_due, disputed_on, disputed_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'net', ?, ?, ?, ?, ?, ?, ?)`),
    line: db.prepare(`INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price, vat_bp, discount_bp, discount_amount, net)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    payment: db.prepare(`INSERT INTO payments (id, client_id, date, amount, method, reference, reverses_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    alloc: db.prepare(`INSERT INTO allocations (payment_id, document_id, date, amount) VALUES (?, ?, ?, ?)`),
    plan: db.prepare(`INSERT INTO plans (id, document_id, created_on) VALUES (?, ?, ?)`),
    instalment: db.prepare(`INSERT INTO plan_instalments (plan_id, position, due_date, amount) VALUES (?, ?, ?, ?)`),
    message: db.prepare(`INSERT INTO messages (id, client_id, level, channel, status, message_id, as_of, subject, body_text, recipient, file_path, attempts, created_at, sent_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`),
    reminder: db.prepare(`INSERT INTO reminders (document_id, instalment, level, message_id, date, penalty, indemnity) VALUES (?, 0, ?, ?, ?, ?, ?)`),
    contact: db.prepare(`INSERT INTO contacts (id, client_id, at, channel, with_whom, outcome, promise_date, promise_amount, next_action_date, dispute_reason, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    contactDoc: db.prepare(`INSERT INTO contact_documents (contact_id, document_id) VALUES (?, ?)`),
  };

  const load = db.transaction(() => {
    // --- clients
    const clientTerms = new Int16Array(nClients + 1);
    const clientEmail = [];
    for (let id = 1; id <= nClients; id++) {
      const b2c = r() < 0.08;
      const surname = r.pick(SURNAMES);
      const name = b2c ? `${r.pick(['Jean', 'Marie', 'Luc', 'Claire', 'Paul', 'Sophie'])} ${surname}` : `${r.pick(PREFIXES)} ${surname} ${r.pick(FORMS)}`;
      const code = `C${String(id).padStart(5, '0')}`;
      const terms = profileName === 'due' ? 30 : r.weighted([[0.5, 30], [0.25, 45], [0.25, 60]]);
      clientTerms[id] = terms;
      const email = `compta@${code.toLowerCase()}.example.fr`;
      clientEmail[id] = email;
      const [zip, city] = r.pick(CITIES);
      ins.client.run(id, code, name, email, `04 7${r.int(0, 9)} ${r.int(10, 99)} ${r.int(10, 99)} ${r.int(10, 99)}`,
        `${r.int(1, 120)} ${r.pick(STREETS)}\n${zip} ${city}`, b2c ? null : `${r.pick(['M.', 'Mme'])} ${r.pick(SURNAMES)}`,
        b2c ? null : sirenFrom(r), r() < 0.9 ? 'fr' : 'en', b2c ? 'b2c' : 'b2b', terms === 30 ? null : terms, terms === 30 ? null : 'net',
        createdAt(asOf - profile.spanDays - 30));
      counts.clients++;
    }

    // --- documents in chronological order (credit notes slot in between invoices by their date)
    const start = asOf - profile.spanDays;
    let docId = 0;
    let seq = 0;
    let paymentId = 0;
    let messageId = 0;
    let contactId = 0;
    let planId = 0;
    const pendingCredits = new Map(); // day -> [{...}]
    const lastPayment = new Map(); // client -> { id, day, index into payAmounts }
    const payRows = []; // payments are written at the end (grouped payments grow as invoices join them)
    const messages = new Map(); // client * 100000 + (day - start + 1000) -> message row

    const newDoc = (kind, client, day, due, terms, cancels, lines, disputed) => {
      docId++;
      seq++;
      const number = `F-${iso(day).slice(0, 4)}-${String(seq).padStart(6, '0')}`;
      const perRate = new Map();
      let net = 0;
      lines.forEach((l, i) => {
        ins.line.run(docId, i + 1, l.description, l.qty, l.price, l.vat, l.discountBp, l.discount, l.net);
        counts.document_lines++;
        perRate.set(l.vat, (perRate.get(l.vat) ?? 0) + l.net);
        net += l.net;
      });
      let vat = 0;
      for (const [bp, base] of perRate) vat += roundDiv(base * bp, 10000);
      const gross = net + vat;
      ins.doc.run(docId, kind, number, seq, client, iso(day), iso(day), due === null ? null : iso(due), terms, cancels, net, vat, gross, gross,
        disputed ? iso(disputed.day) : null, disputed ? disputed.reason : null);
      counts.documents++;
      return { id: docId, gross };
    };

    const makeLines = () => {
      const n = r.weighted([[0.5, 1], [0.3, 2], [0.2, 3]]);
      const main = r.weighted(VAT_MAIN);
      const lines = [];
      for (let i = 0; i < n; i++) {
        const [description, step, [lo, hi]] = r.pick(SERVICES);
        const qty = step === 500 ? r.int(1, 12) * 500 : r.weighted([[0.6, 1000], [0.3, r.int(2, 10) * 1000], [0.1, r.int(1, 40) * 250]]);
        const price = r.int(lo / 100, hi / 100) * 100 + r.weighted([[0.7, 0], [0.3, r.int(1, 99)]]);
        const vat = r() < 0.15 ? r.weighted(VAT_MAIN) : main;
        const amount = roundDiv(qty * price, 1000);
        const discountBp = r() < 0.1 ? r.pick([500, 1000, 1500]) : 0;
        const discount = roundDiv(amount * discountBp, 10000);
        lines.push({ description, qty, price, vat, discountBp, discount, net: amount - discount });
      }
      return lines;
    };

    const pay = (client, day, amount, docIdPaid, method, groupFrom = null) => {
      const last = lastPayment.get(client);
      if (groupFrom !== null && last && last.day >= groupFrom && last.day <= asOf && !last.reversed) {
        // The client paid this invoice with the transfer that paid the previous one.
        payRows[last.index][3] += amount;
        ins.alloc.run(last.id, docIdPaid, iso(last.day), amount);
        counts.allocations++;
        return last.day;
      }
      paymentId++;
      payRows.push([paymentId, client, iso(day), amount, method, method === 'transfer' ? `VIR ${paymentId}` : method === 'cheque' ? `CHQ ${1_000_000 + paymentId}` : null, null, createdAt(day)]);
      ins.alloc.run(paymentId, docIdPaid, iso(day), amount);
      counts.allocations++;
      lastPayment.set(client, { id: paymentId, day, index: payRows.length - 1, reversed: false });
      return day;
    };

    const remind = (client, doc, due, endDay, gross) => {
      // Levels of the default policy reached while the invoice stayed unpaid: +7, +15, +30, +45.
      const levels = [[1, 7, 'email'], [2, 15, 'email'], [3, 30, 'letter'], [4, 45, 'handover']];
      let reachedCall = null;
      for (const [level, offset, channel] of levels) {
        const day = due + offset;
        if (day >= endDay || day > asOf) break;
        const key = client * 1_000_000 + (day - start + 1000);
        let m = messages.get(key);
        if (!m) {
          messageId++;
          m = { id: messageId, client, level, channel, day, invoices: 0, total: 0 };
          messages.set(key, m);
        }
        if (level > m.level) {
          m.level = level;
          m.channel = channel;
        }
        m.invoices++;
        m.total += gross;
        const late = day - due;
        const penalty = level >= 2 ? roundDiv(gross * 1215 * late, 365 * 10000) : null;
        ins.reminder.run(doc, level, m.id, iso(day), penalty, level >= 3 ? 4000 : null);
        counts.reminders++;
        if (level === 2) reachedCall = day;
      }
      return reachedCall;
    };

    const call = (client, doc, day, balance, disputeReason) => {
      if (day > asOf) return;
      contactId++;
      const outcome = disputeReason ? 'disputes the amount' : r.weighted(OUTCOMES);
      const promised = outcome === 'promised to pay';
      ins.contact.run(contactId, client, `${iso(day)}T${String(r.int(9, 17)).padStart(2, '0')}:${r.pick(['00', '15', '30', '45'])}:00+01:00`,
        r.weighted([[0.8, 'call'], [0.15, 'email'], [0.05, 'visit']]), `${r.pick(['M.', 'Mme'])} ${r.pick(SURNAMES)}`, outcome,
        promised ? iso(day + r.int(5, 20)) : null, promised ? balance : null, iso(day + r.int(7, 14)), disputeReason ?? null, createdAt(day));
      ins.contactDoc.run(contactId, doc);
      counts.contacts++;
      counts.contact_documents++;
    };

    const flushCredits = (uptoDay) => {
      for (const [day, list] of pendingCredits) {
        if (day > uptoDay) continue;
        for (const c of list) newDoc('credit_note', c.client, day, null, null, c.cancels, c.lines, null);
        pendingCredits.delete(day);
      }
    };

    for (let i = 0; i < invoices; i++) {
      const day = profileName === 'due' ? asOf - 40 : start + Math.floor((i * profile.spanDays) / invoices);
      if (pendingCredits.size) flushCredits(day);
      const client = profileName === 'due' ? i + 1 : 1 + Math.floor(nClients * Math.pow(r(), 1.8));
      const terms = clientTerms[client];
      const due = day + terms;
      const lines = makeLines();
      if (!profile.history) {
        newDoc('invoice', client, day, due, terms, null, lines, null);
        continue;
      }
      const fate = r.weighted([[0.7, 'paid'], [0.1, 'partial'], [0.02, 'disputed'], [0.01, 'cancelled'], [0.005, 'credited'], [0.165, 'open']]);
      const disputed = fate === 'disputed' ? { day: due + r.int(2, 25), reason: r.pick(['work not finished', 'amount disagrees with the quote', 'goods damaged', 'invoice sent to the wrong entity']) } : null;
      const doc = newDoc('invoice', client, day, due, terms, null, lines, disputed && disputed.day <= asOf ? disputed : null);
      let balance = doc.gross;
      let paidDay = Infinity;
      if (fate === 'cancelled' || fate === 'credited') {
        const cday = day + r.int(3, 40);
        if (cday <= asOf) {
          const creditLines = fate === 'cancelled' ? lines : [lines[0]];
          const list = pendingCredits.get(cday) ?? [];
          list.push({ client, cancels: doc.id, lines: creditLines });
          pendingCredits.set(cday, list);
          if (fate === 'cancelled') {
            balance = 0;
            paidDay = cday;
          } else {
            // The rest is paid a little after the credit note.
            const perRate = new Map();
            for (const l of creditLines) perRate.set(l.vat, (perRate.get(l.vat) ?? 0) + l.net);
            let credited = 0;
            for (const [bp, base] of perRate) credited += base + roundDiv(base * bp, 10000);
            const rest = doc.gross - credited;
            const pday = Math.max(cday, due + r.int(-10, 20));
            if (rest > 0 && pday <= asOf) {
              pay(client, pday, rest, doc.id, 'transfer');
              balance = 0;
              paidDay = pday;
            } else balance = rest;
          }
        }
      } else if (fate === 'paid' || fate === 'partial') {
        const delay = r.weighted([[0.4, r.int(-20, 0)], [0.4, r.int(1, 30)], [0.15, r.int(31, 90)], [0.05, r.int(91, 200)]]);
        const pday = Math.max(day + 1, due + delay);
        if (pday <= asOf) {
          const method = r.weighted([[0.75, 'transfer'], [0.12, 'cheque'], [0.08, 'card'], [0.05, 'direct-debit']]);
          if (fate === 'partial') {
            const part = roundDiv(doc.gross * r.int(20, 80), 100);
            pay(client, pday, part, doc.id, method);
            balance -= part;
          } else if (r() < 0.05 && pday + 30 <= asOf) {
            // Paid in two halves a month apart.
            const half = Math.floor(doc.gross / 2);
            pay(client, pday, half, doc.id, method);
            pay(client, pday + 30, doc.gross - half, doc.id, method);
            balance = 0;
            paidDay = pday + 30;
          } else {
            const actual = pay(client, pday, doc.gross, doc.id, method, r() < 0.15 ? day + 1 : null);
            balance = 0;
            paidDay = actual;
            if (method === 'cheque' && r() < 0.03 && actual === pday && pday + 12 <= asOf) {
              // A bounced cheque: reversed five days later, then paid again by transfer.
              const bounced = lastPayment.get(client);
              bounced.reversed = true;
              paymentId++;
              payRows.push([paymentId, client, iso(pday + 5), -doc.gross, 'reversal', `Rejet CHQ ${1_000_000 + bounced.id}`, bounced.id, createdAt(pday + 5)]);
              ins.alloc.run(paymentId, doc.id, iso(pday + 5), -doc.gross);
              counts.allocations++;
              pay(client, pday + 12, doc.gross, doc.id, 'transfer');
              paidDay = pday + 12;
            }
          }
        }
      }
      if (disputed) continue; // disputed invoices are not chased
      const endDay = Math.min(paidDay, asOf + 1);
      const callDay = remind(client, doc.id, due, endDay, doc.gross);
      if (callDay !== null && r() < 0.4) call(client, doc.id, callDay + r.int(1, 5), balance > 0 ? balance : doc.gross, null);
      if (balance > 0 && due + 60 < asOf && r() < 0.02) {
        // A payment plan for what is left: three monthly instalments.
        planId++;
        const created = Math.max(due + 45, asOf - 70);
        ins.plan.run(planId, doc.id, iso(created));
        counts.plans++;
        const third = Math.floor(balance / 3);
        [third, third, balance - 2 * third].forEach((amount, k) => {
          ins.instalment.run(planId, k + 1, iso(created + 30 * (k + 1)), amount);
          counts.plan_instalments++;
        });
      }
    }
    flushCredits(Infinity);
    for (const row of payRows) ins.payment.run(...row);
    counts.payments = payRows.length;

    // Disputed invoices get their call-log entry.
    const disputedDocs = db.prepare(`SELECT id, client_id, disputed_on, disputed_reason, amount_due FROM documents WHERE disputed_on IS NOT NULL`).all();
    for (const d of disputedDocs) call(d.client_id, d.id, dayOf(d.disputed_on), d.amount_due, d.disputed_reason);

    for (const m of messages.values()) {
      const status = m.channel === 'letter' || m.channel === 'handover' ? 'written' : 'written';
      const subject = m.level >= 3 ? 'Mise en demeure de payer' : m.level === 2 ? 'Deuxieme relance : factures impayees' : 'Relance : facture(s) en attente de reglement';
      const total = `${Math.floor(m.total / 100)},${String(m.total % 100).padStart(2, '0')} EUR`;
      const body = `Madame, Monsieur,\n\nSauf erreur de notre part, ${m.invoices} facture(s) pour un total de ${total} restent impayees a ce jour.\nMerci de proceder a leur reglement.\n\nCabinet Martin Secretariat`;
      ins.message.run(m.id, m.client, m.level, m.channel === 'handover' ? 'handover' : m.channel, status, `<r${m.id}.${m.client}@martin-secretariat.fr>`, iso(m.day), subject, body,
        clientEmail[m.client], `outbox/${iso(m.day)}/r${m.id}.eml`, createdAt(m.day), createdAt(m.day));
      counts.messages++;
    }
    db.prepare(`INSERT INTO sequences (name, next) VALUES ('invoice', ?) ON CONFLICT (name) DO UPDATE SET next = excluded.next`).run(seq + 1);
  });
  load();
  for (const { sql } of indices) db.exec(sql);
  for (const { sql } of triggers) db.exec(sql);
  // The marker of every issued invoice, by the product's own triggers (as migration 3 back-fills it).
  if (triggers.length) db.exec('UPDATE documents SET number = number WHERE number IS NOT NULL');
  // The kept last reminder (migration 14, src/store/schema/last-reminder.ts lastReminderBackfill):
  // the same grouped back-fill as the migration's, when the schema has the columns.
  const cols = db.prepare("SELECT name FROM pragma_table_info('documents')").all().map((c) => c.name);
  if (cols.includes('last_reminder_date')) {
    db.exec(`UPDATE documents SET last_reminder_level = k.level, last_reminder_date = k.date
      FROM (SELECT r.document_id, MAX(r.level) AS level, MAX(r.date) AS date FROM reminders r LEFT JOIN messages m ON m.id = r.message_id
            WHERE m.id IS NULL OR m.status IN ('sent', 'written', 'sending') GROUP BY r.document_id) AS k
      WHERE documents.id = k.document_id`);
  }
  // No ANALYZE: a user's ledger has no sqlite_stat1 either, and the plans must be good without it.
  db.pragma('journal_mode = WAL');
  db.close();
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The same receivables as a plain-text journal for ledger-cli and hledger: each invoice debits the
// client's receivable account and credits sales and VAT; each credit note does the reverse; each
// payment (and reversal) moves money between the bank and the client's account.
export function ensureJournal(ledgerFile) {
  const file = ledgerFile.replace(/\.db$/, '.journal');
  const stamp = fs.statSync(ledgerFile).mtimeMs;
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= stamp) return file;
  const db = new Database(ledgerFile, { readonly: true });
  const money = (c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')} EUR`;
  const codes = new Map(db.prepare('SELECT id, code FROM clients').all().map((c) => [c.id, c.code]));
  const docs = db.prepare(`SELECT id, kind, number, client_id, issue_date, total_net, total_vat, amount_due FROM documents
    WHERE kind <> 'quote' AND number IS NOT NULL ORDER BY issue_date, id`).iterate();
  const pays = db.prepare('SELECT id, client_id, date, amount, reference FROM payments ORDER BY date, id').iterate();
  const out = fs.openSync(`${file}.tmp`, 'w');
  let buf = '';
  const flush = (force) => {
    if (force || buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  };
  // Merge by date so the journal reads in order, as a bookkeeper's would.
  let d = docs.next();
  let p = pays.next();
  while (!d.done || !p.done) {
    if (!d.done && (p.done || d.value.issue_date <= p.value.date)) {
      const x = d.value;
      const s = x.kind === 'credit_note' ? -1 : 1;
      buf += `${x.issue_date} ${x.number}\n    Assets:Receivables:${codes.get(x.client_id)}  ${money(s * x.amount_due)}\n    Income:Sales  ${money(-s * x.total_net)}\n`;
      if (x.total_vat !== 0) buf += `    Liabilities:VAT  ${money(-s * x.total_vat)}\n`;
      buf += '\n';
      d = docs.next();
    } else {
      const x = p.value;
      buf += `${x.date} Payment ${x.reference ?? x.id}\n    Assets:Bank  ${money(x.amount)}\n    Assets:Receivables:${codes.get(x.client_id)}  ${money(-x.amount)}\n\n`;
      p = pays.next();
    }
    flush(false);
  }
  flush(true);
  fs.closeSync(out);
  db.close();
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

// ---------------------------------------------------------------------------------------------
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const pi = args.indexOf('--profile');
  const profile = pi >= 0 ? args[pi + 1] : 'mix';
  const sizes = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--profile');
  for (const s of sizes.length ? sizes : ['10k']) ensureLedger(parseSize(s), { profile, force });
}
