import { describe, expect, it } from 'vitest';
import { emitSchemaTypes } from '../src/emit';
import { CodegenError } from '../src/errors';
import type { BundledSpec } from '../src/operations';
import { withRequiredGroupsAsUnions } from '../src/required-groups';

const tagInput = {
  type: 'object',
  description: 'Tag or untag.',
  required: ['userid'],
  properties: {
    userid: { type: 'string' },
    add_tag: { type: 'array', items: { type: 'string' } },
    remove_tag: { type: 'array', items: { type: 'string' } },
  },
  anyOf: [{ required: ['add_tag'] }, { required: ['remove_tag'] }],
};

function specWith(schema: object): BundledSpec {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas: { Input: schema } },
  } as BundledSpec;
}

describe('required groups', () => {
  it('type as a union of objects that each require their group', async () => {
    const types = await emitSchemaTypes(specWith(tagInput));
    expect(types).not.toContain('unknown');
    const union = types.slice(types.indexOf('Input:'), types.indexOf('responses:'));
    expect(union.replace(/\s+/g, ' ')).toContain(
      '{ add_tag: string[]; remove_tag?: string[]; userid: string; } | { add_tag?: string[]; remove_tag: string[]; userid: string; }',
    );
  });

  it('leave the spec itself as written', () => {
    const spec = specWith(tagInput);
    withRequiredGroupsAsUnions(spec);
    expect(spec.components?.schemas?.Input).toEqual(tagInput);
  });

  it('treat oneOf the same way', async () => {
    const types = await emitSchemaTypes(specWith({ ...tagInput, anyOf: undefined, oneOf: tagInput.anyOf }));
    expect(types).not.toContain('unknown');
  });

  it('name a required field that has no property', () => {
    const spec = specWith({ ...tagInput, anyOf: [{ required: ['add_tags'] }] });
    expect(() => withRequiredGroupsAsUnions(spec)).toThrow(CodegenError);
    expect(() => withRequiredGroupsAsUnions(spec)).toThrow(
      '#/components/schemas/Input: anyOf requires "add_tags", which is not among its properties',
    );
  });
});
