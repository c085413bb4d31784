import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

/** One rendered email. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Stable per notification, so a re-sent copy carries the same Message-ID. */
  readonly messageId: string;
}

export interface Mailer {
  readonly from: string;
  /** Resolves once the SMTP server accepted the message; rejects with nodemailer's error. */
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
  close(): void;
}

export interface MailerOptions {
  /** Milliseconds to connect and to get the greeting (default 10 s each). */
  readonly connectTimeoutMs?: number;
  /** Milliseconds of silence before the connection is dropped (default 30 s). */
  readonly socketTimeoutMs?: number;
}

/**
 * The SMTP mailer of `SMTP_URL` and `MAIL_FROM`, or null when SMTP is not
 * configured (mail then waits in the outbox as `smtp_not_configured`).
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  options: MailerOptions = {},
): Mailer | null {
  if (!config.smtpUrl) return null;
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(
    {
      url: config.smtpUrl,
      connectionTimeout: connectTimeout,
      greetingTimeout: connectTimeout,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
    },
    { from: config.mailFrom },
  );
  return {
    from: config.mailFrom,
    send: async (mail) => {
      const info = await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        // RFC 3834: automatic mail; auto-responders should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { messageId: info.messageId, response: info.response };
    },
    close: () => {
      transport.close();
    },
  };
}

/** The domain for Message-IDs: MAIL_FROM's domain. */
export function messageIdDomain(mailFrom: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom);
  return match?.[1] ?? 'mamori.invalid';
}

export interface SmtpFailure {
  /** True when sending the same message again would be refused again (5xx). */
  readonly permanent: boolean;
  readonly message: string;
}

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  message?: unknown;
}

/** Errors about our own configuration or credentials: the message is not at fault. */
const CONFIGURATION_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS']);

/**
 * Classifies a send failure (RFC 5321): a 5yz reply is permanent (except 503,
 * a session-state error), a 4yz reply or a connection problem is transient.
 * Authentication and TLS failures are transient too: they are fixed in the
 * configuration, and the mail must not be lost meanwhile.
 */
export function classifySmtpError(err: unknown): SmtpFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpErrorShape;
  const raw = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = (code ? `${code}: ${raw}` : raw).slice(0, 1000);
  if (code && CONFIGURATION_CODES.has(code)) return { permanent: false, message };
  if (typeof e.responseCode === 'number') {
    const permanent = e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
    return { permanent, message };
  }
  // Refused before talking to a server: an address nodemailer cannot use.
  if (code === 'EENVELOPE') return { permanent: true, message };
  return { permanent: false, message };
}
