#!/usr/bin/env node
// usage: node bench/outbox-compare.mjs OUTBOX_A OUTBOX_B (e.g. main's run and this one's, same ledger, same --as-of)
// Compare two outbox folders file by file, Message-ID, boundaries and Date normalised.
import fs from 'node:fs';
import path from 'node:path';
const [a, b] = process.argv.slice(2);
const norm = (s) => s.replace(/relance-(alt|mixed)-[0-9a-f]{20}/g, 'relance-$1-X').replace(/^Message-ID: .*$/m, 'Message-ID: X').replace(/^Date: .*$/m, 'Date: X');
const fa = fs.readdirSync(a).sort(), fb = fs.readdirSync(b).sort(); const sb = new Set(fb);
let same = 0, diff = 0;
if (fa.join() !== fb.join()) console.log('file names differ', fa.length, fb.length);
for (const f of fa) {
  if (!sb.has(f)) continue;
  if (norm(fs.readFileSync(path.join(a, f), 'latin1')) === norm(fs.readFileSync(path.join(b, f), 'latin1'))) same++;
  else { diff++; if (diff < 3) console.log('differs', f); }
}
console.log({ files: fa.length, same, diff });
