import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeSampleFor, type Spec, toTsLiteral, withCodeSamples } from './code-samples';

const getMomentList = {
  operationId: 'getMomentList',
  'x-wecom-idempotent': true,
  'x-wecom-pagination': { style: 'cursor', cursorParam: 'cursor' },
  'x-wecom-window': { maxDays: 30 },
  requestBody: {
    content: {
      'application/json': {
        examples: { official: { value: { start_time: 1605000000, end_time: 1605172726, cursor: 'CURSOR' } } },
      },
    },
  },
};

describe('codeSampleFor', () => {
  it('calls a windowed paged read with its example, pages without the cursor, and shows its hooks', () => {
    expect(codeSampleFor('post', getMomentList)).toBe(`import { createWecomClient } from '@wecom-kit/client';

const wecom = createWecomClient({
  corpId: process.env.WECOM_CORP_ID,
  corpSecret: process.env.WECOM_SECRET,
});

const result = await wecom.call('getMomentList', {
  start_time: 1605000000,
  end_time: 1605172726,
  cursor: 'CURSOR',
});

// Every item of every page; a range over 30 days is
// split into 30-day windows, newest first:
for await (const item of wecom.paginate('getMomentList', {
  start_time: 1605000000,
  end_time: 1605172726,
}).items()) {
  console.log(item);
}

// React (@wecom-kit/react-hooks, in a component
// under <WecomProvider>, through your proxy):
// const { data, error } = useGetMomentList(input);
// const pages = useGetMomentListInfinite(input); // "load more"
`);
  });

  it('says nothing about windows for a list without a time window', () => {
    const { 'x-wecom-window': _window, ...unwindowed } = getMomentList;
    const sample = codeSampleFor('post', { ...unwindowed, operationId: 'batchGetByUser' });
    expect(sample).toContain('// Every item of every page:\n');
    expect(sample).not.toMatch(/window/i);
  });

  it('builds a GET input from the parameters, with a placeholder for a required one without example', () => {
    const sample = codeSampleFor('get', {
      operationId: 'getToken',
      security: [],
      'x-wecom-idempotent': true,
      'x-wecom-pagination': { style: 'none' },
      parameters: [
        { name: 'corpid', in: 'query', required: true, schema: { examples: ['ww1234567890abcdef'] } },
        { name: 'corpsecret', in: 'query', required: true },
      ],
    });
    expect(sample).toContain(
      "await wecom.call('getToken', {\n  corpid: 'ww1234567890abcdef',\n  corpsecret: '<corpsecret>',\n});",
    );
    expect(sample).toContain('// The client gets and refreshes tokens itself;');
    expect(sample).not.toContain('paginate');
    expect(sample).not.toContain('React');
  });

  it('shows the mutation hook for a write', () => {
    const sample = codeSampleFor('post', {
      operationId: 'addMsgTemplate',
      'x-wecom-idempotent': false,
      requestBody: {
        content: { 'application/json': { examples: { example: { value: { sender: 'zhangsan' } } } } },
      },
    });
    expect(sample).toContain("await wecom.call('addMsgTemplate', {\n  sender: 'zhangsan',\n});");
    expect(sample).toContain('// const { mutate } = useAddMsgTemplateMutation();');
    expect(sample).not.toContain('paginate');
  });
});

describe('withCodeSamples', () => {
  it('adds one TypeScript sample to every operation and leaves the input alone', () => {
    const spec: Spec = { paths: { '/cgi-bin/externalcontact/get_moment_list': { post: getMomentList } } };
    const result = withCodeSamples(spec);
    expect(result.paths['/cgi-bin/externalcontact/get_moment_list']?.post?.['x-codeSamples']).toEqual([
      { lang: 'TypeScript', label: 'wecom-kit', source: codeSampleFor('post', getMomentList) },
    ]);
    expect(spec.paths['/cgi-bin/externalcontact/get_moment_list']?.post?.['x-codeSamples']).toBeUndefined();
    expect(withCodeSamples(spec)).toEqual(result);
  });
});

describe('the samples of the real spec', () => {
  it('are valid TypeScript, one per operation, each calling its own operationId with its real hooks', async () => {
    const specFile = join(import.meta.dirname, '../../spec/dist/openapi.json');
    const spec = withCodeSamples(JSON.parse(await readFile(specFile, 'utf8')) as Spec);
    const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(90);
    const hooks = await readFile(
      join(import.meta.dirname, '../../packages/react-hooks/src/generated/hooks.ts'),
      'utf8',
    );
    for (const operation of operations) {
      const [sample] = operation['x-codeSamples'] ?? [];
      expect(sample?.source).toContain(`wecom.call('${operation.operationId}'`);
      // The hooks a sample shows are the ones @wecom-kit/react-hooks exports; the window note only
      // comes with paginate over an operation that has a time window (call does not split).
      for (const [, hook] of sample?.source.matchAll(/\b(use\w+)\(/g) ?? []) {
        expect(hooks, `${operation.operationId}: ${hook}`).toContain(`export const ${hook} =`);
      }
      const pages = sample?.source.includes('wecom.paginate(') ?? false;
      expect(/windows/.test(sample?.source ?? ''), operation.operationId).toBe(
        pages && 'x-wecom-window' in operation,
      );
      const { diagnostics } = ts.transpileModule(sample?.source ?? '', {
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      expect(
        diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        operation.operationId,
      ).toEqual([]);
    }
  }, 30_000);
});

describe('toTsLiteral', () => {
  it('writes single-quoted strings, bare keys where allowed, nested values indented', () => {
    expect(toTsLiteral({ a: "it's", 'b-c': [1, { d: null }], e: [] })).toBe(
      "{\n  a: 'it\\'s',\n  'b-c': [\n    1,\n    {\n      d: null,\n    },\n  ],\n  e: [],\n}",
    );
  });
});
