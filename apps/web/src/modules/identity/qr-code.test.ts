import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrCodePath } from './qr-code.js';

const uri =
  'otpauth://totp/Mamori:shiken-taro?issuer=Mamori&secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30';

/** Reads the path back into the set of dark cells (row, column) it draws. */
function darkCells(path: string): Set<string> {
  const cells = new Set<string>();
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1H\d+z/g)) {
    for (let i = 0; i < Number(w); i++) cells.add(`${y ?? ''},${String(Number(x) + i)}`);
  }
  return cells;
}

describe('qrCodePath', () => {
  it('draws exactly the dark modules of the symbol, inside a 4-module quiet zone', () => {
    const { modules } = create(uri, { errorCorrectionLevel: 'M' });
    const { size, path } = qrCodePath(uri);
    expect(size).toBe(modules.size + 8);
    const expected = new Set<string>();
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) expected.add(`${String(row + 4)},${String(col + 4)}`);
      }
    }
    expect(darkCells(path)).toEqual(expected);
  });

  it('is made of path commands and numbers only, whatever the text holds', () => {
    const { path } = qrCodePath('otpauth://totp/"><script>alert(1)</script>?secret=AAAA');
    expect(path).toMatch(/^(M\d+ \d+h\d+v1H\d+z)+$/);
  });
});
