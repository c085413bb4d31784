import { describe, expect, it } from 'vitest';
import { isValidLocalGovernmentCode, localGovernmentCodeSchema } from './tenancy.js';

describe('全国地方公共団体コード', () => {
  it.each(['192091', '130001', '011002', '010006', '131016'])('accepts the real code %s', (c) => {
    expect(isValidLocalGovernmentCode(c)).toBe(true);
  });
  it.each(['192092', '19209', '1920911', 'abcdef', '130000'])('rejects %s', (c) => {
    expect(isValidLocalGovernmentCode(c)).toBe(false);
  });
  it('explains a bad check digit', () => {
    const r = localGovernmentCodeSchema.safeParse('192090');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('check digit');
  });
});
