import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitHooks, hookNames } from '../src/hooks';
import { type BundledSpec, readOperations } from '../src/operations';

async function loadFixture(): Promise<BundledSpec> {
  return parse(await readFile(join(import.meta.dirname, 'fixture.yaml'), 'utf8'));
}

async function emitted(change?: (spec: BundledSpec) => void): Promise<{ source: string; exports: string[] }> {
  const spec = await loadFixture();
  change?.(spec);
  const source = emitHooks(readOperations(spec), spec);
  return {
    source,
    exports: [...source.matchAll(/^export const (\w+) = /gm)].map((match) => match[1] as string),
  };
}

function declaration(source: string, name: string): string {
  const line = source.split('\n').find((candidate) => candidate.startsWith(`export const ${name} = `));
  if (!line) throw new Error(`no export ${name}`);
  return line;
}

describe('emitHooks', () => {
  it('gives reads query options and hooks, paginated reads infinite ones, writes a mutation hook', async () => {
    const { exports } = await emitted();
    expect(exports).toEqual([
      'useAddMomentTaskMutation',
      'getGroupChatStatisticQueryOptions',
      'useGetGroupChatStatistic',
      'useSuspenseGetGroupChatStatistic',
      'getGroupChatStatisticInfiniteOptions',
      'useGetGroupChatStatisticInfinite',
      'getMomentListQueryOptions',
      'useGetMomentList',
      'useSuspenseGetMomentList',
      'getMomentListInfiniteOptions',
      'useGetMomentListInfinite',
      'useUpdateExternalContactRemarkMutation',
    ]);
  });

  it('never exposes getToken, which would hand the access token to a browser', async () => {
    const { source } = await emitted();
    expect(source).not.toMatch(/getToken|GetToken/);
  });

  it('binds each export to its runtime factory and operation, pure for tree-shaking', async () => {
    const { source } = await emitted();
    expect(declaration(source, 'getMomentListQueryOptions')).toBe(
      'export const getMomentListQueryOptions = /* @__PURE__ */ queryOptionsOf("getMomentList");',
    );
    expect(declaration(source, 'useSuspenseGetMomentList')).toContain('suspenseQueryHookOf("getMomentList")');
    expect(declaration(source, 'useGetGroupChatStatisticInfinite')).toContain(
      'infiniteQueryHookOf("getGroupChatStatistic")',
    );
  });

  it('passes x-wecom-invalidates to mutation hooks, and an empty list when there is none', async () => {
    const { source } = await emitted();
    expect(declaration(source, 'useUpdateExternalContactRemarkMutation')).toContain(
      'mutationHookOf("updateExternalContactRemark", ["batchGetByUser","getExternalContact"])',
    );
    expect(declaration(source, 'useAddMomentTaskMutation')).toContain('mutationHookOf("addMomentTask", [])');
  });

  it('documents each export with the summary, the route, invalidation and deprecation', async () => {
    const { source } = await emitted((spec) => {
      const remark = spec.paths['/cgi-bin/externalcontact/remark']?.post as { summary?: string };
      remark.summary = 'Edit a remark */ alert(1) /*';
    });
    expect(source).toContain(
      '/** Edit a remark *\\/ alert(1) /*: `POST /cgi-bin/externalcontact/remark`. On success it invalidates batchGetByUser, getExternalContact. */',
    );
    expect(source).toMatch(
      /add_moment_task`\.\n \* @deprecated\n \*\/\nexport const useAddMomentTaskMutation/,
    );
  });

  it('names exports from the operationId', () => {
    const entry = { operationId: 'listGroupChats', idempotent: true, pagination: { style: 'cursor' } };
    expect(hookNames(entry as Parameters<typeof hookNames>[0])).toEqual([
      'listGroupChatsQueryOptions',
      'useListGroupChats',
      'useSuspenseListGroupChats',
      'listGroupChatsInfiniteOptions',
      'useListGroupChatsInfinite',
    ]);
  });
});
