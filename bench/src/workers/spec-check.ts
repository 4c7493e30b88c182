// What specCheck costs per call: client.call() against an in-memory fetch that answers at once
// with a realistic getExternalContact body (the official example: a customer, one follower with
// tags), with specCheck off or on at sample rate 1. Each variant runs in its own process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWecomClient, type WecomClientOptions } from '@wecom-kit/client';
import { repoRoot, reportResult, workerInput } from '../lib/processes';

interface Input {
  variant: 'off' | 'on';
  calls: number;
}

export interface SpecCheckResult {
  cpuMicrosPerCall: number;
  bodyBytes: number;
}

const { variant, calls } = workerInput<Input>();
const TOKEN_BODY = JSON.stringify({
  errcode: 0,
  errmsg: 'ok',
  access_token: 'bench-token',
  expires_in: 7200,
});
const BODY = readFileSync(join(repoRoot, 'spec/examples/official/externalcontact_get.response.json'), 'utf8');
const answer: typeof fetch = async (url) =>
  new Response(String(url).includes('/cgi-bin/gettoken') ? TOKEN_BODY : BODY, {
    headers: { 'content-type': 'application/json' },
  });

let drift = 0;
// Both variants listen to events (specCheck needs a listener, and listening has its own cost).
const onEvent: WecomClientOptions['onEvent'] = (event) => {
  if (event.type === 'spec-drift') drift += 1;
};
const specCheck: Partial<WecomClientOptions> = variant === 'on' ? { specCheck: { sampleRate: 1 } } : {};
const client = createWecomClient({
  onEvent,
  corpId: 'wwbench0000000001',
  corpSecret: 'bench-spec-check-secret',
  baseUrl: 'http://127.0.0.1:9',
  fetch: answer,
  rateLimit: { perMinute: 1_000_000 },
  ...specCheck,
});
const input = { external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA' };

// The in-memory fetch never yields to the event loop, where specCheck's table loads: let it load
// (on a real network it has loaded long before the first answer arrives).
await client.call('getExternalContact', input);
await new Promise((resolve) => setTimeout(resolve, 100));
for (let index = 0; index < 2_000; index++) await client.call('getExternalContact', input);
const cpuBefore = process.cpuUsage();
for (let index = 0; index < calls; index++) await client.call('getExternalContact', input);
const cpu = process.cpuUsage(cpuBefore);
// The official example matches the spec: a drift here would mean the check measured the wrong thing.
if (drift > 0) throw new Error(`the official example drifted ${drift} time(s)`);
reportResult({
  cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
  bodyBytes: BODY.length,
} satisfies SpecCheckResult);
