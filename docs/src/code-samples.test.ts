import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeSampleFor, type Spec, toTsLiteral, withCodeSamples } from './code-samples';

const getMomentList = {
  operationId: 'getMomentList',
  'x-wecom-idempotent': true,
  'x-wecom-pagination': { style: 'cursor', cursorParam: 'cursor' },
  requestBody: {
    content: {
      'application/json': {
        examples: { official: { value: { start_time: 1605000000, end_time: 1605172726, cursor: 'CURSOR' } } },
      },
    },
  },
};

describe('codeSampleFor', () => {
  it('calls a paged read with its example, pages without the cursor, and names the planned hook', () => {
    expect(codeSampleFor('post', getMomentList)).toBe(`import { createWecomClient } from '@wecom-kit/client';

const wecom = createWecomClient({ corpId, corpSecret });

const result = await wecom.call('getMomentList', {
  start_time: 1605000000,
  end_time: 1605172726,
  cursor: 'CURSOR',
});

// Every item of every page (long time ranges
// are split into the windows WeCom accepts):
for await (const item of wecom.paginate('getMomentList', {
  start_time: 1605000000,
  end_time: 1605172726,
}).items()) {
  console.log(item);
}

// React: useGetMomentList(input) is planned
// in @wecom-kit/react-hooks; today it exports
// the query keys: wecomKeys.query('getMomentList', input)
`);
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
  });

  it('shows no hook for a write', () => {
    const sample = codeSampleFor('post', {
      operationId: 'addMsgTemplate',
      'x-wecom-idempotent': false,
      requestBody: {
        content: { 'application/json': { examples: { example: { value: { sender: 'zhangsan' } } } } },
      },
    });
    expect(sample).toContain("await wecom.call('addMsgTemplate', {\n  sender: 'zhangsan',\n});");
    expect(sample).not.toContain('React');
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
  it('are valid TypeScript, one per operation, each calling its own operationId', async () => {
    const specFile = join(import.meta.dirname, '../../spec/dist/openapi.json');
    const spec = withCodeSamples(JSON.parse(await readFile(specFile, 'utf8')) as Spec);
    const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(90);
    for (const operation of operations) {
      const [sample] = operation['x-codeSamples'] ?? [];
      expect(sample?.source).toContain(`wecom.call('${operation.operationId}'`);
      const { diagnostics } = ts.transpileModule(sample?.source ?? '', {
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      expect(
        diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        operation.operationId,
      ).toEqual([]);
    }
  });
});

describe('toTsLiteral', () => {
  it('writes single-quoted strings, bare keys where allowed, nested values indented', () => {
    expect(toTsLiteral({ a: "it's", 'b-c': [1, { d: null }], e: [] })).toBe(
      "{\n  a: 'it\\'s',\n  'b-c': [\n    1,\n    {\n      d: null,\n    },\n  ],\n  e: [],\n}",
    );
  });
});
