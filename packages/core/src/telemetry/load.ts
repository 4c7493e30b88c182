import type * as Otel from '@opentelemetry/api';
import { createTelemetry } from './telemetry';
import type { Telemetry } from './types';

interface NodeProcess {
  getBuiltinModule?(id: 'node:module'): typeof import('node:module');
}

/** undefined: not tried yet; null: @opentelemetry/api is not installed, or this runtime cannot load it. */
let loaded: Telemetry | null | undefined;

/**
 * The OpenTelemetry instrumentation, when the app has `@opentelemetry/api` installed; tried once
 * per process, by the first client (or proxy, or callback handler) created. The package is an
 * optional peer, so it is loaded synchronously through `createRequire` (reached through
 * `process.getBuiltinModule`, which bundlers do not follow and browsers do not have): a static or
 * dynamic `import` would fail to resolve, or make the first calls miss their spans. The API keeps
 * its registrations on `globalThis`, so the providers an app registers through its own ESM copy
 * are the ones this copy sees.
 */
export function loadTelemetry(): Telemetry | undefined {
  if (loaded === undefined) loaded = tryLoad() ?? null;
  return loaded ?? undefined;
}

function tryLoad(): Telemetry | undefined {
  try {
    const host = (globalThis as { process?: NodeProcess }).process;
    const nodeModule = host?.getBuiltinModule?.('node:module');
    if (!nodeModule) return undefined;
    return createTelemetry(nodeModule.createRequire(import.meta.url)('@opentelemetry/api') as typeof Otel);
  } catch {
    // Not installed (or not loadable here): wecom-kit runs without instrumentation, at no cost.
    return undefined;
  }
}
