export { ApiError } from './api-error';
export type { CallbackSender, CallbackTarget, SandboxEvent } from './callbacks';
export { createRequestIdGenerator, formatErrmsg } from './errmsg';
export type { FaultRule } from './faults';
export { SANDBOX_DEFAULTS, type Sandbox, type SandboxOptions, startSandbox } from './server';
export type { AddedCustomer } from './simulate';
export type { SandboxState } from './state';
