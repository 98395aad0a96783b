/**
 * Moving in, end to end with bin/relance: a new user with a CSV of 3 clients (fixtures/import/) and an
 * XLSX of 10 open invoices (built here with exceljs; two of them reminded twice already) imports both;
 * overdue and remind --due --dry-run continue from where the spreadsheet was; a second import changes
 * nothing; a file with one bad row writes nothing and names the file, row and column.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/e2e.js';

const CLIENTS_CSV = path.join(ROOT, 'fixtures/import/clients.csv');
const AS_OF = '2026-06-15';
const HEADER = ['N° facture', 'Client', 'Date', 'Échéance', 'Montant TTC', 'Taux TVA', 'Déjà payé', 'Niveau de relance', 'Date dernière relance', 'Remarque'];
type Cell = string | number | Date | null;
const day = (s: string) => new Date(`${s}T00:00:00Z`);
// number, client, issued, due, amount incl. VAT, rate, paid, last level, its date
const INVOICES: Cell[][] = [
  ['OLD-101', 'ACME', day('2026-02-01'), day('2026-03-03'), 1200, 0.2, 0, 2, day('2026-04-10'), 'relancé deux fois'],
  ['OLD-102', 'Globex Ltd', day('2026-02-15'), day('2026-04-15'), 600, '20 %', 100, 'deuxieme relance', day('2026-05-10'), 'relancé deux fois'],
  ['OLD-103', 'DUPONT', day('2026-05-01'), day('2026-05-31'), 250, 20, null, null, null, null],
  ['OLD-104', 'ACME', day('2026-05-20'), day('2026-07-20'), 480, 20, null, null, null, 'pas encore dû'],
  ['OLD-105', 'GLOBEX', day('2026-03-01'), day('2026-04-30'), 1500.5, 20, 500.5, 1, day('2026-05-08'), null],
  ['OLD-106', 'ACME', '12/04/2026', '12/05/2026', '1 080,00', '10', '', '', '', null],
  ['OLD-107', 'DUPONT', day('2026-06-01'), day('2026-07-01'), 99.99, 5.5, 0, null, null, null],
  ['OLD-108', 'GLOBEX', day('2026-06-05'), day('2026-07-05'), 2400, 20, 1200, null, null, 'acompte reçu'],
  ['OLD-109', 'ACME', day('2026-01-10'), day('2026-02-09'), 360, 20, 0, 1, day('2026-02-20'), null],
  ['OLD-110', 'ACME', day('2026-06-10'), day('2026-07-10'), 720, 20, 0, null, null, null],
];

async function xlsx(file: string, rows: Cell[][], header = HEADER): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Factures ouvertes');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

let sb: Sandbox;
let invoicesFile: string;
const run = (args: string[]) => sb.run(args);
const json = (args: string[]) => {
  const r = run([...args, '--json']);
  if (r.code !== 0) throw new Error(`${args.join(' ')} -> ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  sb = sandbox('relance-import-');
  expect(sb.init().code).toBe(0);
  invoicesFile = path.join(sb.dir, 'factures.xlsx');
  await xlsx(invoicesFile, INVOICES);
}, 60_000);
afterAll(() => sb.cleanup());

describe('moving in: clients and open invoices from spreadsheets', () => {
  it('imports the 3 clients of a French CSV with the checks of client add', () => {
    const dry = run(['import', 'clients', CLIENTS_CSV, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would create 3 clients/);
    const r = run(['import', 'clients', CLIENTS_CSV]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Imported 3 clients from ${CLIENTS_CSV}\n`);
    const clients = json(['client', 'list']);
    expect(clients.map((c: any) => [c.code, c.name, c.email, c.kind, c.lang, c.termsDays, c.poRequired])).toEqual([
      ['ACME', 'ACME SAS', 'ap@acme.example', 'b2b', 'fr', 30, true],
      ['DUPONT', 'Jean Dupont', 'jean@dupont.example', 'b2c', 'fr', null, false],
      ['GLOBEX', 'Globex Ltd', 'accounts@globex.example', 'b2b', 'en', 60, false],
    ]);
    const acme = clients[0];
    expect(acme).toMatchObject({ siren: '732829320', vatNumber: 'FR44732829320', address: '1 rue de la Paix\n75002 Paris', contactName: 'Service comptabilité' });
  }, 120_000);

  it('shows the 10 invoices on a dry run and writes nothing', () => {
    const before = sb.snapshot();
    const r = run(['import', 'invoices', invoicesFile, '--dry-run', '--as-of', AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/would create 10 open invoices/);
    for (const row of INVOICES) expect(r.stdout).toContain(String(row[0]));
    expect(r.stdout).toMatch(/level 2 on 2026-04-10/);
    expect(r.stderr).toMatch(/columns left out: "Remarque"/);
    expect(sb.snapshot()).toBe(before);
  }, 120_000);

  it('imports them: own numbers out of the sequence, amounts paid as payments, past reminders kept', () => {
    const r = run(['import', 'invoices', invoicesFile, '--as-of', AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Imported 10 open invoices from ' + invoicesFile + ' (4 with their last reminder)\n');
    const list = json(['invoice', 'list', '--as-of', AS_OF]);
    expect(list.map((d: any) => d.number).sort()).toEqual(INVOICES.map((i) => i[0]).sort());
    const byNumber = new Map(list.map((d: any) => [d.number, d]));
    expect(byNumber.get('OLD-106')).toMatchObject({ issueDate: '2026-04-12', dueDate: '2026-05-12', totalGross: '1080.00', totalNet: '981.82' });
    expect(byNumber.get('OLD-102')).toMatchObject({ status: 'partially paid' });

    // overdue continues from the spreadsheet: balances net of what was paid, the last reminders
    const overdue = json(['overdue', '--as-of', AS_OF]);
    const items = new Map(overdue.items.map((i: any) => [i.invoice, i]));
    expect(items.get('OLD-101')).toMatchObject({ balance: '1200.00', lastReminder: { level: 2, date: '2026-04-10' } });
    expect(items.get('OLD-102')).toMatchObject({ balance: '500.00', paid: '100.00', lastReminder: { level: 2, date: '2026-05-10' } });
    expect(items.get('OLD-105')).toMatchObject({ balance: '1000.00', lastReminder: { level: 1, date: '2026-05-08' } });
    expect(items.get('OLD-108')).toMatchObject({ balance: '1200.00' });
    // and so does balance: 10 invoices less what was already paid
    const total = json(['balance', '--as-of', AS_OF]).totals[0].balance;
    const expected = INVOICES.reduce((s, i) => s + Math.round(Number(String(i[4]).replace(/\s/g, '').replace(',', '.')) * 100) - Math.round(Number(i[6] || 0) * 100), 0);
    expect(Math.round(Number(total) * 100)).toBe(expected);

    // remind --due continues at the next level: the two reminded twice get the formal notice (3),
    // none of them starts again with a courtesy email.
    const plan = json(['remind', '--due', '--dry-run', '--as-of', AS_OF]);
    const planned = [...plan.messages, ...plan.letters, ...(plan.failed ?? [])];
    const levelOf = (n: string) => planned.filter((m: any) => (m.invoices ?? []).includes(n)).map((m: any) => m.level);
    expect(plan.failed).toEqual([]);
    expect(levelOf('OLD-101')).toContain(3);
    expect(levelOf('OLD-102')).toContain(3);
    // OLD-105 (level 1 in the spreadsheet) goes on from there, in GLOBEX's one message of the run
    expect(levelOf('OLD-105').length).toBeGreaterThan(0);
    for (const l of levelOf('OLD-105')) expect(l).toBeGreaterThanOrEqual(2);
    for (const n of ['OLD-101', 'OLD-102', 'OLD-105', 'OLD-106', 'OLD-109']) expect(levelOf(n)).not.toContain(0);
    // not due yet: nothing, or only the courtesy reminder before the due date
    for (const n of ['OLD-104', 'OLD-110']) for (const l of levelOf(n)) expect(l).toBe(0);

    // relance's own numbering is untouched: its first invoice is F-2026-0001
    const draft = json(['invoice', 'new', 'ACME', '--line', 'Conseil | 1 | 100 | 20', '--po', 'PO-1']);
    expect(json(['invoice', 'issue', draft.ref, '--date', AS_OF]).number).toBe('F-2026-0001');
  }, 120_000);

  it('creates nothing the second time', () => {
    const before = sb.snapshot();
    const c = run(['import', 'clients', CLIENTS_CSV]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/Imported 0 clients .*\(3 already in the ledger/);
    const i = run(['import', 'invoices', invoicesFile, '--as-of', AS_OF]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/Imported 0 open invoices .*10 already in the ledger/);
    expect(sb.snapshot()).toBe(before);
  }, 120_000);
});

describe('a bad row writes nothing', () => {
  const bad = async (name: string, rows: Cell[][]) => {
    const file = path.join(sb.dir, name);
    await xlsx(file, rows);
    return file;
  };
  const fresh = (n: number) => INVOICES.map((r, i) => [`NEW-${n}-${i + 1}`, ...r.slice(1)]);

  it('names the file, row and column, and --dry-run lists every problem', async () => {
    const rows = fresh(1);
    rows[5] = [rows[5]![0]!, 'ACME', '31/02/2026', day('2026-03-31'), 100, 20, 0, null, null, null]; // row 7: no 31 February
    rows[8] = [rows[8]![0]!, 'NOBODY', day('2026-03-01'), day('2026-03-31'), 100, 20, 0, null, null, null]; // row 10
    const file = await bad('bad.xlsx', rows);
    const before = sb.snapshot();
    const r = run(['import', 'invoices', file, '--as-of', AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^relance: ${file.replace(/[.]/g, '\\.')} row 7, column "Date" \\(C\\): "31/02/2026" is not a day of the calendar.*\\(and 1 more problem; see them all with --dry-run\\); nothing was imported\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(sb.snapshot()).toBe(before);
    const dry = run(['import', 'invoices', file, '--as-of', AS_OF, '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/row 7, column "Date" \(C\)/);
    expect(dry.stderr).toMatch(/row 10, column "Client" \(B\): unknown client "NOBODY"; import the clients first/);
    expect(dry.stdout).toMatch(/would create 8 open invoices/);
    expect(sb.snapshot()).toBe(before);
  }, 120_000);

  it('refuses bad amounts, duplicate numbers, numbers of relance\'s own sequence, and reminders without dates', async () => {
    const cases: [Cell[], RegExp][] = [
      [['X-1', 'ACME', day('2026-03-01'), day('2026-03-31'), 'douze', 20, 0, null, null, null], /row 2, column "Montant TTC" \(E\): cannot read "douze"/],
      [['F-2026-0042', 'ACME', day('2026-03-01'), day('2026-03-31'), 100, 20, 0, null, null, null], /row 2, column "N° facture" \(A\): F-2026-0042 has the form of relance's own numbers \(F-\{YYYY\}-\{seq:4\}\)/],
      [['F-2026-0001', 'ACME', day('2026-03-01'), day('2026-03-31'), 100, 20, 0, null, null, null], /F-2026-0001 is already an invoice of this ledger/],
      [['X-2', 'ACME', day('2026-03-01'), day('2026-02-01'), 100, 20, 0, null, null, null], /column "Échéance" \(D\): 2026-02-01 is before the issue date 2026-03-01/],
      [['X-3', 'ACME', day('2026-03-01'), day('2026-03-31'), 100, 7, 0, null, null, null], /column "Taux TVA" \(F\): 7 % is not a French VAT rate/],
      [['X-4', 'ACME', day('2026-03-01'), day('2026-03-31'), 100, 20, 0, 2, null, null], /column "Niveau de relance" \(H\): reminder level 2 without its date/],
      [['X-5', 'ACME', day('2026-03-01'), day('2026-03-31'), 100, 20, 0, 7, day('2026-04-10'), null], /"7" is not a reminder level of the policy/],
      [['OLD-101', 'ACME', day('2026-02-01'), day('2026-03-03'), 1300, 20, 0, null, null, null], /OLD-101 was already imported with another client or amount/],
    ];
    const before = sb.snapshot();
    for (const [i, [row, message]] of cases.entries()) {
      const file = await bad(`case-${i}.xlsx`, [row, ...fresh(10 + i).slice(0, 2)]);
      const r = run(['import', 'invoices', file, '--as-of', AS_OF]);
      expect(r.code, `case ${i}: ${r.stderr}`).toBe(2);
      expect(r.stderr, `case ${i}`).toMatch(message);
    }
    const dup = await bad('dup.xlsx', [fresh(30)[0]!, fresh(30)[0]!]);
    const r = run(['import', 'invoices', dup, '--as-of', AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 3, column "N° facture" \(A\): the number NEW-30-1 is already on row 2; each invoice once/);
    expect(sb.snapshot()).toBe(before);
  }, 120_000);

  it('refuses a clients file with a bad email or a code twice, and reads other headers with --map', () => {
    const file = path.join(sb.dir, 'more-clients.csv');
    fs.writeFileSync(file, 'Réf,Société,Courriel\nNEW1,Nouvelle SARL,compta@nouvelle.example\nNEW2,Autre SAS,pas-un-email\nNEW1,Encore,x@y.example\n');
    const before = sb.snapshot();
    const missing = run(['import', 'clients', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/more-clients\.csv: no column for code .*--map "COLUMN=code"/);
    const r = run(['import', 'clients', file, '--map', 'Réf=code', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 3, column "Courriel" \(C\): "pas-un-email" is not valid: an email address such as ap@client\.fr/);
    expect(r.stderr).toMatch(/row 4, column "Réf" \(A\): the code "NEW1" is already on row 2/);
    expect(sb.snapshot()).toBe(before);
    fs.writeFileSync(file, 'Réf,Société,Courriel\nNEW1,Nouvelle SARL,compta@nouvelle.example\n');
    const good = run(['import', 'clients', file, '--map', 'Réf=code']);
    expect(good.code, good.stderr).toBe(0);
    expect(json(['client', 'show', 'NEW1'])).toMatchObject({ name: 'Nouvelle SARL', email: 'compta@nouvelle.example' });
  }, 120_000);
});
