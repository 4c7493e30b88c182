import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's two commands are the first thing a new user runs, and .ci/run is how CI proves
// them; on a machine whose npm says yes=false and whose npx cache is empty, only `npx --yes` works.
const repoRoot = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const rootManifest = JSON.parse(read('package.json')) as {
  packageManager: string;
  engines: { node: string };
};
const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');
const pnpm = `npx --yes pnpm@${pnpmVersion}`;
const readme = read('README.md');
const ciRun = read('.ci/run');

function twoCommands(): string[] {
  const section = readme.split('## Two commands')[1]?.split('\n## ')[0] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe("the README's two commands and .ci/run", () => {
  it('install and then start or test with npx --yes and the pnpm of packageManager', () => {
    expect(pnpmVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(twoCommands()).toEqual([
      `${pnpm} install --frozen-lockfile && ${pnpm} start`,
      `${pnpm} install --frozen-lockfile && ${pnpm} test`,
    ]);
  });

  it(".ci/run runs the README's test command verbatim", () => {
    const [, testCommand] = twoCommands();
    expect(ciRun).toContain(`bash -c '${testCommand}'`);
  });

  it('name no other pnpm version, and never npx without --yes', () => {
    const docs = [readme, ciRun, read('.github/workflows/ci.yml')].join('\n');
    for (const [, version] of docs.matchAll(/pnpm@([\w.-]+)/g)) expect(version).toBe(pnpmVersion);
    expect(docs).not.toMatch(/npx (?!--yes )[\w@]*pnpm/);
  });

  it('say once how to get a pnpm, and the guides use that pnpm', () => {
    expect(
      readme.match(new RegExp(`npm install -g pnpm@${pnpmVersion.replace(/\./g, '\\.')}`, 'g')),
    ).toHaveLength(1);
    const guides = readdirSync(join(repoRoot, 'docs/guides')).map((name) => read(`docs/guides/${name}`));
    for (const guide of guides) expect(guide).not.toMatch(/npx (--yes )?pnpm|corepack pnpm/);
  });
});

describe('a first install prints no warning a user must learn to ignore', () => {
  it('the wecom-sandbox bin is a committed file, so pnpm can link it before anything is built', () => {
    const manifest = JSON.parse(read('packages/sandbox/package.json')) as {
      bin: Record<string, string>;
      files: string[];
    };
    const bin = manifest.bin['wecom-sandbox'] ?? '';
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', join('packages/sandbox', bin)], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(tracked.trim()).toBe('packages/sandbox/bin/wecom-sandbox.js');
    expect(manifest.files).toContain('bin');
  });

  it('every package states the same supported Node lines: 20.19+, 22.12+ and 24+', () => {
    expect(rootManifest.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
    for (const name of ['core', 'client', 'react-hooks', 'sandbox']) {
      const manifest = JSON.parse(read(`packages/${name}/package.json`)) as { engines: { node: string } };
      expect(manifest.engines.node, name).toBe(rootManifest.engines.node);
    }
  });
});
