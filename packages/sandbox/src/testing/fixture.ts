import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Sandbox, SandboxOptions } from '../server';
import { connect, type SandboxApi } from './api';
import { startCheckedSandbox } from './fidelity';

export interface SandboxFixture {
  readonly sandbox: Sandbox;
  /** Real HTTP calls with a token issued before each test. */
  readonly api: SandboxApi;
  /** The sandbox's clock, ms; reset to now before each test, moved forward by tests that travel in time. */
  clock: number;
  /** A fresh token, e.g. after travelling past the old one's expiry. */
  reconnect(): Promise<void>;
}

/**
 * One checked sandbox per test file (see fidelity.ts), reset to its seeded state with a fresh
 * token and clock before each test.
 */
export function useCheckedSandbox(
  options: Omit<SandboxOptions, 'now'> | (() => Omit<SandboxOptions, 'now'>) = {},
): SandboxFixture {
  let sandbox: Sandbox | undefined;
  let api: SandboxApi | undefined;
  const fixture = {
    clock: Date.now(),
    get sandbox(): Sandbox {
      if (!sandbox) throw new Error('the sandbox starts in beforeAll');
      return sandbox;
    },
    get api(): SandboxApi {
      if (!api) throw new Error('the API client connects in beforeEach');
      return api;
    },
    async reconnect() {
      api = await connect(fixture.sandbox);
    },
  };
  beforeAll(async () => {
    // A function defers the options to here, after earlier hooks (e.g. a callback receiver) ran.
    const settings = typeof options === 'function' ? options() : options;
    sandbox = await startCheckedSandbox({ scale: 300, ...settings, now: () => fixture.clock });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    fixture.clock = Date.now();
    fixture.sandbox.reset();
    await fixture.reconnect();
  });
  return fixture;
}
