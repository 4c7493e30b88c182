import { inspect } from 'node:util';
import {
  createWecomClient,
  type WecomClient,
  type WecomClientOptions,
  type WecomEvent,
} from '@wecom-kit/client';
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

  /** Wraps a fetch so that every access_token a gettoken answer carries is remembered as a secret. */
  watchTokens(inner: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
    return async (input, init) => {
      const response = await inner(input, init);
      if (String(input instanceof Request ? input.url : input).includes('/cgi-bin/gettoken')) {
        const body = (await response
          .clone()
          .json()
          .catch(() => undefined)) as { access_token?: unknown } | undefined;
        if (typeof body?.access_token === 'string') this.remember(body.access_token);
      }
      return response;
    };
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

/** A client whose events and gettoken answers go to the audit (and to `onEvent`, if given). */
export function auditedClient(audit: RedactionAudit, options: AuditedClientOptions): WecomClient {
  audit.remember(options.corpSecret);
  const { onEvent, fetch, ...rest } = options;
  return createWecomClient({
    ...rest,
    fetch: audit.watchTokens(fetch),
    onEvent: (event: WecomEvent) => {
      audit.observe(event);
      onEvent?.(event);
    },
  });
}
