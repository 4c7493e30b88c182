import { createBrowserTransport } from '@wecom-kit/core';
import { createClient, type WecomClient, type WecomClientOptions } from './client';

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
