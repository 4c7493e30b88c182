// The rules of plugins/wecom.mjs, run by the real Redocly CLI on a copy of the spec with three
// mistakes in it: each must be reported at its file, and nothing else.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const specDir = join(import.meta.dirname, '..');
const redocly = join(specDir, '../node_modules/.bin/redocly');

async function replace(dir: string, file: string, from: string, to: string): Promise<void> {
  const text = await readFile(join(dir, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(join(dir, file), text.replace(from, to));
}

interface Problem {
  ruleId: string;
  message: string;
  location: { source: { ref: string } }[];
}

describe('the wecom lint rules', () => {
  it('report pagination fields that name no real field, and a token moved out of the query', {
    timeout: 120_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spec-lint-'));
    try {
      await cp(specDir, dir, {
        recursive: true,
        filter: (source) => !/[/\\](node_modules|dist|test)$/.test(source),
      });
      await replace(
        dir,
        'paths/moments/get_moment_list.yaml',
        'itemsField: moment_list',
        'itemsField: moments',
      );
      await replace(dir, 'paths/customers/get.yaml', 'cursorParam: cursor', 'cursorParam: page_cursor');
      await replace(
        dir,
        'openapi.yaml',
        '      in: query\n      name: access_token',
        '      in: header\n      name: access_token',
      );
      const output = await promisify(execFile)(
        redocly,
        ['lint', 'openapi.yaml', '--config', 'redocly.yaml', '--format', 'json'],
        {
          cwd: dir,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 16 * 1024 * 1024,
        },
      ).then(
        () => ({ stdout: '{"problems":[]}' }),
        (error: { stdout: string }) => error,
      );
      const { problems } = JSON.parse(output.stdout) as { problems: Problem[] };
      const found = problems.map((problem) => ({
        rule: problem.ruleId,
        file: problem.location[0]?.source.ref.replace(`${dir}/`, ''),
        message: problem.message,
      }));
      expect(found).toEqual(
        expect.arrayContaining([
          {
            rule: 'wecom/pagination-fields',
            file: 'paths/moments/get_moment_list.yaml',
            message: 'x-wecom-pagination.itemsField is "moments", which is not a field of the 200 response.',
          },
          {
            rule: 'wecom/pagination-fields',
            file: 'paths/customers/get.yaml',
            message:
              'x-wecom-pagination.cursorParam is "page_cursor", which is neither a query parameter nor a request body field of this operation.',
          },
          {
            rule: 'wecom/token-placement',
            file: 'openapi.yaml',
            message:
              'The token\'s placement is fixed by core (packages/core/src/attempt.ts): in must be "query", not "header".',
          },
        ]),
      );
      expect(found).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
