// `pnpm spec:diff [base] [--json]`: see run.ts. Exit 1 on undeclared breaking changes, 2 on usage errors.
import { parseArgs } from 'node:util';
import { SpecDiffError } from './bundle';
import { runSpecDiff } from './run';

const HELP = `Usage: pnpm spec:diff [base] [--json]

Compares the bundled spec at the git ref <base> (default main) with the working tree and prints
the changes: runtime behaviour (x-wecom-*, errcode classes, the token's placement) first, then
breaking, non-breaking and documentation. Exits 1 when a breaking change reaches a package
(@wecom-kit/client, core or react-hooks) that no changeset added since <base> bumps by a major.
--json prints { base, changes, majorChangesets, gate } instead.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length > 1) {
    console.error(HELP);
    process.exitCode = 2;
    return;
  }
  const { exitCode } = await runSpecDiff({ cwd: process.cwd(), base: positionals[0], json: values.json });
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  console.error(error instanceof SpecDiffError ? `spec:diff: ${error.message}` : error);
  process.exitCode = 2;
});
