// node bench/facturx.mjs [--count N] [--no-freeze]   (also the "facturx" section of npm run bench)
//
// Issue 16 §4, the cost of Factur-X: on a copy of the generated mix-10k ledger with its stored PDFs
// removed,
//  1. `relance invoice freeze` end to end: every issued invoice (10k and their credit notes) rendered
//     as a Factur-X PDF/A-3b with its CII XML and stored, one run: time per invoice, and the size of
//     each stored PDF (median, 95th percentile, max; target <= 40 KB);
//  2. in process, the same documents rendered as Factur-X against the PDF-only render relance froze
//     before (standard fonts, no PDF/A, no XML, no QR code: the document as an unnumbered draft,
//     which is what that path drew), taken in turn batch by batch; target <= 2x per invoice. The
//     share of that spent building the CII XML alone is reported beside it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { AS_OF, BIN, OUT, ROOT, ensureLedger } from './generate.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

/** Bundle the renderer and the ledger reads it needs (esbuild, as bench/sql.mjs does). */
export async function loadRenderer() {
  const { build } = await import('esbuild');
  const dir = path.join(OUT, 'capture');
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `facturx-entry-${process.pid}.ts`);
  const outfile = path.join(dir, `facturx-${process.pid}.mjs`);
  const src = (p) => JSON.stringify(path.join(ROOT, 'src', p));
  fs.writeFileSync(
    entry,
    [
      `export { pdfData } from ${src('documents/pdf.ts')};`,
      `export { buildDocumentPdf } from ${src('render/document-pdf.ts')};`,
      `export { pdfBuffer } from ${src('render/pdf.ts')};`,
      `export { invoiceModel } from ${src('einvoice/model.ts')};`,
      `export { toCii } from ${src('einvoice/cii.ts')};`,
      `export { documentById } from ${src('store/documents.ts')};`,
      `export { getSettings } from ${src('store/settings.ts')};`,
    ].join('\n'),
  );
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'pdfkit', 'nodemailer', 'handlebars', '@inquirer/prompts', 'qrcode'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'silent',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    fs.rmSync(entry, { force: true });
    fs.rmSync(outfile, { force: true });
  }
}

/** A copy of the ledger without stored PDFs (what `invoice freeze` then renders). */
function freshCopy(file, name) {
  const copy = path.join(OUT, name);
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec('DELETE FROM document_pdfs');
  db.close();
  return copy;
}

/**
 * The rows of this benchmark, in the shape bench/run.mjs's addRow takes.
 * count: how many documents the in-process comparison renders (the freeze always does them all).
 */
