import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createWecomClient } from '@wecom-kit/client';
import { loadTelemetry, ManualClock } from '@wecom-kit/core/internal';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOtel } from '../support/otel';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 20 });
});
afterAll(() => sandbox.close());

const member = () => sandbox.state.people.follows[0] ?? expect.unreachable('no seeded follows');
const op = { operationId: 'getExternalContact', method: 'GET', path: '/x', idempotent: true } as const;

describe('with @opentelemetry/api installed and no provider registered', () => {
  it('starts nothing per call, calls work, and spans appear once the app registers a provider', async () => {
    const telemetry = loadTelemetry();
    expect(telemetry).toBeDefined();
    // Nothing is registered: no span, no metric, no closure is made for a call.
    expect(telemetry?.startCall(op, 'http://127.0.0.1', () => {}, new ManualClock())).toBeUndefined();

    const client = createWecomClient({
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: sandbox.url,
    });
    const input = { external_userid: member().external_userid };
    await expect(client.call('getExternalContact', input)).resolves.toMatchObject({ errcode: 0 });

    // The same client, without being told: registering a provider is all it takes.
    const otel = registerOtel();
    await client.call('getExternalContact', input);
    expect(otel.spans().map((span) => span.name)).toEqual(['getExternalContact']);
    expect(await otel.points('wecom.client.calls')).toHaveLength(1);

    otel.unregister();
    await client.call('getExternalContact', input);
    expect(otel.spans()).toHaveLength(1);
    expect(telemetry?.startCall(op, 'http://127.0.0.1', () => {}, new ManualClock())).toBeUndefined();
  });
});

describe('without @opentelemetry/api', () => {
  it('loads no instrumentation, and the client works', async () => {
    const preload = fileURLToPath(new URL('../support/without-otel.cjs', import.meta.url));
    const script = `
      import { createWecomClient } from '@wecom-kit/client';
      import { loadTelemetry } from '@wecom-kit/core/internal';
      const client = createWecomClient({ corpId: ${JSON.stringify(sandbox.corpId)}, corpSecret: ${JSON.stringify(sandbox.corpSecret)}, baseUrl: ${JSON.stringify(sandbox.url)} });
      const body = await client.call('getExternalContact', { external_userid: ${JSON.stringify(member().external_userid)} });
      console.log(JSON.stringify({ telemetry: loadTelemetry() === undefined ? 'absent' : 'loaded', errcode: body.errcode }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--require', preload, '--input-type=module', '--eval', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(JSON.parse(stdout)).toEqual({ telemetry: 'absent', errcode: 0 });
  });
});
