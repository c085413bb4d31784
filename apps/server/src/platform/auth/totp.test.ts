import { describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import { totpCode, totpStep, verifyTotp } from './totp.js';

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890".
const seed = Secret.fromLatin1('12345678901234567890').base32;
const vectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, std-5.4.2)', () => {
  it.each(vectors)('matches the RFC 6238 vector at T=%i', (seconds, expected) => {
    const at = new Date(seconds * 1000);
    expect(totpCode(seed, at, 8)).toBe(expected);
    // Mamori's 6-digit codes are the same truncation mod 10^6.
    expect(totpCode(seed, at)).toBe(expected.slice(2));
    expect(verifyTotp(seed, expected.slice(2), at)).toBe(totpStep(at));
  });

  it('accepts one step either side and returns the matched step', () => {
    const now = new Date(1_700_000_000_000);
    const step = totpStep(now);
    expect(verifyTotp(seed, totpCode(seed, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(verifyTotp(seed, totpCode(seed, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(verifyTotp(seed, totpCode(seed, new Date(now.getTime() - 60_000)), now)).toBeNull();
    expect(verifyTotp(seed, 'abcdef', now)).toBeNull();
  });
});
