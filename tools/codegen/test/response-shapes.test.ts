import { describe, expect, it } from 'vitest';
import { CodegenError } from '../src/errors';
import type { BundledSpec } from '../src/operations';
import { emitResponseShapes, shapeOf } from '../src/response-shapes';

function specWith(schema: object, components: Record<string, object> = {}): BundledSpec {
  return {
    paths: {
      '/cgi-bin/externalcontact/get': {
        get: {
          operationId: 'getExternalContact',
          responses: { '200': { content: { 'application/json': { schema } } } },
        } as never,
      },
    },
    components: { schemas: components },
  };
}

describe('shapeOf', () => {
  it('keeps what drift is made of, turns const into a one-value enum and maps into values', () => {
    expect(
      shapeOf(
        {
          type: 'object',
          required: ['kind'],
          description: 'dropped',
          properties: {
            kind: { type: 'string', const: 'video' },
            tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
          },
          oneOf: [{ required: ['a'] }, { required: ['b'] }],
        } as never,
        'test',
      ),
    ).toEqual({
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['video'] },
        tags: { type: 'array', items: { ref: 'Tag' } },
        counts: { type: 'object', values: { type: 'integer' } },
      },
      oneOf: [{ required: ['a'] }, { required: ['b'] }],
    });
  });

  it('refuses allOf, naming where, since drift needs one closed list of properties', () => {
    expect(() => shapeOf({ allOf: [{ type: 'object' }] } as never, 'getX/item')).toThrow(
      /getX\/item: allOf in a response schema/,
    );
  });
});

describe('emitResponseShapes', () => {
  const files = { '/cgi-bin/externalcontact/get': 'spec/paths/customers/get.yaml' };

  it('names each file and writes only the components the responses reach, transitively', () => {
    const source = emitResponseShapes(
      specWith(
        { type: 'object', properties: { contact: { $ref: '#/components/schemas/Contact' } } },
        {
          Contact: { type: 'object', properties: { tag: { $ref: '#/components/schemas/Tag' } } },
          Tag: { type: 'string' },
          Unused: { type: 'integer' },
        },
      ),
      files,
    );
    expect(source).toContain('"file":"spec/paths/customers/get.yaml"');
    expect(source).toContain('"Contact": {"file":"spec/components/schemas/Contact.yaml"');
    expect(source).toContain('"Tag": {"file":"spec/components/schemas/Tag.yaml"');
    expect(source).not.toContain('Unused');
  });

  it('fails on a path that spec/openapi.yaml does not list', () => {
    expect(() => emitResponseShapes(specWith({ type: 'object' }), {})).toThrow(CodegenError);
  });
});
