import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CLIENT_PACKAGE = '@wecom-kit/client';

/**
 * The pending changesets (`.changeset/*.md`, not yet consumed by `changeset version`) that
 * declare a major bump for `packageName`: the reviewer's acknowledgement of a breaking change.
 */
export async function findMajorChangesets(
  changesetDir: string,
  packageName = CLIENT_PACKAGE,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(changesetDir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names.filter((file) => file.endsWith('.md') && file !== 'README.md').sort()) {
    const bumps = frontMatterOf(await readFile(join(changesetDir, name), 'utf8'));
    if (bumps?.[packageName] === 'major') found.push(name);
  }
  return found;
}

function frontMatterOf(text: string): Record<string, unknown> | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) return undefined;
  try {
    const value = parse(match[1] ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
