import { type FieldRule, inputConstraints, type OperationSpec } from '@wecom-kit/client';
// The integration tests build valid inputs the same way; one generator serves both.
import { sampleValue } from '../../../tests/src/support/sample-input';

/**
 * A TypeScript file that calls `count` different operations through `call()` with inputs that
 * satisfy their documented constraints, and reads each result, as an application would.
 */
export function consumerSource(operations: Readonly<Record<string, OperationSpec>>, count: number): string {
  const chosen = Object.keys(operations)
    .filter((operationId) => operations[operationId]?.token === undefined)
    .sort()
    .slice(0, count);
  const calls = chosen.map((operationId, index) => {
    const input = JSON.stringify(sampleValue(inputConstraints[operationId] as FieldRule));
    return `  const result${index} = await wecom.call('${operationId}', ${input});\n  seen.push(result${index}.errcode);`;
  });
  return [
    "import { createWecomClient } from '@wecom-kit/client';",
    '',
    "const wecom = createWecomClient({ corpId: 'ww0000', corpSecret: 'secret' });",
    'export async function main(seen: number[]): Promise<void> {',
    ...calls,
    '}',
    '',
  ].join('\n');
}

export function consumerOperationCount(source: string): number {
  return source.match(/wecom\.call\(/g)?.length ?? 0;
}
