/**
 * A real SMTP server (smtp-server on 127.0.0.1) that takes every message whole (DATA and the final
 * ".") and then answers as its mode says: 'ok' (250), 'close-after-data' (the connection dropped
 * before any reply: the client cannot know whether the message was delivered, the "uncertain" fate),
 * 'no-reply' (the reply never comes) or a delay before the 250. The mode can change between runs.
 */
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export type FaultMode = 'ok' | 'close-after-data' | 'no-reply' | { delayMs: number };

export interface FaultySmtp {
  port: number;
  /** Every message taken in full, whatever was answered: what the mailboxes may hold. */
  taken: { to: string[]; raw: string; messageId: string }[];
  mode: FaultMode;
  close(): Promise<void>;
}

type Conn = { session: unknown; _socket: net.Socket };

export async function faultySmtp(mode: FaultMode): Promise<FaultySmtp> {
  const state: FaultySmtp = { port: 0, taken: [], mode, close: async () => {} };
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.taken.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '' });
        const m = state.mode;
        if (m === 'ok') return cb();
        if (m === 'no-reply') return;
        if (m === 'close-after-data') {
          [...connections()].find((c) => c.session === session)?._socket.destroy();
          return;
        }
        setTimeout(() => cb(), m.delayMs);
      });
    },
  });
  const connections = () => (server as unknown as { connections: Set<Conn> }).connections;
  state.port = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port));
  });
  state.close = () =>
    new Promise((resolve) => {
      for (const c of connections()) c._socket.destroy();
      server.close(() => resolve());
    });
  return state;
}
