/**
 * A real SMTP server (smtp-server on 127.0.0.1) that takes each message whole (DATA and the final
 * ".") and then, in 'drop' mode, closes the connection without answering: the client cannot know
 * whether the message was delivered (the "uncertain" fate). In 'ok' mode it answers 250.
 */
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface DroppingSmtp {
  port: number;
  /** Every message taken in full, answered or not: what the mailbox may hold. */
  taken: { to: string[]; raw: string; messageId: string }[];
  mode: 'ok' | 'drop';
  close(): Promise<void>;
}

type Conn = { session: unknown; _socket: net.Socket };

export async function droppingSmtp(): Promise<DroppingSmtp> {
  const state: DroppingSmtp = { port: 0, taken: [], mode: 'drop', close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.taken.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '' });
        if (state.mode === 'ok') return cb();
        // Drop the connection after the data, before any reply.
        const conns = (server as unknown as { connections: Set<Conn> }).connections;
        [...conns].find((c) => c.session === session)?._socket.destroy();
      });
    },
  });
  state.port = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port));
  });
  state.close = () =>
    new Promise((resolve) => {
      for (const c of (server as unknown as { connections: Set<Conn> }).connections) c._socket.destroy();
      server.close(() => resolve());
    });
  return state;
}
