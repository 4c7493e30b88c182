import { describe, expect, it } from 'vitest';
import { offlineRedoc } from './portal';

describe('offlineRedoc', () => {
  it('swaps the CDN logo for an inline image', () => {
    const patched = offlineRedoc('img({src:"https://cdn.redoc.ly/redoc/logo-mini.svg"})');
    expect(patched).not.toContain('cdn.redoc.ly');
    expect(patched).toContain('src:"data:image/svg+xml,');
  });

  it('fails when a Redoc upgrade no longer has the URL, so the change gets looked at', () => {
    expect(() => offlineRedoc('img({src:"https://cdn.example/logo.svg"})')).toThrow(/no longer contains/);
  });
});
