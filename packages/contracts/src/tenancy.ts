import { z } from 'zod';
import { requiredText } from './text.js';

/**
 * 全国地方公共団体コード: 5 digits and a check digit. The check digit is
 * (11 − (Σ digit × weight[6,5,4,3,2]) mod 11) mod 10, e.g. 北杜市 19209 → 192091.
 */
export function isValidLocalGovernmentCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(code[i]), 0);
  return (11 - (sum % 11)) % 10 === Number(code[5]);
}

export const localGovernmentCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be 6 digits (全国地方公共団体コード)')
  .refine(isValidLocalGovernmentCode, 'check digit does not match (全国地方公共団体コード)');

export const tenantSchema = z.object({
  id: z.uuid(),
  code: localGovernmentCodeSchema,
  name: requiredText(100),
  prefecture: requiredText(10),
  policyPackId: z.string(),
  policyPackVersion: z.string(),
});
export type Tenant = z.infer<typeof tenantSchema>;

/** A login name: NFKC-normalized and lower-cased, so ＡＢＣ and abc are one name. */
export const loginNameSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').trim().toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{2,63}$/,
        'use 3–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ),
  );

export const createTenantInputSchema = z.object({
  code: localGovernmentCodeSchema,
  name: requiredText(100),
  prefecture: requiredText(10),
  admin: z.object({
    loginName: loginNameSchema,
    displayName: requiredText(100),
    email: z.email().optional(),
  }),
});
export type CreateTenantInput = z.input<typeof createTenantInputSchema>;

/** `GET /api/tenant`: the municipality this request is for (public information). */
export const tenantInfoSchema = z.object({
  code: z.string(),
  name: z.string(),
  prefecture: z.string(),
  policyPack: z.object({
    id: z.string(),
    version: z.string(),
    nameJa: z.string(),
    nameEn: z.string(),
  }),
});
export type TenantInfo = z.infer<typeof tenantInfoSchema>;
