import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type CallbackSpec, emitCallbackEvents } from '../src/callbacks';

// The bundled real spec: its webhooks point at Callback* schemas built with allOf.
// biome-ignore lint/suspicious/noExplicitAny: the tests edit deep inside the untyped schemas
type Editable = CallbackSpec & { components: { schemas: Record<string, any> } };

async function realSpec(): Promise<Editable> {
  return JSON.parse(await readFile(join(import.meta.dirname, '../../../spec/dist/openapi.json'), 'utf8'));
}

// The few global types the check needs: loading TypeScript's full lib takes seconds.
const LIB = `interface Array<T> { length: number } interface Boolean {} interface Function {} interface IArguments {}
interface Number { toFixed(digits?: number): string } interface Object {} interface RegExp {}
interface String { toUpperCase(): string; toLowerCase(): string } interface CallableFunction {}
interface NewableFunction {} type Record<K extends keyof any, T> = { [P in K]: T };`;

/** Type-checks `handler` against the emitted module, as a consumer's tsc would. */
function typeErrors(generated: string, handler: string): string[] {
  const files: Record<string, string> = { '/lib.d.ts': LIB, '/events.ts': generated, '/handler.ts': handler };
  const options: ts.CompilerOptions = { strict: true, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? read(name);
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) =>
    name in files ? ts.createSourceFile(name, files[name] as string, version) : getSourceFile(name, version);
  const program = ts.createProgram(['/lib.d.ts', '/handler.ts'], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const HANDLER = `import type { CustomerContactEventMap } from './events';
export function onAdd(event: CustomerContactEventMap['addExternalContact']): string {
  return event.WelcomeCode?.toUpperCase() ?? event.ExternalUserID.toLowerCase();
}
`;

describe('emitCallbackEvents', () => {
  it('turns allOf into extends, keeps inherited requirements, and fixes Event and ChangeType', async () => {
    const source = emitCallbackEvents(await realSpec());
    expect(source).toContain(
      'export interface CallbackAddExternalContact extends CallbackExternalContactBase {',
    );
    expect(source).toContain("  ChangeType: 'add_external_contact';\n");
    expect(source).toContain('  WelcomeCode?: string;\n');
    expect(source).toContain('  MemChangeList?: string[];\n');
    expect(source).toContain(
      '  transferFail: {"event":"change_external_contact","changeType":"transfer_fail","required":["UserID","ExternalUserID","FailReason"]},',
    );
    expect(typeErrors(source, HANDLER)).toEqual([]);
  });

  it('retypes a payload field with the spec, so a handler reading it the old way stops compiling', async () => {
    const spec = await realSpec();
    spec.components.schemas.CallbackAddExternalContact.allOf[1].properties.WelcomeCode.type = 'integer';
    const source = emitCallbackEvents(spec);
    expect(source).toContain('  WelcomeCode?: number;\n');
    expect(typeErrors(source, HANDLER)).toEqual(["Property 'toUpperCase' does not exist on type 'number'."]);
  });

  it('types command callbacks by InfoType, apart from the events', async () => {
    const source = emitCallbackEvents(await realSpec());
    expect(source).toContain('export interface CallbackCreateAuth extends CallbackCommandBase {');
    expect(source).toContain("  InfoType: 'create_auth';\n");
    expect(source).toContain('  cancelAuth: {"infoType":"cancel_auth","required":["AuthCorpId"]},');
    const handler = `import type { CommandCallbackMap } from './events';
export function onCancel(event: CommandCallbackMap['cancelAuth']): string {
  return event.AuthCorpId.toLowerCase() + event.SuiteId.toUpperCase();
}
// @ts-expect-error a command callback is not a customer-contact event
export const wrong: CommandCallbackMap['cancelAuth'] = { Event: 'change_external_contact' };
`;
    expect(typeErrors(source, handler)).toEqual([]);
  });

  it('refuses a callback kind it does not know', async () => {
    const spec = await realSpec();
    const post = spec.webhooks?.suiteTicket?.post as { 'x-wecom-callback-kind'?: string };
    post['x-wecom-callback-kind'] = 'data';
    expect(() => emitCallbackEvents(spec)).toThrow(
      'webhook suiteTicket: x-wecom-callback-kind must be "command"',
    );
  });

  it('names the webhook whose schema is not a reference', async () => {
    const spec = await realSpec();
    const content = spec.webhooks?.transferFail?.post?.requestBody?.content ?? {};
    for (const media of Object.values(content)) media.schema = { type: 'object' };
    expect(() => emitCallbackEvents(spec)).toThrow(
      'webhook transferFail: its request body schema must be a $ref',
    );
  });
});
