import { type CallbackSpec, emitCallbackEvents } from './callbacks';
import {
  emitErrcodeCatalog,
  emitErrcodeClasses,
  emitInputConstraints,
  emitOperationTable,
  emitSchemaTypes,
} from './emit';
import { emitHookOptions, emitHooks } from './hooks';
import { type BundledSpec, readOperations } from './operations';
import { emitResponseShapes, type PathFiles } from './response-shapes';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/**
 * Every generated file for a bundled spec and the files its paths come from. Pure: the same
 * input always gives the same bytes.
 */
export async function generate(spec: BundledSpec, pathFiles: PathFiles): Promise<GeneratedFile[]> {
  const operations = readOperations(spec);
  return [
    { path: 'packages/client/src/generated/schema.ts', content: await emitSchemaTypes(spec) },
    { path: 'packages/client/src/generated/operations.ts', content: emitOperationTable(operations) },
    { path: 'packages/client/src/generated/constraints.ts', content: emitInputConstraints(operations) },
    {
      path: 'packages/client/src/generated/response-shapes.ts',
      content: emitResponseShapes(spec, pathFiles),
    },
    { path: 'packages/core/src/generated/errcodes.ts', content: emitErrcodeCatalog(spec) },
    { path: 'packages/core/src/generated/errcode-classes.ts', content: emitErrcodeClasses(spec) },
    {
      path: 'packages/core/src/generated/callback-events.ts',
      content: emitCallbackEvents(spec as CallbackSpec),
    },
    { path: 'packages/react-hooks/src/generated/options.ts', content: emitHookOptions(operations, spec) },
    { path: 'packages/react-hooks/src/generated/hooks.ts', content: emitHooks(operations, spec) },
  ];
}
