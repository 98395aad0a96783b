/**
 * The process IO of a real run, as start-up shapes it: a terminal is recognised without loading
 * node:tty for a file, a pipe or /dev/null; stdout is written straight to its descriptor, in order,
 * handing the rest to the stream when a non-blocking pipe is full, and a reader that went away ends
 * the run quietly (exit 0, nothing on stderr).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import { afterAll, describe, expect, it } from 'vitest';
import { isTerminal, stdoutWriter, type StdoutSink } from '../../src/cli/io.js';
import { BIN, sandbox } from '../helpers/e2e.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-process-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('isTerminal', () => {
  it('a file and /dev/null are not terminals, nor a closed descriptor; a pseudo-terminal is', () => {
    const file = fs.openSync(path.join(dir, 'out.txt'), 'w');
    const devNull = fs.openSync('/dev/null', 'w');
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
      expect(tty.isatty(devNull)).toBe(false);
    } finally {
      fs.closeSync(file);
      fs.closeSync(devNull);
    }
    let ptmx: number | undefined;
    try {
      ptmx = fs.openSync('/dev/ptmx', 'r+');
    } catch {
      ptmx = undefined;
    }
    if (ptmx !== undefined) {
      try {
        expect(tty.isatty(ptmx)).toBe(true);
        expect(isTerminal(ptmx)).toBe(true);
      } finally {
        fs.closeSync(ptmx);
      }
    }
    expect(isTerminal(987654)).toBe(false);
  });
});

/** A descriptor that takes at most `room` bytes, then says EAGAIN (a full non-blocking pipe). */
function fullPipe(room: number) {
  const direct: string[] = [];
  const streamed: string[] = [];
  let gone = 0;
  const sink: StdoutSink = {
    writeSync(buf, offset) {
      if (room === 0) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
      const n = Math.min(room, buf.length - offset);
      room -= n;
      direct.push(buf.subarray(offset, offset + n).toString('utf8'));
      return n;
    },
    stream: () => ({ write: (c: string | Buffer) => streamed.push(c.toString()) }),
    readerGone: () => void gone++,
  };
  return { sink, direct, streamed, gone: () => gone };
}

describe('stdoutWriter', () => {
  it('writes straight to the descriptor, in pieces when it takes part of a write', () => {
    const p = fullPipe(Infinity);
    const out = stdoutWriter(false, p.sink);
    out('échéance ');
    out('2026-12-01\n');
    expect(p.direct.join('')).toBe('échéance 2026-12-01\n');
    expect(p.streamed).toEqual([]);
  });

  it('a full non-blocking pipe: the rest of the write and everything after it go to the stream, in order', () => {
    const p = fullPipe(5);
    const out = stdoutWriter(false, p.sink);
    out('abcdefgh');
    out('ij');
    expect(p.direct.join('')).toBe('abcde');
    expect(p.streamed).toEqual(['fgh', 'ij']);
  });

  it('a terminal gets the stream; a reader that went away ends the run quietly; other errors are thrown', () => {
    const tty = fullPipe(Infinity);
    stdoutWriter(true, tty.sink)('x');
    expect([tty.direct, tty.streamed]).toEqual([[], ['x']]);

    const gone = fullPipe(0);
    gone.sink.writeSync = () => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    };
    stdoutWriter(false, gone.sink)('x');
    expect(gone.gone()).toBe(1);

    const bad = fullPipe(0);
    bad.sink.writeSync = () => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    };
    expect(() => stdoutWriter(false, bad.sink)('x')).toThrow('EIO');
  });
});

describe('a real run', () => {
  const sb = sandbox('relance-process-io-e2e-');
  afterAll(() => sb.cleanup());

  it('prints to a file and to a pipe alike, and exits 0 without a word when the reader has gone', async () => {
    sb.init();
    for (let i = 0; i < 5; i++) expect(sb.run(['client', 'add', `C${i}`, '--name', `Client ${i} SAS`, '--email', `ap${i}@client.fr`]).code).toBe(0);
    const piped = sb.run(['client', 'list', '--json']);
    expect(piped.code).toBe(0);
    const file = path.join(sb.dir, 'list.json');
    const fd = fs.openSync(file, 'w');
    const r = spawnSync(process.execPath, [BIN, '-f', sb.ledger, 'client', 'list', '--json'], { env: sb.env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    fs.closeSync(fd);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(JSON.parse(piped.stdout)).toHaveLength(5);

    // The reader closes its end before relance writes (a `| head -0`): EPIPE, exit 0, stderr empty.
    const child = spawn(process.execPath, [BIN, '-f', sb.ledger, 'client', 'list', '--json'], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect([code, stderr]).toEqual([0, '']);
  });
});
