// Lints the operations of one folder under paths/ in isolation, while other folders are still
// being written: `node scripts/lint-group.mjs moments`. Writes a temporary root next to
// openapi.yaml (so relative $refs resolve) and removes it afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const group = process.argv[2];
if (!group) {
  console.error('usage: node scripts/lint-group.mjs <folder under paths/>');
  process.exit(2);
}
const root = readFileSync(join(specDir, 'openapi.yaml'), 'utf8')
  .split('\n')
  .filter((line) => !line.includes('$ref: paths/') || line.includes(`$ref: paths/${group}/`))
  .filter(
    (line) => existsSync(join(specDir, 'errcodes.yaml')) || !/x-wecom-errcodes|errcodes\.yaml/.test(line),
  )
  .join('\n');
const tempRoot = join(specDir, `.lint-${group}.yaml`);
writeFileSync(tempRoot, root);
try {
  execFileSync('redocly', ['lint', tempRoot, '--config', join(specDir, 'redocly.yaml')], {
    stdio: 'inherit',
  });
} catch {
  process.exitCode = 1;
} finally {
  rmSync(tempRoot);
}
