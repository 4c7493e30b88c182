import { useQueryClient } from '@tanstack/react-query';
import type { WecomClient } from '@wecom-kit/client';
import type { ReactNode } from 'react';
import { bindClient, resolveClient } from './clients';

export interface WecomProviderProps {
  /** Usually a browser client without corpSecret whose baseUrl is your proxy, e.g. `/api/wecom`. */
  client: WecomClient;
  children?: ReactNode;
}

/** Makes `client` the WecomClient of the surrounding QueryClientProvider's QueryClient. */
export function WecomProvider({ client, children }: WecomProviderProps): ReactNode {
  // Bound during render, not in an effect: the children's queries start before effects run.
  bindClient(useQueryClient(), client);
  return children;
}

/** The explicit client if given, else the one of the nearest `<WecomProvider>`. */
export function useWecomClient(client?: WecomClient): WecomClient {
  const queryClient = useQueryClient();
  return client ?? resolveClient(undefined, queryClient, 'useWecomClient');
}
