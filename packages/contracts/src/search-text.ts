/**
 * Text helpers for names written in kanji with a フリガナ reading: lists sort
 * by 読み and search matches kana or kanji partially, ignoring full-/half-width
 * and hiragana/katakana differences (issue 4, "Organization").
 */

const HIRAGANA_START = 0x3041; // ぁ
const HIRAGANA_END = 0x3096; // ゖ
const KATAKANA_OFFSET = 0x60; // ア − あ

/** Folds hiragana to katakana (ゝゞ too); other characters are kept. */
export function hiraganaToKatakana(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code >= HIRAGANA_START && code <= HIRAGANA_END) || code === 0x309d || code === 0x309e) {
      out += String.fromCodePoint(code + KATAKANA_OFFSET);
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The search form of a text: NFKC (half-width ｶﾅ → カナ, full-width ＡＢＣ → ABC,
 * composed voiced marks), hiragana folded to katakana, case folded, and white
 * space removed (so 「試験 太郎」 matches 「試験太郎」). Apply it to stored text
 * and to the query alike.
 */
export function searchFold(text: string): string {
  return hiraganaToKatakana(text.normalize('NFKC')).toLowerCase().replace(/\s+/gu, '');
}

/** The stored search text of a set of fields (kanji names, readings, codes). */
export function buildSearchText(parts: readonly (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.trim().length > 0)
    .map(searchFold)
    .join(' ');
}

/**
 * The 読み sort key of a name: the NFKC-normalized katakana reading, family
 * name then given name, separated by a space (ア sorts before アイ).
 */
export function readingSortKey(familyNameKana: string, givenNameKana = ''): string {
  const fold = (s: string) => hiraganaToKatakana(s.normalize('NFKC')).replace(/\s+/gu, '');
  return `${fold(familyNameKana)} ${fold(givenNameKana)}`.trim();
}

/** True when a reading holds only katakana, hiragana, the long-vowel mark and spaces. */
export function isKanaReading(text: string): boolean {
  return /^[\p{Script=Katakana}\p{Script=Hiragana}ー・\s]+$/u.test(text.normalize('NFKC'));
}
