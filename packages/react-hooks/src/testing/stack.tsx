import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createWecomClient, type OperationId, type WecomClient } from '@wecom-kit/client';
import { createWecomProxy } from '@wecom-kit/client/proxy';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import type { ReactNode } from 'react';
import { WecomProvider } from '../provider';

const ALLOWED: OperationId[] = [
  'getMomentList',
  'getMomentTask',
  'getMomentComments',
  'getExternalContact',
  'getCorpTagList',
  'batchGetByUser',
  'markTag',
];

/** One request the browser sent: the operation's path and the input (body or query) it carried. */
export interface SentRequest {
  path: string;
  input: Record<string, unknown>;
  signal: AbortSignal;
}

export interface Stack {
  sandbox: Sandbox;
  /** The browser's client: no secret, baseUrl on the proxy. */
  browser: WecomClient;
  /** Every request the browser client sent to the proxy. */
  requests: Request[];
  /** The same requests, read: which operation, with which input. */
  sent: SentRequest[];
  close(): Promise<void>;
}

/**
 * The real sandbox behind the real proxy, as a dashboard would use them. The browser's fetch
 * hands its requests to the proxy handler directly, as same-origin requests to the backend.
 */
export async function startStack(): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0 });
  const server = createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
  });
  const proxy = createWecomProxy({
    client: server,
    allow: ALLOWED,
    basePath: '/api/wecom',
    authorize: () => 'hooks-test',
    allowedHosts: ['dashboard.test'],
    // One test caller pages through a lot; the per-caller budget is not what these tests are about.
    perCaller: { perMinute: 100_000 },
  });
  const requests: Request[] = [];
  const sent: SentRequest[] = [];
  const browser = createWecomClient({
    baseUrl: 'http://dashboard.test/api/wecom',
    fetch: (input, init) => {
      const request = new Request(input, init);
      requests.push(request);
      const url = new URL(request.url);
      sent.push({
        path: url.pathname.replace('/api/wecom/cgi-bin/externalcontact/', ''),
        input: typeof init?.body === 'string' ? JSON.parse(init.body) : Object.fromEntries(url.searchParams),
        signal: request.signal,
      });
      return proxy(request);
    },
  });
  return { sandbox, browser, requests, sent, close: () => sandbox.close() };
}

export function newQueryClient(): QueryClient {
  // An infinite gcTime schedules no garbage-collection timers to outlive the test.
  return new QueryClient({ defaultOptions: { queries: { gcTime: Number.POSITIVE_INFINITY } } });
}

interface ProvidersProps {
  queryClient: QueryClient;
  /** null renders no WecomProvider. */
  client: WecomClient | null;
  children: ReactNode;
}

function Providers({ queryClient, client, children }: ProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      {client ? <WecomProvider client={client}>{children}</WecomProvider> : children}
    </QueryClientProvider>
  );
}

/** A renderHook wrapper with a QueryClient and, unless `client` is null, a WecomProvider. */
export function wrapperFor(queryClient: QueryClient, client: WecomClient | null) {
  return ({ children }: { children: ReactNode }) => (
    <Providers queryClient={queryClient} client={client}>
      {children}
    </Providers>
  );
}
