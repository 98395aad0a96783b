/**
 * The official e-invoicing validators (../shared/validators beside the repository, see its README):
 * the Factur-X EN 16931 XSD through xmllint-wasm, the Schematron rules (EN 16931 CII and UBL, French
 * BR-FR CII and UBL) through SaxonJS with their precompiled .sef.json. Each stylesheet is read and
 * parsed once per test file (a Saxon check is seconds; parsing the SEF again each time would double it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared/validators beside the clone (CI); a worktree one level deeper finds it further up. */
export const VALIDATORS = [path.resolve(repoRoot, '../shared/validators'), path.resolve(repoRoot, '../../shared/validators')].find((d) => fs.existsSync(d)) ?? path.resolve(repoRoot, '../shared/validators');

export const RULES = {
  cii: path.join(VALIDATORS, 'factur-x-1.09-en16931/Factur-X_1.09_EN16931.sef.json'),
  ciiFr: path.join(VALIDATORS, 'br-fr-ctc/BR-FR-Flux2-Schematron-CII.sef.json'),
  ubl: path.join(VALIDATORS, 'en16931-ubl/EN16931-UBL-validation.sef.json'),
  ublFr: path.join(VALIDATORS, 'br-fr-ctc/BR-FR-Flux2-Schematron-UBL.sef.json'),
} as const;

export interface Failure {
  id: string;
  flag: string;
  location: string;
  text: string;
}

/** The XSD check of a CII file against Factur-X EN 16931: the errors, [] when valid. */
export async function xsdErrors(xml: string): Promise<string[]> {
  const { validateXML } = await import('xmllint-wasm');
  const dir = path.join(VALIDATORS, 'factur-x-1.09-en16931');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xsd'));
  const main = 'Factur-X_EN16931.xsd';
  const result = await validateXML({
    xml: [{ fileName: 'factur-x.xml', contents: xml }],
    schema: [{ fileName: main, contents: fs.readFileSync(path.join(dir, main), 'utf8') }],
    preload: files.filter((f) => f !== main).map((f) => ({ fileName: f, contents: fs.readFileSync(path.join(dir, f), 'utf8') })),
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

const loaded = new Map<string, unknown>();

/** Run one Schematron (precompiled) over the XML; every failed assert, fatal or not. */
export async function schematron(rules: keyof typeof RULES, xml: string): Promise<Failure[]> {
  const SaxonJS = (await import('saxon-js')).default;
  let sef = loaded.get(rules);
  if (!sef) loaded.set(rules, (sef = JSON.parse(fs.readFileSync(RULES[rules], 'utf8'))));
  const out = SaxonJS.transform({ stylesheetInternal: sef, stylesheetBaseURI: pathToFileURL(RULES[rules]).href, sourceText: xml, destination: 'serialized' }, 'sync');
  const svrl = out.principalResult;
  const failures: Failure[] = [];
  for (const m of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attrs = m[1]!;
    const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(attrs)?.[1] ?? '';
    const text = (/<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[2]!)?.[1] ?? '').replace(/\s+/g, ' ').trim();
    failures.push({ id: attr('id'), flag: attr('flag') || 'fatal', location: attr('location'), text });
  }
  return failures;
}

/** Failures that make the invoice invalid (fatal or unflagged), as one line each for a readable diff. */
export function fatal(failures: Failure[]): string[] {
  return failures.filter((f) => f.flag !== 'warning' && f.flag !== 'information').map((f) => `${f.id} [${f.flag}] ${f.text.slice(0, 300)} @ ${f.location}`);
}
