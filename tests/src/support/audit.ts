import { inspect } from 'node:util';
import {
  createWecomClient,
  type WecomClient,
  type WecomClientOptions,
  type WecomEvent,
} from '@wecom-kit/client';
import { MemoryTokenStore, type StoredToken, type TokenStore } from '@wecom-kit/core';
import { afterAll, expect } from 'vitest';

/** Everything a person or a log could see of a value: inspect with hidden properties and causes, JSON, the stack. */
export function exposedText(value: unknown): string {
  let serialized = '';
  try {
    serialized = JSON.stringify(value) ?? '';
  } catch {
    // Cyclic values are covered by inspect.
  }
  const stack = value instanceof Error ? (value.stack ?? '') : '';
  return `${inspect(value, { depth: 12, showHidden: true })}\n${serialized}\n${stack}\n${String(value)}`;
}

/**
 * Collects every error and event a test file produces and every secret and token in play; after
 * the file, none of the secrets may appear in anything collected.
 */
export class RedactionAudit {
  readonly #observed: unknown[] = [];
  readonly #sensitive = new Set<string>();

  remember(secret: string): void {
    this.#sensitive.add(secret);
  }

  observe(value: unknown): void {
    this.#observed.push(value);
  }

  get observedCount(): number {
    return this.#observed.length;
  }

  /** A token store that remembers, as a secret, every access token the client stores. */
  watchTokens(): TokenStore {
    const audit = this;
    return new (class extends MemoryTokenStore {
      override async set(key: string, token: StoredToken): Promise<void> {
        audit.remember(token.accessToken);
        await super.set(key, token);
      }
    })();
  }

  /** The rejection of `promise`, recorded; fails when it resolves. */
  async rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      this.observe(error);
      return error;
    }
    throw new Error('expected the promise to reject');
  }

  leaks(): string[] {
    const found: string[] = [];
    for (const value of this.#observed) {
      const text = exposedText(value);
      for (const secret of this.#sensitive) {
        if (text.includes(secret)) found.push(`${secret.slice(0, 6)}… in ${text.slice(0, 300)}`);
      }
    }
    return found;
  }
}

/** An audit for the calling test file, checked after its last test. */
export function useRedactionAudit(): RedactionAudit {
  const audit = new RedactionAudit();
  afterAll(() => {
    expect(audit.observedCount, 'the audit saw no error or event at all').toBeGreaterThan(0);
    expect(audit.leaks(), 'a secret or token leaked into an error or event').toEqual([]);
  });
  return audit;
}

export interface AuditedClientOptions extends WecomClientOptions {
  corpId: string;
  corpSecret: string;
  baseUrl: string;
}

/** A client whose events and access tokens go to the audit (and to `onEvent`, if given). */
export function auditedClient(audit: RedactionAudit, options: AuditedClientOptions): WecomClient {
  audit.remember(options.corpSecret);
  const { onEvent, ...rest } = options;
  return createWecomClient({
    tokenStore: audit.watchTokens(),
    ...rest,
    onEvent: (event: WecomEvent) => {
      audit.observe(event);
      onEvent?.(event);
    },
  });
}
