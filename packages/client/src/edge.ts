import { createTransport } from '@wecom-kit/core';
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
  return createClient(options, {
    createTransport: (transportOptions) => withSpecCheck(createTransport(transportOptions), options),
    validation: specValidation,
  });
}
