import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';
import { checkPassword, passwordLength, type PasswordPolicy } from './password-policy.js';

// Pack defaults (decisions.md): 12 minimum, 128 maximum, blocklist on.
const policy: PasswordPolicy = { minLength: 12, maxLength: 128, blocklist: true };
const context = { loginName: 'shiken.taro', municipalityNames: ['架空市', 'Kakuu City'] };

describe('password policy (NIST 800-63B-4, std-6.4.3.3)', () => {
  it('accepts a 64-character random password', () => {
    const password = randomBytes(48).toString('base64').slice(0, 64);
    expect(passwordLength(password)).toBe(64);
    expect(checkPassword(password, policy, context)).toEqual({ ok: true });
  });

  it('accepts a 15-character kana passphrase (length in code points, no composition rules)', () => {
    const passphrase = 'あさひがのぼるやまなみのむこう';
    expect(passwordLength(passphrase)).toBe(15);
    expect(checkPassword(passphrase, policy, context)).toEqual({ ok: true });
  });

  it.each([
    ['password', ['too_short', 'common_password']],
    ['Password1!', ['too_short', 'common_password']],
    ['passwordpassword', ['common_password']],
    ['ｐａｓｓｗｏｒｄ', ['too_short', 'common_password']],
    ['ＰＡＳＳＷＯＲＤ１２３４５６７８', ['common_password']],
    ['qwertyuiop123', ['common_password']],
  ])('rejects the common password %s', (password, reasons) => {
    expect(checkPassword(password, policy, context)).toEqual({ ok: false, reasons });
  });

  it('rejects Password1! with the blocklist even where the minimum length would allow it', () => {
    expect(checkPassword('Password1!', { ...policy, minLength: 8 }, context)).toEqual({
      ok: false,
      reasons: ['common_password'],
    });
  });

  it('rejects a password built from the login name, case- and width-insensitively', () => {
    expect(checkPassword('Shiken.Taro2025!', policy, context)).toEqual({
      ok: false,
      reasons: ['contains_login_name'],
    });
    expect(checkPassword('ｓｈｉｋｅｎ．ｔａｒｏ＃９９', policy, context)).toMatchObject({
      ok: false,
      reasons: ['contains_login_name'],
    });
  });

  it("rejects the municipality's name in kanji and romaji", () => {
    expect(checkPassword('架空市役所のパスワードです', policy, context)).toEqual({
      ok: false,
      reasons: ['contains_municipality_name'],
    });
    expect(checkPassword('kakuu-city-2025-secure', policy, context)).toEqual({
      ok: false,
      reasons: ['contains_municipality_name'],
    });
    expect(checkPassword('ILoveKakuu#1234', policy, context)).toEqual({
      ok: false,
      reasons: ['contains_municipality_name'],
    });
  });

  it('enforces the configured maximum', () => {
    expect(checkPassword('a-long-unusual-phrase '.repeat(10), policy).ok).toBe(false);
    expect(checkPassword('x'.repeat(129), policy)).toEqual({ ok: false, reasons: ['too_long'] });
  });

  it('skips the blocklist when the setting turns it off', () => {
    expect(checkPassword('passwordpassword', { ...policy, blocklist: false })).toEqual({
      ok: true,
    });
  });
});

describe('password hashing', () => {
  it('a 100-character password verifies only in full (no truncation)', async () => {
    const password = `${'長いパスフレーズ'.repeat(12)}abcd`;
    expect(passwordLength(password)).toBe(100);
    const hash = await hashPassword(password);
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, password)).toBe(true);
    expect(await verifyPassword(hash, password.slice(0, 99))).toBe(false);
    expect(await verifyPassword(hash, password.slice(0, 72))).toBe(false);
  });

  it('verifies the NFKC form: full-width and half-width input are one password', async () => {
    const hash = await hashPassword('ＭａｍｏｒｉＴｅｓｔ２０２５');
    expect(await verifyPassword(hash, 'MamoriTest2025')).toBe(true);
  });
});
