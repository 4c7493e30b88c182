import { createTransport } from '@wecom-kit/core';
import { loadTelemetry } from '@wecom-kit/core/internal';
import { nodeHttpSend } from '@wecom-kit/core/node';
import { createClient, type WecomClient, type WecomClientOptions } from './client';
import { withSpecCheck } from './spec-check/spec-check';
import { specValidation } from './validate';

export * from './api';
export * from './server-api';

/**
 * A WeCom client. With corpId and corpSecret (on a server) it fetches and caches access tokens,
 * keeps each operation under its rate limit, retries what is safe to retry and checks every
 * input against the spec before sending it. A corpId whose corpSecret is unset or empty is a
 * WecomConfigError naming corpSecret; with neither, it sends no token and talks to a proxy
 * (`createWecomProxy`) at `baseUrl`. Requests go out through node:http(s) unless `fetch`
 * is given. When the app has `@opentelemetry/api` installed and registers a tracer or meter
 * provider, every call is traced and measured (guide 08).
 */
export function createWecomClient(options: WecomClientOptions = {}): WecomClient {
  const telemetry = loadTelemetry();
  return createClient(options, {
    createTransport: (transportOptions) =>
      withSpecCheck(createTransport(transportOptions, nodeHttpSend, telemetry), options, telemetry),
    validation: specValidation,
  });
}
