import { createHash, randomBytes } from 'node:crypto';
import {
  LOGIN_REQUEST_HEADER,
  SESSION_COOKIE_PLAIN,
  SESSION_COOKIE_SECURE,
} from '@mamori/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/**
 * How a session travels (std-7.2.3; architecture "Security of Mamori itself"):
 * an opaque random id in an HttpOnly cookie, `__Host-` prefixed and Secure
 * when the request came over HTTPS (directly, or through a trusted proxy's
 * X-Forwarded-Proto when MAMORI_TRUST_PROXY=true). Plain HTTP is for local
 * development and for a browser on the server itself (http://localhost, which
 * browsers treat as a secure context); production refuses any other plain
 * HTTP unless MAMORI_ALLOW_INSECURE_HTTP=true.
 */

/** A new session token (256 bits) and the SHA-256 stored in its place. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

/** SHA-256 hex of a cookie value: what the sessions table holds. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new synchronizer CSRF token, bound to one session row. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether the request reached Mamori over HTTPS (request.protocol honours trustProxy). */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * A request from a browser on the same machine, to a loopback name: the TCP
 * peer is loopback (not a forwarded address) and the Host is localhost. A
 * reverse proxy on the same host forwards the public Host name, so it is not
 * mistaken for a local browser.
 */
export function isLoopbackRequest(request: FastifyRequest): boolean {
  const peer = request.raw.socket.remoteAddress ?? '';
  return (
    LOOPBACK_ADDRESSES.has(peer) &&
    LOOPBACK_ADDRESSES.has(request.ip) &&
    LOOPBACK_HOSTS.has(request.hostname.toLowerCase())
  );
}

/** Refuses plain HTTP in production unless on loopback or explicitly allowed. */
export function assertTransportAllowed(config: Config, request: FastifyRequest): void {
  if (
    config.env === 'production' &&
    !config.allowInsecureHttp &&
    !isHttps(request) &&
    !isLoopbackRequest(request)
  ) {
    throw new AppError(
      'insecure_transport',
      'Log in over HTTPS (or set MAMORI_ALLOW_INSECURE_HTTP=true; see docs/security.md).',
    );
  }
}

/** The cookie name for this request's transport. */
export function sessionCookieName(request: FastifyRequest): string {
  return isHttps(request) ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
}

/** The session token the request carries, if any. */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const value = request.cookies[sessionCookieName(request)];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : null;
}

/**
 * Sets the session cookie. No Max-Age: a browser session cookie; the server
 * enforces idle and absolute timeouts.
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): void {
  void reply.setCookie(sessionCookieName(request), token, {
    httpOnly: true,
    secure: isHttps(request),
    sameSite: 'lax',
    path: '/',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(sessionCookieName(request), {
    httpOnly: true,
    secure: isHttps(request),
    sameSite: 'lax',
    path: '/',
  });
}

/** The origin requests are expected from: MAMORI_PUBLIC_ORIGIN, else this request's own. */
export function expectedOrigin(config: Config, request: FastifyRequest): string {
  if (config.publicOrigin) return config.publicOrigin;
  try {
    // URL normalizes a default port away (http://host:80 → http://host), as browsers report it.
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    throw new AppError('validation_failed', 'The Host header is not valid.');
  }
}

/**
 * CSRF protection of requests made before a session exists (login): a custom
 * header a cross-site form cannot send, and an Origin, when the browser sends
 * one, equal to Mamori's.
 */
export function assertPreSessionRequest(config: Config, request: FastifyRequest): void {
  if (request.headers[LOGIN_REQUEST_HEADER] !== '1') {
    throw new AppError('csrf_rejected', `Missing the ${LOGIN_REQUEST_HEADER} header.`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== expectedOrigin(config, request)) {
    throw new AppError('csrf_rejected', 'The request comes from another origin.');
  }
}

/** The client's address (the proxy's X-Forwarded-For only when trusted). */
export function clientIp(request: FastifyRequest): string | null {
  return request.ip || null;
}

export function userAgentOf(request: FastifyRequest): string | null {
  const ua = request.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 512) : null;
}
