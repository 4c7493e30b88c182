// What React Server Components may import (the `react-server` export condition): the options
// factories and keys, for prefetching on the server with an explicit client. No hooks, no provider.
export * from './generated/options';
export { isWecomMutation, wecomKeys } from './keys';
export { WECOM_STALE_TIME } from './options';
export type * from './types';
