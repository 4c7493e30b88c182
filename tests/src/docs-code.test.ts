import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DocBlock,
  docFiles,
  extractBlocks,
  hasDiagnostics,
  locateDiagnostics,
  outputFile,
  writeProject,
} from './support/doc-blocks';

// Every TypeScript block of the README, the package READMEs and the guides, compiled strictly
// against the built packages as a consumer imports them; the ones not marked `compile-only` also
// run against a sandbox, with the sandbox in the environment variables the blocks read.
const repoRoot = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const blocks = extractBlocks(repoRoot, docFiles(repoRoot));
const project = mkdtempSync(join(tmpdir(), 'wecom-kit-doc-blocks-'));
let sandbox: Sandbox;
/** tsc's output as it printed it, and with the docs' files and lines. */
let tscOutput = '';
let compileOutput = '';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 200 });
  writeProject(repoRoot, project, blocks);
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', project], { cwd: project });
  } catch (error) {
    tscOutput = String((error as { stdout?: string }).stdout ?? error);
    compileOutput = locateDiagnostics(tscOutput, blocks);
  }
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(project, { recursive: true, force: true });
});

function runBlock(block: DocBlock, env: Record<string, string>) {
  return run(process.execPath, [outputFile(project, block)], {
    cwd: project,
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

const sandboxEnv = () => ({
  WECOM_CORP_ID: sandbox.corpId,
  WECOM_SECRET: sandbox.corpSecret,
  WECOM_BASE_URL: sandbox.url,
});

/** A port nothing listens on: bound, read and released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the code blocks of the docs', () => {
  it('are found in the README, every package README and the guides', () => {
    const files = new Set(blocks.map((block) => block.file));
    expect(files).toContain('README.md');
    expect(files).toContain('packages/client/README.md');
    expect([...files].filter((file) => file.startsWith('docs/guides/')).length).toBeGreaterThan(3);
  });

  it('type-check under strict tsc against the built packages', () => {
    expect(compileOutput, 'tsc errors, located in the docs').toBe('');
  });

  it.each(blocks.filter((block) => !block.compileOnly).map((block) => [block.where, block] as const))(
    '%s runs against the sandbox',
    async (_where, block) => {
      expect(hasDiagnostics(tscOutput, block), 'the block compiles').toBe(false);
      const result = await runBlock(block, sandboxEnv());
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    90_000,
  );
});

describe("the README's example, with what a new user meets first", () => {
  const readme = () => {
    const block = blocks.find((candidate) => candidate.file === 'README.md');
    if (!block) throw new Error('README.md has no TypeScript block');
    return block;
  };

  it('says that the secret was refused, naming corpSecret, and exits 1', async () => {
    const result = await runBlock(readme(), { ...sandboxEnv(), WECOM_SECRET: 'a-wrong-secret' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/corpSecret was refused/);
    expect(result.stderr).not.toContain('a-wrong-secret');
  });

  it('says that the secret is not set, naming corpSecret, and exits 1', async () => {
    const result = await runBlock(readme(), { ...sandboxEnv(), WECOM_SECRET: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/corpSecret is empty next to corpId/);
  });

  it('says that WeCom could not be reached, and exits 1', async () => {
    const result = await runBlock(readme(), {
      ...sandboxEnv(),
      WECOM_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach WeCom/i);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
  });
});
