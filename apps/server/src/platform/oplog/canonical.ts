import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** A JSON value as stored in a payload. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * RFC 8785 (JCS) canonical JSON of a value, as UTF-8 bytes. Strings are
 * NFC-normalized first, so text typed as カ + ゙ and as ガ digests the same.
 */
export function canonicalBytes(value: JsonValue): Buffer {
  const text = canonicalize(normalizeStrings(value));
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return Buffer.from(text, 'utf8');
}

/** SHA-256 (hex) of the canonical bytes of a payload: what the chain carries. */
export function payloadDigest(payload: JsonValue): string {
  return createHash('sha256').update(canonicalBytes(payload)).digest('hex');
}

/** The payload with every string (and key) NFC-normalized: what is stored and digested. */
export function normalizeStrings(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(normalizeStrings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k.normalize('NFC')] = normalizeStrings(v);
    return out;
  }
  return value;
}

/** The fields of a chained entry, every one a string (the canonical form, docs/operation-log.md). */
export interface EntryFields {
  readonly tenant: string;
  readonly seq: string;
  /** UTC, millisecond precision: `2026-11-25T09:00:00.000Z`. */
  readonly logged_at: string;
  readonly actor_type: string;
  readonly actor_id: string;
  readonly action: string;
  readonly subject_type: string;
  readonly subject_id: string;
  readonly payload_digest: string;
}

/** The canonical bytes of an entry, computed in Node (the database computes the same). */
export function entryCanonicalBytes(fields: EntryFields): Buffer {
  return canonicalBytes({ ...fields });
}

/** hash = SHA-256(prev_hash ‖ canonical bytes). */
export function chainHash(prevHash: Buffer, canonical: Buffer): Buffer {
  return createHash('sha256').update(prevHash).update(canonical).digest();
}

/** The hash before the first entry. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);
