import { randomBytes } from 'node:crypto';
import { WecomError, WecomKitError } from '@wecom-kit/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditedClient, useRedactionAudit } from '../support/audit';

// Property-based: whatever the network answers (any status, garbage, cut-off JSON, WeCom bodies
// with odd fields, failures, silence), every call ends in a success body or a typed error.
const audit = useRedactionAudit();

describe('random and garbage answers fed to the client', () => {
  /** One answer of the fake network: a response, a thrown failure, or silence until the timeout. */
  type Scripted =
    | { kind: 'response'; status: number; body: string; contentType: string }
    | { kind: 'throw'; error: unknown }
    | { kind: 'hang' };

  const errcodes = fc.constantFrom(
    0,
    0,
    0,
    -1,
    40_001,
    40_013,
    40_014,
    41_001,
    42_001,
    45_009,
    45_033,
    60_020,
    40_096,
    99_999,
  );
  const wecomShaped = fc
    .record(
      {
        errcode: fc.oneof(
          { weight: 5, arbitrary: errcodes },
          fc.integer(),
          fc.string({ maxLength: 5 }),
          fc.constant(null),
        ),
        errmsg: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant('ok')),
        next_cursor: fc.oneof(fc.constant(''), fc.constantFrom('c1', 'c2'), fc.integer()),
        comment_list: fc.oneof(fc.constant([]), fc.jsonValue({ maxDepth: 2 })),
        follow_user: fc.oneof(fc.constant(['member0001']), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
  const bodyArbitrary = fc.oneof(
    { weight: 5, arbitrary: wecomShaped },
    {
      weight: 1,
      arbitrary: wecomShaped.chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? '') },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constant('<html><body><h1>502 Bad Gateway</h1></body></html>') },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const scripted: fc.Arbitrary<Scripted> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('response' as const),
        status: fc.constantFrom(200, 200, 200, 202, 301, 400, 403, 404, 429, 500, 502, 503, 504),
        body: bodyArbitrary,
        contentType: fc.constantFrom('application/json', 'text/html', 'text/plain', ''),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('throw' as const),
        error: fc.oneof(
          fc
            .constantFrom('ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'EPIPE')
            .map(
              (code) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
            ),
          fc.string({ maxLength: 20 }),
          fc.constant(null),
          fc.constant({ weird: true }),
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
  );
  /** gettoken answers: mostly a token (which may then be refused), sometimes anything at all. */
  const tokenAnswer: fc.Arbitrary<Scripted> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({
          expires_in: fc.oneof(fc.constant(7200), fc.integer({ min: -5, max: 10_000 }), fc.constant('7200')),
          suffix: fc
            .uint8Array({ minLength: 8, maxLength: 8 })
            .map((bytes) => Buffer.from(bytes).toString('hex')),
        })
        .map(({ expires_in, suffix }) => ({
          kind: 'response' as const,
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: `TOKEN-${suffix}`, expires_in }),
        })),
    },
    { weight: 1, arbitrary: scripted },
  );

  function fakeNetwork(tokens: Scripted[], answers: Scripted[]) {
    let tokenIndex = 0;
    let answerIndex = 0;
    const next = (list: Scripted[], index: number) => list[Math.min(index, list.length - 1)] as Scripted;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const isToken = String(input).includes('/cgi-bin/gettoken');
      const script = isToken ? next(tokens, tokenIndex++) : next(answers, answerIndex++);
      if (script.kind === 'throw') throw script.error;
      if (script.kind === 'hang') {
        return new Promise<Response>((_, reject) => {
          const signal = init?.signal;
          if (!signal) return reject(new Error('the client sent a request without a timeout signal'));
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      if (script.kind === 'response' && isToken) {
        const token = /"access_token":"(TOKEN-[0-9a-f]+)"/.exec(script.body)?.[1];
        if (token) audit.remember(token);
      }
      return new Response(script.body, {
        status: script.status,
        headers: script.contentType ? { 'content-type': script.contentType } : {},
      });
    };
    return fetch;
  }

  function garbageClient(tokens: Scripted[], answers: Scripted[]) {
    return auditedClient(audit, {
      corpId: 'wwproperty0000001',
      corpSecret: `property-secret-${randomBytes(8).toString('hex')}`,
      baseUrl: 'http://127.0.0.1:9',
      fetch: fakeNetwork(tokens, answers),
      timeoutMs: 30,
      retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 1, deadlineMs: 2_000 },
    });
  }

  const scripts = fc.tuple(
    fc.array(tokenAnswer, { minLength: 1, maxLength: 3 }),
    fc.array(scripted, { minLength: 1, maxLength: 6 }),
  );

  function expectTyped(error: unknown): void {
    expect(error, String(error)).toBeInstanceOf(WecomKitError);
    expect((error as Error).message.length).toBeGreaterThan(20);
  }

  it('call() resolves to a success body or rejects with a WecomKitError', { timeout: 45_000 }, async () => {
    const seen = { bodies: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(scripts, async ([tokens, answers]) => {
        const wecom = garbageClient(tokens, answers);
        const outcome = await wecom
          .call('getMomentComments', { moment_id: 'mom1', userid: 'member0001' })
          .then(
            (body) => ({ body }),
            (error: unknown) => ({ error }),
          );
        if ('error' in outcome) {
          seen.errors += 1;
          audit.observe(outcome.error);
          expectTyped(outcome.error);
        } else {
          seen.bodies += 1;
          expect(outcome.body.errcode).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
    // Both endings happened: the scripts are neither all garbage nor all success.
    expect(seen.bodies).toBeGreaterThan(0);
    expect(seen.errors).toBeGreaterThan(0);
  });

  it('the path API returns data or a WecomError, or rejects with a WecomKitError', {
    timeout: 45_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scripts, async ([tokens, answers]) => {
        const wecom = garbageClient(tokens, answers);
        const outcome = await wecom
          .POST('/cgi-bin/externalcontact/get_moment_comments', {
            body: { moment_id: 'mom1', userid: 'member0001' },
          })
          .then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          );
        if ('error' in outcome) {
          audit.observe(outcome.error);
          expectTyped(outcome.error);
        } else if (outcome.result.error) {
          audit.observe(outcome.result.error);
          expect(outcome.result.error).toBeInstanceOf(WecomError);
        } else {
          expect(outcome.result.data?.errcode).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('paginate() ends, in order, in pages or a WecomKitError', { timeout: 45_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scripts, async ([tokens, answers]) => {
        const wecom = garbageClient(tokens, answers);
        const members = ['member0001'];
        try {
          for await (const page of wecom.paginate(
            'batchGetByUser',
            { userid_list: members },
            { maxPages: 5 },
          )) {
            expect(Array.isArray(page.items)).toBe(true);
          }
        } catch (error) {
          audit.observe(error);
          expectTyped(error);
        }
      }),
      { numRuns: 200 },
    );
  });
});
