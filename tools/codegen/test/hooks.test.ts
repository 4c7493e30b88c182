import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitHookOptions, emitHooks, hookNames } from '../src/hooks';
import { type BundledSpec, readOperations } from '../src/operations';

async function loadFixture(): Promise<BundledSpec> {
  return parse(await readFile(join(import.meta.dirname, 'fixture.yaml'), 'utf8'));
}

async function emitted(
  change?: (spec: BundledSpec) => void,
): Promise<{ source: string; options: string; exports: string[] }> {
  const spec = await loadFixture();
  change?.(spec);
  const operations = readOperations(spec);
  const options = emitHookOptions(operations, spec);
  const source = emitHooks(operations, spec);
  const names = (text: string) =>
    [...text.matchAll(/^export const (\w+) = /gm)].map((match) => match[1] as string);
  return { source, options, exports: [...names(options), ...names(source)] };
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
      'addMomentTaskMutationOptions',
      'getExternalContactQueryOptions',
      'getGroupChatStatisticQueryOptions',
      'getGroupChatStatisticInfiniteOptions',
      'getMomentListQueryOptions',
      'getMomentListInfiniteOptions',
      'updateExternalContactRemarkMutationOptions',
      'useAddMomentTaskMutation',
      'useGetExternalContact',
      'useSuspenseGetExternalContact',
      'useGetGroupChatStatistic',
      'useSuspenseGetGroupChatStatistic',
      'useGetGroupChatStatisticInfinite',
      'useSuspenseGetGroupChatStatisticInfinite',
      'useGetMomentList',
      'useSuspenseGetMomentList',
      'useGetMomentListInfinite',
      'useSuspenseGetMomentListInfinite',
      'useUpdateExternalContactRemarkMutation',
    ]);
  });

  it('never exposes getToken, which would hand the access token to a browser', async () => {
    const { source, options } = await emitted();
    expect(source + options).not.toMatch(/getToken|GetToken/);
  });

  it('binds each factory to its operation and each hook to its factory, pure for tree-shaking', async () => {
    const { source, options } = await emitted();
    expect(declaration(options, 'getMomentListQueryOptions')).toBe(
      'export const getMomentListQueryOptions = /* @__PURE__ */ queryOptionsOf("getMomentList");',
    );
    expect(declaration(source, 'useSuspenseGetMomentList')).toBe(
      'export const useSuspenseGetMomentList = /* @__PURE__ */ suspenseQueryHookOf(getMomentListQueryOptions);',
    );
    expect(declaration(source, 'useSuspenseGetGroupChatStatisticInfinite')).toContain(
      'suspenseInfiniteQueryHookOf(getGroupChatStatisticInfiniteOptions)',
    );
    expect(options).not.toMatch(/hooks-of|react/);
  });

  it('gives each write the queries it touches: by shared input field, by held id, or all', async () => {
    const { options } = await emitted();
    expect(declaration(options, 'updateExternalContactRemarkMutationOptions')).toContain(
      'mutationOptionsOf("updateExternalContactRemark", {"getExternalContact":{"input":["external_userid"]},"getMomentList":{}})',
    );
    expect(declaration(options, 'addMomentTaskMutationOptions')).toContain(
      'mutationOptionsOf("addMomentTask", {})',
    );
    const { options: held } = await emitted((spec) => {
      const get = spec.paths['/cgi-bin/externalcontact/get']?.get as { parameters: { name: string }[] };
      get.parameters[0] = { ...get.parameters[0], name: 'id' } as { name: string };
    });
    expect(declaration(held, 'updateExternalContactRemarkMutationOptions')).toContain(
      '"getExternalContact":{"contains":["external_userid"]}',
    );
  });

  it('refuses an x-wecom-invalidates that names no operation', async () => {
    await expect(
      emitted((spec) => {
        const remark = spec.paths['/cgi-bin/externalcontact/remark']?.post as Record<string, unknown>;
        remark['x-wecom-invalidates'] = ['getExternalContacts'];
      }),
    ).rejects.toThrow('x-wecom-invalidates names "getExternalContacts", which is not an operationId');
  });

  it('documents each export with the summary, the route, invalidation and deprecation', async () => {
    const { source } = await emitted((spec) => {
      const remark = spec.paths['/cgi-bin/externalcontact/remark']?.post as { summary?: string };
      remark.summary = 'Edit a remark */ alert(1) /*';
    });
    expect(source).toContain(
      '/** Edit a remark *\\/ alert(1) /*: `POST /cgi-bin/externalcontact/remark`. On success it refreshes what it touched of getExternalContact, getMomentList. */',
    );
    expect(source).toMatch(
      /add_moment_task`\.\n \* @deprecated\n \*\/\nexport const useAddMomentTaskMutation/,
    );
  });

  it('names exports from the operationId', () => {
    const entry = { operationId: 'listGroupChats', idempotent: true, pagination: { style: 'cursor' } };
    expect(hookNames(entry as Parameters<typeof hookNames>[0])).toEqual([
      'listGroupChatsQueryOptions',
      'listGroupChatsInfiniteOptions',
      'useListGroupChats',
      'useSuspenseListGroupChats',
      'useListGroupChatsInfinite',
      'useSuspenseListGroupChatsInfinite',
    ]);
  });
});
