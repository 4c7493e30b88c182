// What the server builds (Node and edge) export beyond api.ts: the token sources of service
// providers, which hold credentials and never belong in a browser bundle.
export type {
  Suite,
  SuiteOptions,
  SuiteTicketStore,
  TokenKind,
  WecomAuth,
} from '@wecom-kit/core';
export { createSuite, customizedApp, MemorySuiteTicketStore, serviceProvider } from '@wecom-kit/core';
