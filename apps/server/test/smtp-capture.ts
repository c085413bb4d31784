import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** A message the capture server accepted, decoded like a mail client would. */
export interface CapturedMail {
  /** Envelope: MAIL FROM and RCPT TO. */
  readonly envelopeFrom: string;
  readonly envelopeTo: string[];
  /** Header names in lower case, values unfolded and RFC 2047-decoded (UTF-8). */
  readonly headers: ReadonlyMap<string, string>;
  readonly subject: string;
  /** The text body, transfer-decoded as UTF-8, line ends as \n. */
  readonly text: string;
  readonly raw: Buffer;
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:<port> */
  readonly url: string;
  readonly messages: CapturedMail[];
  /** RCPT TO commands seen per recipient address (accepted or not). */
  rcptCount(address: string): number;
  /** Answers the next RCPT TO commands for `address` with these codes (e.g. 451, 550), then accepts. */
  rejectRecipient(address: string, codes: readonly number[]): void;
  close(): Promise<void>;
}

/** Decodes runs of RFC 2047 encoded words (adjacent words joined before UTF-8 decoding). */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  return value.replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) => {
    const trailing = /\s*$/.exec(run)?.[0] ?? '';
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(word)) {
      const [, charset = '', encoding = '', text = ''] = m;
      if (charset.toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${charset}`);
      bytes.push(
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' ')),
      );
    }
    return Buffer.concat(bytes).toString('utf8') + trailing;
  });
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    const hex = soft.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(soft.charCodeAt(i));
    }
  }
  return Buffer.from(out);
}

/** Parses a single-part text message (what the notification mailer sends). */
export function parseMail(raw: Buffer): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, split)
    .toString('latin1')
    .replace(/\r\n[ \t]+/g, ' ');
  const body = raw.subarray(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        decodeEncodedWords(line.slice(colon + 1).trim()),
      );
    }
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body.toString('latin1'))
        : body;
  return { headers, text: decoded.toString('utf8').replace(/\r\n/g, '\n') };
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no TLS, no auth) that keeps
 * every message, for delivery tests.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const rcpts = new Map<string, number>();
  const rejections = new Map<string, number[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      rcpts.set(key, (rcpts.get(key) ?? 0) + 1);
      const code = rejections.get(key)?.shift();
      if (code === undefined) {
        callback();
        return;
      }
      const err: SMTPServerError = new Error(
        code >= 500 ? 'mailbox unavailable' : 'try again later',
      );
      err.responseCode = code;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const { headers, text } = parseMail(raw);
        const from = session.envelope.mailFrom;
        messages.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          headers,
          subject: headers.get('subject') ?? '',
          text,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rcptCount: (address) => rcpts.get(address.toLowerCase()) ?? 0,
    rejectRecipient: (address, codes) => {
      rejections.set(address.toLowerCase(), [...codes]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
