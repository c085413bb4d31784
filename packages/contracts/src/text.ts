import { z } from 'zod';

/**
 * Text input helpers. All text a user sends is NFC-normalized, so that
 * 「ガ」 typed as one code point or as カ + combining mark is stored once.
 */
export const nfcText = () => z.string().transform((s) => s.normalize('NFC'));

/** A required, trimmed, NFC-normalized string of at most `max` characters. */
export const requiredText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/** An optional NFC-normalized string of at most `max` characters. */
export const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max))
    .optional();
