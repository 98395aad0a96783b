/**
 * A REAL SMTP server (smtp-server) on 127.0.0.1, started by a test: it records every message it
 * accepts (raw text and a few headers) and every connection, and can be made slow or to refuse.
 * Tests spawn bin/relance with runAsync (never spawnSync: the server lives in the test's event loop).
 */
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  messageId: string;
  subject: string;
  level: string | null;
  replyTo: string | null;
}

export interface TestSmtp {
  port: number;
  messages: Received[];
  /** Connections opened so far. */
  connections: number;
  /** Answer DATA with this error ("451 try later") instead of accepting; null to accept again. */
  refuse(message: string | null): void;
  /**
   * With { hold: true }: resolves once `n` messages have been received in all (answered or held
   * unanswered), so a test can act while the client waits for the server's answer, whatever the load.
   */
  received(n: number): Promise<void>;
  /** With { hold: true }: answer the oldest held message (one), or all of them and stop holding. */
  release(all?: boolean): void;
  close(): Promise<void>;
}

function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m ? m[1]!.trim() : null;
}

/** Decode RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=) well enough for assertions. */
export function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => {
    if (enc.toLowerCase() === 'b') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

/** A port nothing listens on (for "SMTP server down"). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startSmtp(opts: { port?: number; delayMs?: number; hold?: boolean } = {}): Promise<TestSmtp> {
  const messages: Received[] = [];
  let refusal: string | null = null;
  let connections = 0;
  let holding = opts.hold ?? false;
  const held: (() => void)[] = [];
  let got = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const arrived = () => {
    got++;
    for (const w of waiters.filter((x) => got >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const finish = () => {
          if (refusal) {
            const err = new Error(refusal) as Error & { responseCode: number };
            err.responseCode = Number(/^\d{3}/.exec(refusal)?.[0] ?? 451);
            cb(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: header(raw, 'Message-ID') ?? '',
            subject: decodeWords(header(raw, 'Subject') ?? ''),
            level: header(raw, 'X-Relance-Level'),
            replyTo: header(raw, 'Reply-To'),
          });
          cb();
        };
        arrived();
        if (holding) held.push(finish);
        else if (opts.delayMs) setTimeout(finish, opts.delayMs);
        else finish();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port));
  });
  return {
    port,
    messages,
    get connections() {
      return connections;
    },
    refuse(m) {
      refusal = m;
    },
    received(n) {
      return got >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    release(all = false) {
      if (all) holding = false;
      for (const f of held.splice(0, all ? held.length : 1)) f();
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
