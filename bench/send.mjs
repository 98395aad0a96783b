// The invoice send benchmark (issue 16 section 4): `relance invoice send` of 1k issued invoices, in one
// run, to a local SMTP server (smtp-server on 127.0.0.1) that takes every message. The server runs
// in a child process (`node bench/send.mjs --serve FILE`): bench/run.mjs times with spawnSync, which
// blocks its own event loop. The ledger is a copy of the generated mix-10k ledger where 1k open
// invoices get one real frozen Factur-X PDF (rendered once by bin/relance) and every client an email
// address, so each message carries a real-sized attachment and the run measures the send path
// (render from templates, record, send, mark), not PDF rendering.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const SENDS = 1000;

// ------------------------------------------------------------------------------- the server (child)
if (process.argv[2] === '--serve') {
  const { SMTPServer } = await import('smtp-server');
  const countFile = process.argv[3];
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        count++;
        fs.writeFileSync(countFile, String(count));
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.server.address().port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Start the SMTP sink; resolves { port, received(), stop() }. */
export async function startSink(out) {
  const countFile = path.join(out, `smtp-count-${process.pid}.txt`);
  fs.rmSync(countFile, { force: true });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', countFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      if (buf.includes('\n')) resolve(Number(buf.trim()));
    });
    child.on('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  const total = () => (fs.existsSync(countFile) ? Number(fs.readFileSync(countFile, 'utf8')) : 0);
  let base = 0;
  return {
    port,
    /** Messages received since the last reset (the server counts from its start). */
    received: () => total() - base,
    reset: () => (base = total()),
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(countFile, { force: true });
    },
  };
}

/**
 * The send ledger, made from `baseFile` (a generated ledger, read only) and pointed at the sink's
 * port. Returns { file, numbers }: the 1k invoices to send.
 */
export function ensureSendLedger({ baseFile, out, bin, env, port }) {
  const file = path.join(out, 'send-1k-base.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(baseFile, file);
  const db = new Database(file);
  const numbers = db
    .prepare(`SELECT number FROM documents WHERE number IS NOT NULL AND kind = 'invoice' AND settled_on IS NULL ORDER BY id LIMIT ?`)
    .all(SENDS)
    .map((r) => r.number);
  if (numbers.length < SENDS) throw new Error(`${baseFile} has ${numbers.length} open invoices, fewer than ${SENDS}`);
  db.prepare(`UPDATE clients SET email = lower(code) || '@client.example' WHERE email IS NULL OR email = ''`).run();
  const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  set.run('smtp.host', JSON.stringify('127.0.0.1'));
  set.run('smtp.port', JSON.stringify(port));
  set.run('business.email', JSON.stringify('compta@bench.example'));
  db.close();
  // One real Factur-X PDF, rendered once through the CLI, frozen for every invoice sent.
  const pdfFile = path.join(out, 'send-1k-sample.pdf');
  const r = spawnSync(process.execPath, [bin, '-f', file, 'invoice', 'pdf', numbers[0], '--out', pdfFile], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`invoice pdf ${numbers[0]}: ${r.stderr}`);
  const pdf = fs.readFileSync(pdfFile);
  const w = new Database(file);
  const ids = w.prepare(`SELECT id FROM documents WHERE number IN (SELECT value FROM json_each(?))`).all(JSON.stringify(numbers)).map((x) => x.id);
  const put = w.prepare(`INSERT INTO document_pdfs (document_id, pdf, sha256, rendered_on) VALUES (?, ?, 'bench', '2026-11-20') ON CONFLICT (document_id) DO UPDATE SET pdf = excluded.pdf`);
  w.transaction(() => ids.forEach((id) => put.run(id, pdf)))();
  w.close();
  return { file, numbers, pdfBytes: pdf.length };
}
