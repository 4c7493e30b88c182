import type { QueryClient } from '@tanstack/react-query';
import { type WecomClient, WecomConfigError } from '@wecom-kit/client';

// Query keys do not name the client, so one QueryClient's cache can only ever belong to one
// WecomClient: binding them together lets option factories run outside components too. The map
// lives on globalThis so that the package's two builds (the 'use client' one and the one React
// Server Components import) share it when a bundler loads both.
const REGISTRY = Symbol.for('@wecom-kit/react-hooks/clients');

function registry(): WeakMap<QueryClient, WecomClient> {
  const scope = globalThis as { [REGISTRY]?: WeakMap<QueryClient, WecomClient> };
  scope[REGISTRY] ??= new WeakMap();
  return scope[REGISTRY];
}

export function bindClient(queryClient: QueryClient, client: WecomClient): void {
  registry().set(queryClient, client);
}

/**
 * The explicit client if given, else the one bound to `queryClient` by `<WecomProvider>`. Called
 * when a request is about to be sent, never during render: hydrated data renders without either.
 */
export function resolveClient(
  client: WecomClient | undefined,
  queryClient: QueryClient,
  caller: string,
): WecomClient {
  const resolved = client ?? registry().get(queryClient);
  if (!resolved) {
    throw new WecomConfigError({
      message: `${caller} has no WecomClient: render it in <WecomProvider client> or pass one.`,
    });
  }
  return resolved;
}
