import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { type OperationSpec, operations } from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintsOf, sampleInput } from '../support/sample-input';

// Property-based: whatever arrives, the sandbox answers like WeCom (HTTP 200, JSON with a numeric
// errcode and a string errmsg), never a 500, a reset or a crash.
const table: Readonly<Record<string, OperationSpec>> = operations;
const operationIds = Object.keys(table).sort();

function json(value: unknown): string {
  return JSON.stringify(value) ?? '';
}

describe('random requests to the sandbox', () => {
  let sandbox: Sandbox;
  let token: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      scale: 300,
      corpSecret: `properties-${randomBytes(8).toString('hex')}`,
    });
    const answer = await fetch(
      `${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`,
    );
    token = ((await answer.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    agent.destroy();
    await sandbox.close();
  });

  interface Answer {
    status: number;
    contentType: string;
    text: string;
  }

  /** node:http rather than fetch: any method may carry any body, including bytes that are not UTF-8. */
  function send(
    method: string,
    path: string,
    query: Record<string, string>,
    body: Buffer | undefined,
  ): Promise<Answer> {
    const url = new URL(path, sandbox.url);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return new Promise((resolve, reject) => {
      // An explicit length frames the body for every method (Node sends a GET body unframed otherwise).
      const headers = { 'content-type': 'application/json', 'content-length': String(body?.length ?? 0) };
      const outgoing = request(url, { method, agent, headers }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: String(incoming.headers['content-type']),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  function expectWecomShaped(answer: Answer, what: string): void {
    expect(answer.status, `${what} → ${answer.text.slice(0, 300)}`).toBe(200);
    expect(answer.contentType).toMatch(/application\/json/);
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(typeof body.errcode, `${what} → ${answer.text.slice(0, 300)}`).toBe('number');
    expect(typeof body.errmsg).toBe('string');
  }

  /** The access_token of a request: the valid one, none, or an arbitrary string. */
  function accessQuery(choice: string | undefined): Record<string, string> {
    if (choice === undefined) return {};
    return { access_token: choice === 'valid' ? token : choice };
  }

  const tokenArbitrary = fc.oneof(
    { weight: 6, arbitrary: fc.constant('valid') },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );

  /** A valid input of the operation with some fields replaced by arbitrary JSON, and unknown fields added. */
  const mutatedInput = (operationId: string) =>
    fc
      .tuple(
        fc.subarray(Object.keys(constraintsOf(operationId).fields ?? {})),
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 8, maxLength: 8 }),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      )
      .map(([fields, values, extra]) => {
        const input: Record<string, unknown> = {
          ...sampleInput(constraintsOf(operationId)),
          ...extra,
        };
        for (const [index, field] of fields.entries()) input[field] = values[index % values.length];
        return input;
      });

  it('answers every operation with WeCom JSON for inputs near the valid ones', {
    timeout: 45_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...operationIds)
          .chain((operationId) =>
            fc.tuple(fc.constant(operationId), mutatedInput(operationId), tokenArbitrary),
          ),
        async ([operationId, input, tokenChoice]) => {
          const spec = table[operationId] as OperationSpec;
          const access = accessQuery(tokenChoice);
          const query =
            spec.input === 'query'
              ? {
                  ...access,
                  ...Object.fromEntries(
                    Object.entries(input).map(([key, value]) => [
                      key,
                      typeof value === 'string' ? value : json(value),
                    ]),
                  ),
                }
              : access;
          const body = spec.input === 'body' ? Buffer.from(json(input)) : undefined;
          expectWecomShaped(
            await send(spec.method, spec.path, query as Record<string, string>, body),
            `${operationId} ${JSON.stringify(input)}`,
          );
        },
      ),
      { numRuns: 600 },
    );
  });

  it('answers WeCom JSON, not a 500, when a value has a non-callable toString', async () => {
    const body = Buffer.from('{"product_id":{"toString":true}}');
    const answer = await send(
      'POST',
      '/cgi-bin/externalcontact/delete_product_album',
      { access_token: token },
      body,
    );
    expectWecomShaped(answer, 'delete_product_album');
  });

  it('answers arbitrary methods, queries and bodies with WeCom JSON', { timeout: 45_000 }, async () => {
    const bodyArbitrary = fc.oneof(
      fc.jsonValue().map((value) => Buffer.from(json(value))),
      fc.string().map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operationIds),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
        tokenArbitrary,
        bodyArbitrary,
        async (operationId, method, query, tokenChoice, body) => {
          const spec = table[operationId] as OperationSpec;
          const access = accessQuery(tokenChoice);
          expectWecomShaped(
            await send(method, spec.path, { ...query, ...access }, body),
            `${method} ${operationId}`,
          );
        },
      ),
      { numRuns: 400 },
    );
    // Still serving after all of it.
    expectWecomShaped(
      await send('GET', '/cgi-bin/externalcontact/get_follow_user_list', { access_token: token }, undefined),
      'after',
    );
  });
});
