// Built with a 'use client' banner (tsup.config.ts): React Server Components bundlers treat the
// hooks and the provider as client code, and resolve `react-server` to ./server.ts instead.
export * from './generated/hooks';
export { useWecomClient, WecomProvider, type WecomProviderProps } from './provider';
export * from './server';
