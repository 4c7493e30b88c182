import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { type WecomClient, WecomConfigError } from '@wecom-kit/client';
import type { ReactNode } from 'react';

// Query keys do not name the client, so one QueryClient's cache can only ever belong to one
// WecomClient: binding them together lets option factories run outside components too.
const clients = new WeakMap<QueryClient, WecomClient>();

export interface WecomProviderProps {
  /** Usually a browser client without corpSecret whose baseUrl is your proxy, e.g. `/api/wecom`. */
  client: WecomClient;
  children?: ReactNode;
}

/** Makes `client` the WecomClient of the surrounding QueryClientProvider's QueryClient. */
export function WecomProvider({ client, children }: WecomProviderProps): ReactNode {
  // Bound during render, not in an effect: the children's queries start before effects run.
  clients.set(useQueryClient(), client);
  return children;
}

/** The explicit client if given, else the one of the nearest `<WecomProvider>`. */
export function useWecomClient(client?: WecomClient): WecomClient {
  const queryClient = useQueryClient();
  return client ?? resolveClient(undefined, queryClient, 'useWecomClient');
}

export function resolveClient(
  client: WecomClient | undefined,
  queryClient: QueryClient,
  caller: string,
): WecomClient {
  const resolved = client ?? clients.get(queryClient);
  if (!resolved) {
    throw new WecomConfigError({
      message: `${caller} has no WecomClient: render it in <WecomProvider client> or pass one.`,
    });
  }
  return resolved;
}
