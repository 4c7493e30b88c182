import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMajorChangesets } from '../src/changesets';

async function changesetDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spec-diff-changesets-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('findMajorChangesets', () => {
  it('finds changesets that bump @wecom-kit/client by a major', async () => {
    const dir = await changesetDir({
      'README.md': '---\n"@wecom-kit/client": major\n---\nnot a changeset',
      'brave-cats.md':
        "---\n'@wecom-kit/client': major\n'@wecom-kit/core': patch\n---\n\nRename getMomentList.\n",
      'quiet-dogs.md': '---\n"@wecom-kit/client": minor\n---\n\nAdd getMomentTask.\n',
      'config.json': '{}',
    });
    expect(await findMajorChangesets(dir)).toEqual(['brave-cats.md']);
  });

  it('ignores a major bump of another package, empty changesets and a missing folder', async () => {
    const dir = await changesetDir({
      'a.md': '---\n"@wecom-kit/core": major\n---\n\nx\n',
      'b.md': '---\n---\n\nnothing\n',
    });
    expect(await findMajorChangesets(dir)).toEqual([]);
    expect(await findMajorChangesets(join(dir, 'missing'))).toEqual([]);
  });
});
