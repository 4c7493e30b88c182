import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../..');
const packages = ['core', 'client', 'sandbox'];
const workDir = mkdtempSync(join(tmpdir(), 'wecom-kit-consumer-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const CONSUMER_SOURCE = `
import { createWecomClient, WecomError } from '@wecom-kit/client';
import { startSandbox } from '@wecom-kit/sandbox';

const sandbox = await startSandbox({ port: 0, scale: 200 });
try {
  const wecom = createWecomClient({ corpId: sandbox.corpId, corpSecret: sandbox.corpSecret, baseUrl: sandbox.url });
  const { follow_user } = await wecom.call('getFollowUserList');
  const now = Math.floor(Date.now() / 1000);
  let moments = 0;
  for await (const moment of wecom.paginate('getMomentList', { start_time: now - 60 * 86400, end_time: now }).items()) {
    const id: string = moment.moment_id;
    if (id) moments += 1;
  }
  const failure = await wecom.call('getExternalContact', { external_userid: 'wmNobody' }).catch((error: unknown) => error);
  const errcode = failure instanceof WecomError ? failure.errcode : 'none';
  console.log(JSON.stringify({ members: follow_user.length, moments, errcode }));
} finally {
  await sandbox.close();
}
`;

describe('a new user installing the packed packages with npm', () => {
  it('type-checks and runs a short script against the sandbox', { timeout: 180_000 }, () => {
    const tarballs = join(workDir, 'tarballs');
    for (const name of packages) {
      execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: join(repoRoot, 'packages', name),
        stdio: 'pipe',
      });
    }
    const project = join(workDir, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '@types/node@20', ...files],
      { cwd: project, stdio: 'pipe' },
    );

    writeFileSync(join(project, 'main.ts'), CONSUMER_SOURCE);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          skipLibCheck: false,
          lib: ['ES2022', 'DOM'],
        },
        files: ['main.ts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    execFileSync('node', [tsc, '-p', project], { cwd: project, stdio: 'pipe' });
    const output = execFileSync('node', ['out/main.js'], { cwd: project, encoding: 'utf8' });
    const result = JSON.parse(output.trim());
    expect(result.members).toBeGreaterThan(0);
    expect(result.moments).toBeGreaterThan(0);
    expect(result.errcode).toBe(40096);
  });
});
