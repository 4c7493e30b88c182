import { createBrowserTransport, WecomConfigError } from '@wecom-kit/core';
import { createClient, type WecomClient, type WecomClientOptions } from './client';

export {
  MemorySuiteTicketStore,
  type Suite,
  type SuiteOptions,
  type SuiteTicketStore,
  type TokenKind,
  type WecomAuth,
} from '@wecom-kit/core';
export * from './api';

/**
 * The browser build's client (bundlers pick it through the `browser` export condition): it talks
 * to a proxy (`createWecomProxy`) that holds the secret and adds the token, limits and validates,
 * so it carries neither a token provider, nor a limiter, nor the constraint table, and it refuses
 * a corpSecret. Pass `validation: specValidation` to check inputs before they leave the browser.
 */
export function createWecomClient(options: WecomClientOptions = {}): WecomClient {
  return createClient(options, { createTransport: createBrowserTransport });
}

/** The browser build's service-provider token sources refuse: their credentials belong on a server. */
function serverOnly(name: string): () => never {
  return () => {
    throw new WecomConfigError({
      message: `${name} holds service-provider credentials and runs on your server; from the browser, call createWecomProxy there.`,
    });
  };
}

export const createSuite: typeof import('./server-api').createSuite =
  /* @__PURE__ */ serverOnly('createSuite');
export const customizedApp: typeof import('./server-api').customizedApp =
  /* @__PURE__ */ serverOnly('customizedApp');
export const serviceProvider: typeof import('./server-api').serviceProvider =
  /* @__PURE__ */ serverOnly('serviceProvider');
