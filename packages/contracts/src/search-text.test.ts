import { describe, expect, it } from 'vitest';
import {
  buildSearchText,
  hiraganaToKatakana,
  isKanaReading,
  readingSortKey,
  searchFold,
} from './search-text.js';

describe('search text (people and units search, issue 4)', () => {
  it('folds hiragana to katakana', () => {
    expect(hiraganaToKatakana('しけん たろう')).toBe('シケン タロウ');
    expect(hiraganaToKatakana('ゔぁ')).toBe('ヴァ');
  });

  it('ignores full-/half-width, kana kind, case and spaces', () => {
    expect(searchFold('ｼｹﾝ ﾀﾛｳ')).toBe('シケンタロウ');
    expect(searchFold('ｶﾞｸ')).toBe('ガク');
    expect(searchFold('しけん')).toBe('シケン');
    expect(searchFold('ＡＢＣ')).toBe('abc');
    expect(searchFold('試験　太郎')).toBe('試験太郎');
  });

  it('matches a stored text partially whichever way the query is typed', () => {
    const stored = buildSearchText(['試験', '太郎', 'シケン', 'タロウ', 'T-0012']);
    for (const query of ['験', 'しけん', 'ｼｹﾝ', 'ﾀﾛｳ', 'たろう', 't-0012', 'Ｔ－００１２']) {
      expect(stored.includes(searchFold(query)), query).toBe(true);
    }
    expect(stored.includes(searchFold('花子'))).toBe(false);
  });

  it('sorts by 読み: family reading then given reading, hiragana and half-width folded', () => {
    const keys = [
      readingSortKey('ｼｹﾝ', 'ﾊﾅｺ'),
      readingSortKey('あいだ', 'じろう'),
      readingSortKey('シケン', 'タロウ'),
      readingSortKey('アイ', 'ケン'),
    ];
    expect(keys[0]).toBe('シケン ハナコ');
    expect([...keys].sort()).toEqual([
      'アイ ケン',
      'アイダ ジロウ',
      'シケン タロウ',
      'シケン ハナコ',
    ]);
  });

  it('accepts kana readings only', () => {
    expect(isKanaReading('シケン')).toBe(true);
    expect(isKanaReading('しけん')).toBe(true);
    expect(isKanaReading('ｼｹﾝ')).toBe(true);
    expect(isKanaReading('試験')).toBe(false);
    expect(isKanaReading('shiken')).toBe(false);
  });
});
