import { createTransport } from '@wecom-kit/core';
import { loadTelemetry } from '@wecom-kit/core/internal';
import { createClient, type WecomClient, type WecomClientOptions } from './client';
import { withSpecCheck } from './spec-check/spec-check';
import { specValidation } from './validate';

export * from './api';
export * from './server-api';

/**
 * The server client for runtimes without node:http, such as edge functions and workers (bundlers
 * pick it through the `edge-light` and `workerd` export conditions): the whole stack of the Node
 * build, sending through the runtime's fetch.
 */
export function createWecomClient(options: WecomClientOptions = {}): WecomClient {
  // Runtimes without process.getBuiltinModule (most edge runtimes) have no telemetry.
  const telemetry = loadTelemetry();
  return createClient(options, {
    createTransport: (transportOptions) =>
      withSpecCheck(createTransport(transportOptions, undefined, telemetry), options, telemetry),
    validation: specValidation,
  });
}
