import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWecomClient } from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// How a React Server Components bundler sees @wecom-kit/react-hooks: the server graph resolves the
// `react-server` condition (factories and keys, no hooks), the client graph the 'use client' build.
// Scripts run in the package's own folder, where it imports itself by name and React and TanStack
// Query resolve. Node cannot stand in for the whole server graph (a bundler keeps TanStack's
// 'use client' modules out of it; Node would evaluate them against React's server build), so the
// condition's target is resolved under react-server and then run as a server would.
const hooksPackage = join(import.meta.dirname, '../../packages/react-hooks');

const SERVER_COMPONENT = `
import { QueryClient, dehydrate } from '@tanstack/react-query';
import { createWecomClient } from '@wecom-kit/client';
const hooks = await import(process.env.SERVER_BUILD);
const wecom = createWecomClient({ corpId: process.env.CORP_ID, corpSecret: process.env.CORP_SECRET, baseUrl: process.env.BASE_URL });
const queryClient = new QueryClient();
await queryClient.prefetchQuery(hooks.getCorpTagListQueryOptions(undefined, wecom));
const [query] = dehydrate(queryClient).queries;
console.log(JSON.stringify({
  hooks: Object.keys(hooks).filter((name) => name.startsWith('use') || name === 'WecomProvider'),
  key: query.queryKey,
  groups: query.state.data.tag_group.length,
}));
`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 200 });
});
afterAll(() => sandbox?.close());

function run(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args, '--input-type=module'],
      {
        cwd: hooksPackage,
        timeout: 30_000,
        env: { ...process.env, ...env },
      },
      (_error, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });
}

describe('@wecom-kit/react-hooks in React Server Components', () => {
  it('is the options factories and keys under react-server, and they prefetch with a server client', async () => {
    const resolved = await run([
      '--conditions=react-server',
      '-e',
      "console.log(import.meta.resolve('@wecom-kit/react-hooks'))",
    ]);
    expect(resolved.stdout.trim()).toMatch(/\/packages\/react-hooks\/dist\/server\.js$/);
    const prefetch = await run(['-e', SERVER_COMPONENT], {
      SERVER_BUILD: resolved.stdout.trim(),
      CORP_ID: sandbox.corpId,
      CORP_SECRET: sandbox.corpSecret,
      BASE_URL: sandbox.url,
    });
    expect(prefetch.stderr).toBe('');
    const direct = createWecomClient({
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: sandbox.url,
    });
    const { tag_group } = await direct.call('getCorpTagList');
    expect(JSON.parse(prefetch.stdout)).toEqual({
      hooks: [],
      key: ['wecom', 'getCorpTagList', 'query', {}],
      groups: tag_group.length,
    });
  });

  it("is a 'use client' module everywhere else", async () => {
    const manifest = JSON.parse(await readFile(join(hooksPackage, 'package.json'), 'utf8'));
    const main = await readFile(join(hooksPackage, manifest.exports['.'].import), 'utf8');
    expect(main.startsWith("'use client';")).toBe(true);
    expect(main).toContain('useSuspenseInfiniteQuery');
  });
});
