import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleSpec } from '../src/bundle';
import { diffSpecs, type OpenApiDocument } from '../src/compare';
import { categories, specsOf, worstKind } from './categories';

let bundled: OpenApiDocument;

beforeAll(async () => {
  bundled = await bundleSpec(join(import.meta.dirname, '../../../spec'));
}, 30_000);

describe('every category of change, on the real spec', () => {
  it('has the 25 oasdiff rules and the wecom-kit ones', () => {
    expect(categories.filter((category) => category.source === 'oasdiff')).toHaveLength(25);
    expect(new Set(categories.map((category) => category.id)).size).toBe(categories.length);
  });

  it.each(categories)('$id', (category) => {
    const changes = diffSpecs(...specsOf(category, bundled)).map((change) => ({
      kind: change.kind,
      operationId: change.operation?.operationId,
      message: change.message,
    }));
    for (const expected of category.expected) {
      expect(changes).toContainEqual({ operationId: undefined, ...expected });
    }
    // Nothing more severe than the category is reported alongside it.
    expect(worstKind(changes.map((change) => change.kind))).toBe(
      worstKind(category.expected.map((expected) => expected.kind)),
    );
  });
});
