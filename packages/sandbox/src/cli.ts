#!/usr/bin/env node
// `wecom-sandbox` / `pnpm sandbox`: runs the sandbox until Ctrl-C.
import { parseArgs } from 'node:util';
import { SANDBOX_DEFAULTS, startSandbox } from './server';
import { simulations } from './simulate';

const HELP = `Usage: wecom-sandbox [options]

  --port N                   port to listen on (default ${SANDBOX_DEFAULTS.port})
  --host H                   address to bind (default ${SANDBOX_DEFAULTS.host})
  --seed N                   data seed; the same seed gives the same data (default ${SANDBOX_DEFAULTS.seed})
  --scale N                  number of customers to seed (default ${SANDBOX_DEFAULTS.scale}, up to 100000)
  --corp-id ID               corp id that gettoken accepts
  --corp-secret SECRET       secret that gettoken accepts
  --token-ttl SECONDS        access token lifetime (default ${SANDBOX_DEFAULTS.tokenTtl})
  --rate-limit-per-minute N  calls per minute per API before 45009 (default ${SANDBOX_DEFAULTS.rateLimitPerMinute})
  --concurrency-limit N      calls in flight per API before 45033 (default ${SANDBOX_DEFAULTS.concurrencyLimit})
  --fault JSON               a fault active from the start, e.g. '{"errcode":-1,"rate":0.1}' (repeatable)
  --control-token TOKEN      require 'authorization: Bearer TOKEN' on the control API (/__sandbox/*)
  --callback-url URL         deliver encrypted customer-contact events to this URL (retried like WeCom)
  --callback-token TOKEN     the Token of the app's callback settings (with --callback-url)
  --callback-aes-key KEY     the 43-character EncodingAESKey of the callback settings (with --callback-url)
  -h, --help                 show this help`;

const integerOptions = [
  'port',
  'seed',
  'scale',
  'token-ttl',
  'rate-limit-per-minute',
  'concurrency-limit',
] as const;

function readInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}".`);
    process.exit(2);
  }
  return value;
}

/** The three callback flags go together: an event cannot be sealed without the token and key. */
function readCallback(raw: Record<string, string | undefined>) {
  const url = raw['callback-url'];
  const token = raw['callback-token'];
  const encodingAESKey = raw['callback-aes-key'];
  if (url === undefined && token === undefined && encodingAESKey === undefined) return undefined;
  if (!url || !token || !encodingAESKey) {
    console.error('--callback-url, --callback-token and --callback-aes-key must be given together.');
    process.exit(2);
  }
  return { url, token, encodingAESKey };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(integerOptions.map((name) => [name, { type: 'string' as const }])),
      host: { type: 'string' },
      'corp-id': { type: 'string' },
      'corp-secret': { type: 'string' },
      'control-token': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'callback-url': { type: 'string' },
      'callback-token': { type: 'string' },
      'callback-aes-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const raw = values as Record<string, string | undefined>;
  const integers = Object.fromEntries(integerOptions.map((name) => [name, readInteger(name, raw[name])]));
  const faults = ((values.fault as string[] | undefined) ?? []).map((text) => JSON.parse(text));
  const callback = readCallback(raw);
  const sandbox = await startSandbox({
    port: integers.port,
    host: values.host as string | undefined,
    seed: integers.seed,
    scale: integers.scale,
    corpId: values['corp-id'] as string | undefined,
    corpSecret: values['corp-secret'] as string | undefined,
    tokenTtl: integers['token-ttl'],
    rateLimitPerMinute: integers['rate-limit-per-minute'],
    concurrencyLimit: integers['concurrency-limit'],
    faults,
    callback,
    controlToken: values['control-token'] as string | undefined,
  });
  console.log(`WeCom sandbox listening on ${sandbox.url}
  corpId:     ${sandbox.corpId}
  corpSecret: ${sandbox.corpSecret}
  control:    ${sandbox.url}/__sandbox/stats (also POST reset, revoke-tokens, faults)
  simulate:   POST ${sandbox.url}/__sandbox/simulate/<${Object.keys(simulations).join(' | ')}>${
    callback ? `\n  callbacks:  ${callback.url}` : ''
  }`);
  const stop = () => {
    sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
