// The client's own CPU cost per call, without a network: fetch is an in-memory function that
// answers at once. Each variant runs in its own process, so that neither pays for the other's garbage.
import { createSharedResources, createWecomClient } from '@wecom-kit/client';
import { reportResult, workerInput } from '../lib/processes';

interface Input {
  /** shared: the client takes its limiter, token store and way of sending from createSharedResources. */
  variant: 'bare' | 'client' | 'shared';
  calls: number;
}

export interface OwnCostResult {
  cpuMicrosPerCall: number;
  wallMicrosPerCall: number;
}

const { variant, calls } = workerInput<Input>();
const TOKEN = 'bench-access-token-0123456789abcdef';
const TOKEN_BODY = JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: TOKEN, expires_in: 7200 });
const BODY = JSON.stringify({ errcode: 0, errmsg: 'ok', comment_list: [], like_list: [] });
const answer: typeof fetch = async (url) =>
  new Response(String(url).includes('/cgi-bin/gettoken') ? TOKEN_BODY : BODY, {
    headers: { 'content-type': 'application/json' },
  });
const input = { moment_id: 'momBench0001', userid: 'member0001' };
const base = 'http://127.0.0.1:9';

const client = createWecomClient({
  corpId: 'wwbench0000000001',
  corpSecret: 'bench-own-cost-secret',
  baseUrl: base,
  rateLimit: { perMinute: 1_000_000 },
  ...(variant === 'shared' ? { shared: createSharedResources({ fetch: answer }) } : { fetch: answer }),
});
const call =
  variant !== 'bare'
    ? () => client.call('getMomentComments', input)
    : async () => {
        const response = await answer(
          `${base}/cgi-bin/externalcontact/get_moment_comments?access_token=${TOKEN}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(input),
          },
        );
        const body = (await response.json()) as { errcode: number };
        if (body.errcode !== 0) throw new Error(`errcode ${body.errcode}`);
      };

for (let index = 0; index < 2_000; index++) await call();
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let index = 0; index < calls; index++) await call();
const cpu = process.cpuUsage(cpuBefore);
const result: OwnCostResult = {
  cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
  wallMicrosPerCall: ((performance.now() - started) * 1000) / calls,
};
reportResult(result);
