/**
 * The QR code's modules (render/qr.ts: one byte-mode segment, error correction M, a fixed mask
 * instead of qrcode scoring the 8 masks on every code): EPC payloads of every shape the invoices and
 * letters make, drawn to pixels with the quiet zone and read back by jsQR, decode to the same text.
 * (test/einvoice/facturx-pdf.test.ts and reminder-qr.test.ts decode the code from rendered pages.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epcPayload } from '../../src/core/epc-qr.js';
import { qrModules } from '../../src/render/qr.js';

type JsQr = (d: Uint8ClampedArray, w: number, h: number, o?: object) => { data: string } | null;
async function jsQr(): Promise<JsQr> {
  // jsqr is CommonJS with an `export default` in its types: the function is the module under Node.
  const mod = (await import('jsqr')) as unknown as { default: JsQr | { default: JsQr } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

/** The modules as an RGBA image, `scale` pixels a module, 4 modules of quiet zone. */
function pixels(m: { size: number; data: Uint8Array }, scale = 3): { rgba: Uint8ClampedArray; width: number } {
  const width = (m.size + 8) * scale;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) {
      if (!m.data[r * m.size + c]) continue;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const i = (((r + 4) * scale + dy) * width + (c + 4) * scale + dx) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
    }
  return { rgba, width };
}

describe('the QR code drawn on invoices and letters', () => {
  it('decodes back to the payload for EPC transfers of every shape', async () => {
    const decode = await jsQr();
    let decoded = 0;
    const name = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9 &'.,-]{1,70}$/);
    const iban = fc.stringMatching(/^FR\d{2}[0-9A-Z]{23}$/);
    await fc.assert(
      fc.asyncProperty(
        name,
        iban,
        fc.option(fc.stringMatching(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/)),
        fc.option(fc.integer({ min: 1, max: 99_999_999_999 })),
        fc.option(fc.stringMatching(/^RF\d{2}[A-Z0-9]{1,21}$/)),
        async (n, i, bic, amount, reference) => {
          const payload = epcPayload({ name: n, iban: i, bic, amount, reference });
          if (payload === null) return;
          const img = pixels(await qrModules(payload));
          expect(decode(img.rgba, img.width, img.width, { inversionAttempts: 'dontInvert' })?.data).toBe(payload);
          decoded++;
        },
      ),
      { numRuns: 120 },
    );
    expect(decoded).toBeGreaterThan(100);
  });
});
