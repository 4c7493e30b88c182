export { ApiError } from './api-error';
export { createRequestIdGenerator, formatErrmsg } from './errmsg';
export type { FaultRule } from './faults';
export { SANDBOX_DEFAULTS, type Sandbox, type SandboxOptions, startSandbox } from './server';
export type { SandboxState } from './state';
