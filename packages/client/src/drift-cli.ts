#!/usr/bin/env node
// `wecom-kit-drift [--json] [log.jsonl …]`: the spec-drift events of JSONL logs (stdin when no file
// is named), grouped by operation with the spec file to edit, as Markdown or as JSON.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { formatDriftReport, summarizeDrift } from './spec-check/report';

async function* linesOf(files: string[]): AsyncGenerator<string> {
  const sources = files.length > 0 ? files.map((file) => createReadStream(file)) : [process.stdin];
  for (const source of sources)
    yield* createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(
      `wecom-kit-drift: ${(error as Error).message}\nUsage: wecom-kit-drift [--json] [log.jsonl …]`,
    );
    process.exitCode = 2;
    return;
  }
  const report = await summarizeDrift(linesOf(parsed.positionals));
  process.stdout.write(
    parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDriftReport(report),
  );
}

function parse() {
  return parseArgs({ options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
}

main().catch((error: unknown) => {
  // An unreadable file, mostly: say which, without a stack.
  console.error(`wecom-kit-drift: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
