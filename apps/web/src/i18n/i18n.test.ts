import { describe, expect, it } from 'vitest';
import { apiErrorCodes } from '../api/error-codes.js';
import { modules } from '../app/navigation.js';
import { en } from './en.js';
import { createI18n } from './index.js';
import { ja } from './ja.js';

/** Every leaf of a message tree as `path → text`. */
function leaves(tree: object, prefix = ''): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(tree) as [string, unknown][]) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') result.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [leafPath, text] of leaves(value, path)) result.set(leafPath, text);
    } else throw new Error(`${path} is neither text nor a group`);
  }
  return result;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  const jaLeaves = leaves(ja);
  const enLeaves = leaves(en);

  it('ja and en have exactly the same keys', () => {
    expect([...enLeaves.keys()].sort()).toEqual([...jaLeaves.keys()].sort());
  });

  it('no message is empty, and both languages use the same {{placeholders}}', () => {
    for (const [key, jaText] of jaLeaves) {
      const enText = enLeaves.get(key) ?? '';
      expect(jaText.trim(), `ja ${key}`).not.toBe('');
      expect(enText.trim(), `en ${key}`).not.toBe('');
      expect(placeholders(enText), key).toEqual(placeholders(jaText));
    }
  });

  it('has a message for every API error code and a menu label for every module', () => {
    for (const code of apiErrorCodes) expect(jaLeaves.has(`errors.${code}`), code).toBe(true);
    for (const { id } of modules) expect(jaLeaves.has(`nav.${id}`), id).toBe(true);
  });

  it('uses the policy terms in Japanese (glossary)', () => {
    expect(ja.nav).toMatchObject({
      information_asset: '情報資産',
      incident: '情報セキュリティインシデント',
      approval: '承認',
      organization: '組織',
      audit: '監査',
      exception: '例外措置',
    });
  });

  it('resolves keys at run time in both languages', () => {
    expect(createI18n('ja').t('nav.information_asset')).toBe('情報資産');
    expect(createI18n('en').t('nav.information_asset')).toBe('Information assets');
    expect(createI18n('ja').t('app.pageTitle', { page: '監査' })).toBe('監査 | 守り Mamori');
  });
});
