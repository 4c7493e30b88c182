import { describe, expect, it } from 'vitest';
import { offlineRedoc } from './portal';
import { splitReference } from './reference-split';

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

describe('splitReference', () => {
  const operation = (operationId: string, tag: string) => ({ operationId, tags: [tag], summary: 'x' });
  const spec = {
    info: { title: 'T', description: 'Overview' },
    tags: [{ name: 'Access token' }, { name: 'Corp tags' }],
    'x-tagGroups': [
      { name: 'Auth', tags: ['Access token'] },
      { name: 'Tags & rules', tags: ['Corp tags'] },
    ],
    'x-wecom-errcodes': [{ code: 1 }],
    paths: {
      '/gettoken': { get: operation('getAccessToken', 'Access token') },
      '/add_corp_tag': { post: operation('addCorpTag', 'Corp tags') },
    },
    webhooks: { tagCreated: { post: operation('tagCreatedEvent', 'Corp tags') } },
  };

  it('makes one page per tag group, the first at index.html with the overview', () => {
    const [auth, tags] = splitReference(spec);
    expect(auth).toMatchObject({
      file: 'index.html',
      name: 'Auth',
      spec: { info: { description: 'Overview' } },
    });
    expect(Object.keys(auth?.spec.paths ?? {})).toEqual(['/gettoken']);
    expect(auth?.spec.webhooks).toBeUndefined();
    expect(tags?.file).toBe('tags-rules.html');
    expect(tags?.spec.info).toEqual({ title: 'T', description: undefined });
    expect(Object.keys(tags?.spec.paths ?? {})).toEqual(['/add_corp_tag']);
    expect(Object.keys((tags?.spec.webhooks as object) ?? {})).toEqual(['tagCreated']);
    expect(tags?.spec['x-wecom-errcodes']).toBeUndefined();
  });

  it('keeps on each page only the components its operations reach, and every security scheme', () => {
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const withComponents = {
      ...spec,
      paths: {
        '/gettoken': {
          get: { ...operation('getAccessToken', 'Access token'), responses: { 200: ref('Token') } },
        },
        '/add_corp_tag': { post: { ...operation('addCorpTag', 'Corp tags'), 'x-body': ref('TagInput') } },
      },
      components: {
        securitySchemes: { accessToken: { type: 'apiKey' } },
        schemas: {
          Token: { type: 'object' },
          TagInput: { type: 'object', properties: { group: ref('TagGroup') } },
          TagGroup: { type: 'object' },
          Unused: { type: 'object' },
        },
        parameters: { Cursor: { name: 'cursor' } },
      },
    };
    const [auth, tags] = splitReference(withComponents);
    expect(auth?.spec.components).toEqual({
      securitySchemes: { accessToken: { type: 'apiKey' } },
      schemas: { Token: { type: 'object' } },
    });
    const tagComponents = tags?.spec.components as { schemas: object } | undefined;
    expect(Object.keys(tagComponents?.schemas ?? {}).sort()).toEqual(['TagGroup', 'TagInput']);
  });

  it('refuses an operation whose tag is in no group, rather than leave it out of the reference', () => {
    const orphan = { ...spec, paths: { ...spec.paths, '/x': { post: operation('lost', 'Nowhere') } } };
    expect(() => splitReference(orphan)).toThrow(/^lost: the first tag of each operation/);
  });
});
