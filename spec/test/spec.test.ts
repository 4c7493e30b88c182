import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const specDir = join(import.meta.dirname, '..');
const bundledPath = join(specDir, 'dist/openapi.json');
const officialDir = join(specDir, 'examples/official');
const sharedExamplesDir = join(specDir, '../../shared/reference/examples');

interface Operation {
  operationId: string;
  deprecated?: boolean;
  requestBody?: {
    content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }>;
  };
  responses: Record<
    string,
    { content?: Record<string, { schema: object; examples?: Record<string, unknown> }> }
  >;
}

const spec = JSON.parse(readFileSync(bundledPath, 'utf8'));
const operations: { method: string; path: string; op: Operation }[] = Object.entries(
  spec.paths as Record<string, Record<string, Operation>>,
).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => method === 'get' || method === 'post')
    .map(([method, op]) => ({ method, path, op })),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: 'spec' });
const schemaRef = (pointer: string) => ({ $ref: `spec#${pointer}` });
const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** `externalcontact_batch_get_by_user` for /cgi-bin/externalcontact/batch/get_by_user. */
const exampleStem = (path: string) => path.replace(/^\/cgi-bin\//, '').replaceAll('/', '_');

describe('the bundled spec', () => {
  it('covers gettoken, every customer-contact endpoint and the service-provider ones: at least 92 operations', () => {
    expect(operations.length).toBeGreaterThanOrEqual(92);
    expect(operations.map(({ path }) => path)).toContain('/cgi-bin/gettoken');
    for (const { path } of operations) {
      expect(path).toMatch(/^\/cgi-bin\/(gettoken$|externalcontact\/|service\/)/);
    }
  });

  it('gives each operation the token its path takes: none for the fetches, suite or provider tokens under /service/', () => {
    const schemes = (op: Operation & { security?: Record<string, unknown>[] }) =>
      (op.security ?? spec.security).flatMap((requirement: Record<string, unknown>) =>
        Object.keys(requirement),
      );
    const byPath = Object.fromEntries(operations.map(({ path, op }) => [path, schemes(op)]));
    expect(byPath['/cgi-bin/gettoken']).toEqual([]);
    expect(byPath['/cgi-bin/service/get_suite_token']).toEqual([]);
    expect(byPath['/cgi-bin/service/get_provider_token']).toEqual([]);
    expect(byPath['/cgi-bin/service/get_corp_token']).toEqual(['suiteAccessToken']);
    expect(byPath['/cgi-bin/service/externalcontact/unionid_to_external_userid_3rd']).toEqual([
      'suiteAccessToken',
    ]);
    expect(byPath['/cgi-bin/service/corpid_to_opencorpid']).toEqual(['providerAccessToken']);
    expect(byPath['/cgi-bin/service/externalcontact/finish_external_userid_migration']).toEqual([
      'providerAccessToken',
    ]);
    for (const [path, names] of Object.entries(byPath)) {
      if (path.startsWith('/cgi-bin/externalcontact/')) expect(names, path).toEqual(['accessToken']);
    }
  });

  it('has unique camelCase operationIds, including the fixed public ones', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(ids).toEqual(
      expect.arrayContaining([
        'getToken',
        'getMomentList',
        'getMomentTask',
        'getMomentCustomerList',
        'getMomentSendResult',
        'getMomentComments',
        'getExternalContact',
        'batchGetByUser',
        'addMsgTemplate',
      ]),
    );
  });

  it.each(operations)(
    '$method $path has a request example (with a body) and a response example',
    ({ op }) => {
      const body = op.requestBody?.content['application/json'];
      if (body) expect(Object.keys(body.examples ?? {}).length).toBeGreaterThan(0);
      const success = op.responses['200']?.content?.['application/json'];
      expect(Object.keys(success?.examples ?? {}).length).toBeGreaterThan(0);
    },
  );

  it('keeps the deprecated transfer endpoint, pointing to its replacement', () => {
    const legacy = operations.find(({ path }) => path === '/cgi-bin/externalcontact/transfer');
    expect(legacy?.op.deprecated).toBe(true);
  });
});

describe('official example bodies', () => {
  const files = readdirSync(officialDir).filter((file) => file.endsWith('.json'));

  it('include every body of the shared reference set', () => {
    expect(files.length).toBeGreaterThanOrEqual(120);
    if (existsSync(sharedExamplesDir)) {
      const shared = readdirSync(sharedExamplesDir).filter((file) => file.endsWith('.json'));
      expect(files).toEqual(expect.arrayContaining(shared));
    }
  });

  it.each(files)('%s validates against its operation schema', (file) => {
    const [stem, kind] = file.split('.') as [string, 'request' | 'response'];
    const match = operations.find(({ path }) => exampleStem(path) === stem);
    expect(match, `no operation for ${stem}`).toBeDefined();
    const { method, path } = match as (typeof operations)[number];
    const base = `/paths/${escapePointer(path)}/${method}`;
    const pointer =
      kind === 'request'
        ? `${base}/requestBody/content/application~1json/schema`
        : `${base}/responses/200/content/application~1json/schema`;
    const validate = ajv.compile(schemaRef(pointer));
    const body = JSON.parse(readFileSync(join(officialDir, file), 'utf8'));
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  });
});
