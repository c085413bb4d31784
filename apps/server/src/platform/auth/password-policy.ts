import type { PasswordRejectionReason } from '@mamori/contracts';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password acceptance per NIST SP 800-63B-4 (std-6.4.3.3 「推測されにくい」):
 * any Unicode, NFKC-normalized, length counted in code points, no composition
 * rules, checked against an offline blocklist and context words.
 */

/** The limits and context a password is checked against (limits from pack settings). */
export interface PasswordPolicy {
  /** `auth.password.min_length` (default 12). */
  readonly minLength: number;
  /** `auth.password.max_length` (default 128; at least 64). */
  readonly maxLength: number;
  /** `auth.password.blocklist_check` (default true). */
  readonly blocklist: boolean;
}

/** Words a password must not be built from: the account's and the municipality's names. */
export interface PasswordContext {
  readonly loginName?: string;
  /** The municipality's names in kanji and romaji (tenant name, pack's name_ja/name_en). */
  readonly municipalityNames?: readonly string[];
}

export type PasswordCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reasons: readonly PasswordRejectionReason[] };

/** Length in code points (NIST counts characters, not UTF-16 units). */
function codePoints(s: string): number {
  return Array.from(s).length;
}

/** NIST 800-63B-4 §3.1.1.2: normalize before hashing and comparing. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Length in Unicode code points (a kana or an emoji counts one). */
export function passwordLength(password: string): number {
  return codePoints(normalizePassword(password));
}

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The common-password list of @zxcvbn-ts/language-common (≈49,000 entries
 * from leaked-password corpora), decompressed by the package at import.
 */
function commonPasswordSet(): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return commonPasswords;
}

/** Case-folded comparison form: NFKC (full-width → ASCII), lower case. */
function fold(s: string): string {
  return normalizePassword(s).toLowerCase();
}

/** Leading and trailing digits, punctuation, symbols and spaces: `Password1!` → `password`. */
function stripDecorations(s: string): string {
  return s.replace(/^[\p{N}\p{P}\p{S}\p{Z}]+|[\p{N}\p{P}\p{S}\p{Z}]+$/gu, '');
}

/** Spaces and separators removed: `hokuto city` and `HokutoCity` compare alike. */
function compact(s: string): string {
  return s.replace(/[\p{Z}\p{P}\s]+/gu, '');
}

const MUNICIPALITY_SUFFIXES = /(?:市|町|村|区|\s*(?:city|town|village|ward))$/u;

/** A municipality's name and its stem (北杜市 → 北杜, Hokuto City → hokuto). */
function municipalityForms(names: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const raw of names) {
    const name = compact(fold(raw));
    if (codePoints(name) >= 2) forms.add(name);
    const stem = compact(fold(raw).trim().replace(MUNICIPALITY_SUFFIXES, ''));
    if (codePoints(stem) >= 2) forms.add(stem);
  }
  return [...forms];
}

/**
 * Checks a new password. Returns every reason it is refused, as codes the UI
 * localizes (`passwordRejection.<reason>`).
 */
export function checkPassword(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext = {},
): PasswordCheck {
  const reasons: PasswordRejectionReason[] = [];
  const length = passwordLength(password);
  if (length < policy.minLength) reasons.push('too_short');
  if (length > policy.maxLength) reasons.push('too_long');

  const folded = fold(password);
  const compacted = compact(folded);
  if (policy.blocklist) {
    const common = commonPasswordSet();
    if (
      common.has(folded) ||
      common.has(compacted) ||
      common.has(stripDecorations(folded)) ||
      common.has(stripDecorations(compacted))
    ) {
      reasons.push('common_password');
    }
  }
  // Context words (NIST: "the username"; the municipality's name), after NFKC
  // and case folding, so ＨＯＫＵＴＯ and Hokuto count alike.
  const login = context.loginName ? compact(fold(context.loginName)) : '';
  if (codePoints(login) >= 3 && compacted.includes(login)) reasons.push('contains_login_name');
  if (municipalityForms(context.municipalityNames ?? []).some((form) => compacted.includes(form))) {
    reasons.push('contains_municipality_name');
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
