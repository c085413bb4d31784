/**
 * Names for the demo municipality (架空市). std-7.3.3.2c: no real personal
 * data. Every name is built from two short lists of common family and given
 * names with their フリガナ, so no generated person stands for anyone real,
 * and a deterministic seed makes the same demo every time.
 */

/** A name part with its reading (katakana). */
export interface NamePart {
  readonly kanji: string;
  readonly kana: string;
}

/** Common family names (fictional combinations only). */
export const DEMO_FAMILY_NAMES: readonly NamePart[] = [
  { kanji: '試験', kana: 'シケン' },
  { kanji: '架空', kana: 'カクウ' },
  { kanji: '見本', kana: 'ミホン' },
  { kanji: '佐藤', kana: 'サトウ' },
  { kanji: '鈴木', kana: 'スズキ' },
  { kanji: '高橋', kana: 'タカハシ' },
  { kanji: '田中', kana: 'タナカ' },
  { kanji: '伊藤', kana: 'イトウ' },
  { kanji: '渡辺', kana: 'ワタナベ' },
  { kanji: '山本', kana: 'ヤマモト' },
  { kanji: '中村', kana: 'ナカムラ' },
  { kanji: '小林', kana: 'コバヤシ' },
  { kanji: '加藤', kana: 'カトウ' },
  { kanji: '吉田', kana: 'ヨシダ' },
  { kanji: '山田', kana: 'ヤマダ' },
  { kanji: '松本', kana: 'マツモト' },
  { kanji: '井上', kana: 'イノウエ' },
  { kanji: '木村', kana: 'キムラ' },
  { kanji: '清水', kana: 'シミズ' },
  { kanji: '森', kana: 'モリ' },
  { kanji: '池田', kana: 'イケダ' },
  { kanji: '橋本', kana: 'ハシモト' },
  { kanji: '石川', kana: 'イシカワ' },
  { kanji: '小川', kana: 'オガワ' },
  { kanji: '望月', kana: 'モチヅキ' },
  { kanji: '雨宮', kana: 'アメミヤ' },
  { kanji: '輿石', kana: 'コシイシ' },
  { kanji: '功刀', kana: 'クヌギ' },
  { kanji: '小俣', kana: 'オマタ' },
  { kanji: '土屋', kana: 'ツチヤ' },
];

/** Common given names (fictional combinations only). */
export const DEMO_GIVEN_NAMES: readonly NamePart[] = [
  { kanji: '太郎', kana: 'タロウ' },
  { kanji: '花子', kana: 'ハナコ' },
  { kanji: '一郎', kana: 'イチロウ' },
  { kanji: '次郎', kana: 'ジロウ' },
  { kanji: '三郎', kana: 'サブロウ' },
  { kanji: '健太', kana: 'ケンタ' },
  { kanji: '翔太', kana: 'ショウタ' },
  { kanji: '大輔', kana: 'ダイスケ' },
  { kanji: '直樹', kana: 'ナオキ' },
  { kanji: '誠', kana: 'マコト' },
  { kanji: '修', kana: 'オサム' },
  { kanji: '浩', kana: 'ヒロシ' },
  { kanji: '和也', kana: 'カズヤ' },
  { kanji: '陽子', kana: 'ヨウコ' },
  { kanji: '恵子', kana: 'ケイコ' },
  { kanji: '裕子', kana: 'ユウコ' },
  { kanji: '美咲', kana: 'ミサキ' },
  { kanji: '由美', kana: 'ユミ' },
  { kanji: '真由美', kana: 'マユミ' },
  { kanji: '明美', kana: 'アケミ' },
  { kanji: 'さくら', kana: 'サクラ' },
  { kanji: '葵', kana: 'アオイ' },
  { kanji: '七海', kana: 'ナナミ' },
  { kanji: '結衣', kana: 'ユイ' },
  { kanji: '智子', kana: 'トモコ' },
];

/** A generated person's name. */
export interface DemoName {
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same demo. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` distinct names from the lists (family × given: 750 combinations),
 * in a seeded random order.
 * @throws RangeError when more names are asked for than the lists can combine.
 */
export function generateDemoNames(count: number, seed = 20260401): DemoName[] {
  const total = DEMO_FAMILY_NAMES.length * DEMO_GIVEN_NAMES.length;
  if (count > total) throw new RangeError(`at most ${String(total)} demo names`);
  const random = seededRandom(seed);
  const order = Array.from({ length: total }, (_, i) => i);
  // Fisher–Yates with the seeded generator.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order.slice(0, count).map((n) => {
    const family = DEMO_FAMILY_NAMES[Math.floor(n / DEMO_GIVEN_NAMES.length)];
    const given = DEMO_GIVEN_NAMES[n % DEMO_GIVEN_NAMES.length];
    if (!family || !given) throw new Error('name index out of range');
    return {
      familyName: family.kanji,
      givenName: given.kanji,
      familyNameKana: family.kana,
      givenNameKana: given.kana,
    };
  });
}