export async function facturxRows({ count = 2000, batch = 50, freeze = true, log = (s) => process.stderr.write(s + '\n'), env = process.env } = {}) {
  const { file } = ensureLedger(10_000, { profile: 'mix', log });
  const rows = [];

  // 1. invoice freeze, end to end
  if (freeze) {
  log('invoice freeze: every issued invoice of mix-10k as Factur-X (one run)');
  const copy = freshCopy(file, 'run-facturx-10k.db');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, '-f', copy, 'invoice', 'freeze', '--as-of', AS_OF, '--json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`invoice freeze failed: ${r.stderr}`);
  const frozen = JSON.parse(r.stdout).frozen;
  const db = new Database(copy, { readonly: true });
  const sizes = db.prepare('SELECT length(pdf) AS n FROM document_pdfs').all().map((x) => x.n);
  const withXml = db.prepare("SELECT COUNT(*) AS n FROM document_pdfs WHERE instr(pdf, CAST('factur-x.xml' AS BLOB)) > 0").get().n;
  db.close();
  const sizeMax = Math.max(...sizes);
  const sizeNote = `size per PDF: median ${kb(median(sizes))}, p95 ${kb(pct(sizes, 95))}, max ${kb(sizeMax)} (target <= 40 KB: ${sizeMax <= 40 * 1024 ? 'met' : 'MISSED'}); ${withXml} of ${sizes.length} carry factur-x.xml`;
  log(`  ${frozen} PDFs in ${(ms / 1000).toFixed(1)} s = ${(ms / frozen).toFixed(1)} ms per invoice; ${sizeNote}`);
  rows.push({
    bench: `invoice freeze: ${frozen} Factur-X PDFs`,
    ledger: 'mix-10k',
    relance: { ms, runs: [ms] },
    note: `${(ms / frozen).toFixed(1)} ms per invoice, one run; ${sizeNote}`,
    sizes: { median: median(sizes), p95: pct(sizes, 95), max: sizeMax, count: sizes.length },
  });
  fs.rmSync(copy, { force: true });
  }

  // 2. in process: Factur-X against the PDF-only render, batch by batch in turn
  const m = await loadRenderer();
  const ldb = new Database(file, { readonly: true });
  const settings = m.getSettings(ldb);
  const ids = ldb.prepare("SELECT id FROM documents WHERE number IS NOT NULL AND kind <> 'quote' ORDER BY seq LIMIT ?").all(count).map((x) => x.id);
  const data = ids.map((id) => m.pdfData(ldb, m.documentById(ldb, id), { settings }));
  ldb.close();
  log(`in process: ${data.length} documents, Factur-X vs PDF-only, in batches of ${batch} taken in turn`);
  const facturx = (d) => m.buildDocumentPdf(d).then(m.pdfBuffer);
  const pdfOnly = (d) => m.buildDocumentPdf({ ...d, number: null }).then(m.pdfBuffer);
  // warm-up of both (fonts parsed, modules loaded, code optimised)
  for (const d of data.slice(0, Math.min(50, data.length))) {
    await facturx(d);
    await pdfOnly(d);
  }
  // wall and CPU (user + system of the whole process, GC threads included) per invoice, per batch
  const per = { fx: [], plain: [], xml: [], fxCpu: [], plainCpu: [] };
  const cpuMs = (c) => (c.user + c.system) / 1000;
  let plainBytes = 0;
  for (let i = 0; i < data.length; i += batch) {
    const part = data.slice(i, i + batch);
    let t = process.hrtime.bigint();
    let c = process.cpuUsage();
    for (const d of part) await facturx(d);
    per.fx.push(Number(process.hrtime.bigint() - t) / 1e6 / part.length);
    per.fxCpu.push(cpuMs(process.cpuUsage(c)) / part.length);
    t = process.hrtime.bigint();
    c = process.cpuUsage();
    for (const d of part) plainBytes += (await pdfOnly(d)).length;
    per.plain.push(Number(process.hrtime.bigint() - t) / 1e6 / part.length);
    per.plainCpu.push(cpuMs(process.cpuUsage(c)) / part.length);
    t = process.hrtime.bigint();
    for (const d of part) m.toCii(m.invoiceModel(d));
    per.xml.push(Number(process.hrtime.bigint() - t) / 1e6 / part.length);
  }
  const fx = median(per.fx);
  const plain = median(per.plain);
  const xml = median(per.xml);
  const fxCpu = median(per.fxCpu);
  const plainCpu = median(per.plainCpu);
  log(`  Factur-X ${fx.toFixed(2)} ms, PDF-only ${plain.toFixed(2)} ms per invoice = ${(fx / plain).toFixed(2)}x (cpu ${fxCpu.toFixed(2)} vs ${plainCpu.toFixed(2)} ms = ${(fxCpu / plainCpu).toFixed(2)}x); the CII XML alone ${xml.toFixed(2)} ms`);
  rows.push({
    bench: 'Factur-X render vs PDF-only, per invoice',
    ledger: 'mix-10k',
    relance: { ms: fx, runs: per.fx, cpu: fxCpu, cpu_runs: per.fxCpu },
    ref: { ms: plain, runs: per.plain, cpu: plainCpu, cpu_runs: per.plainCpu },
    refLabel: 'PDF-only render',
    target: { ratioMax: 2 },
    note: `in process, ${data.length} documents in batches of ${batch} in turn, medians of the batches' per-invoice times; the CII XML alone ${xml.toFixed(2)} ms per invoice; PDF-only files ${kb(plainBytes / data.length)} on average`,
  });
  return rows;
}

// Alone: node bench/facturx.mjs [--count N]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--count');
  const rows = await facturxRows({ count: i >= 0 ? Number(argv[i + 1]) : 2000, freeze: !argv.includes('--no-freeze') });
  for (const r of rows) {
    const cpu = r.ref?.cpu ? ` (cpu ${r.relance.cpu.toFixed(2)} vs ${r.ref.cpu.toFixed(2)} ms = ${(r.relance.cpu / r.ref.cpu).toFixed(2)}x)` : '';
    process.stdout.write(`${r.bench}: ${r.relance.ms.toFixed(r.ref ? 2 : 0)} ms${r.ref ? ` vs ${r.refLabel} ${r.ref.ms.toFixed(2)} ms = ${(r.relance.ms / r.ref.ms).toFixed(2)}x${cpu}` : ''}\n  ${r.note}\n`);
  }
}
