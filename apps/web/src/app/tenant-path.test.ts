import { describe, expect, it } from 'vitest';
import { tenantPathPrefix } from './tenant-path.js';

describe('tenantPathPrefix', () => {
  it('keeps /t/{6-digit code} and nothing else', () => {
    expect(tenantPathPrefix('/t/192091/assets')).toBe('/t/192091');
    expect(tenantPathPrefix('/t/192091')).toBe('/t/192091');
    expect(tenantPathPrefix('/assets')).toBe('');
    expect(tenantPathPrefix('/t/1920911/x')).toBe('');
    expect(tenantPathPrefix('/t/19209/x')).toBe('');
  });
});
