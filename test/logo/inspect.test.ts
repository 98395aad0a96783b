/** core/logo.ts: what the bytes of a file are as a logo. */
import { describe, expect, it } from 'vitest';
import { inspectLogo, LOGO_MAX_BYTES } from '../../src/core/logo.js';
import { jpeg, png } from './images.js';

describe('inspectLogo', () => {
  it('reads a PNG and a JPEG by their bytes', () => {
    expect(inspectLogo(png(300, 90, { alpha: true }))).toEqual({ ok: true, info: { kind: 'png', width: 300, height: 90 } });
    expect(inspectLogo(jpeg(40, 16))).toEqual({ ok: true, info: { kind: 'jpeg', width: 40, height: 16 } });
    expect(inspectLogo(jpeg(8, 8, 1))).toEqual({ ok: true, info: { kind: 'jpeg', width: 8, height: 8 } });
  });

  it('names what it is not', () => {
    expect(inspectLogo(Buffer.from('GIF89a...'))).toMatchObject({ ok: false, reason: 'gif' });
    expect(inspectLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({ ok: false, reason: 'svg' });
    expect(inspectLogo(Buffer.from('%PDF-1.7'))).toMatchObject({ ok: false, reason: 'pdf' });
    expect(inspectLogo(Buffer.from('hello'))).toMatchObject({ ok: false, reason: 'unknown' });
    expect(inspectLogo(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('refuses a damaged or unsuitable image', () => {
    expect(inspectLogo(png(20, 20).subarray(0, 40))).toMatchObject({ ok: false, reason: 'damaged', kind: 'png' });
    const j = jpeg(16, 16);
    expect(inspectLogo(j.subarray(0, j.length - 2))).toMatchObject({ ok: false, reason: 'damaged', kind: 'jpeg' });
    expect(inspectLogo(jpeg(16, 16, 4))).toMatchObject({ ok: false, reason: 'cmyk' });
    expect(inspectLogo(Buffer.concat([png(1, 1), Buffer.alloc(LOGO_MAX_BYTES)]))).toMatchObject({ ok: false, reason: 'too-big' });
    expect(inspectLogo(png(7000, 1))).toMatchObject({ ok: false, reason: 'dimensions', width: 7000, height: 1 });
  });
});
