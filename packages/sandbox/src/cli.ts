#!/usr/bin/env node
// `wecom-sandbox` / `pnpm sandbox`: runs the sandbox until Ctrl-C.
import { parseArgs } from 'node:util';
import type { FaultRule } from './faults';
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

/** Each integer flag and the largest value it takes: the state is built in memory, and a port is 16 bits. */
const integerOptions = {
  port: 65_535,
  seed: Number.MAX_SAFE_INTEGER,
  scale: 100_000,
  'token-ttl': 86_400 * 365,
  'rate-limit-per-minute': 1_000_000,
  'concurrency-limit': 100_000,
} as const;
type IntegerOption = keyof typeof integerOptions;

/** Every mistake on the command line exits with this code, after a message naming the flag. */
const USAGE_ERROR = 2;

function usageError(message: string): never {
  console.error(`${message}\nRun wecom-sandbox --help for every option.`);
  process.exit(USAGE_ERROR);
}

function readInteger(name: IntegerOption, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const max = integerOptions[name];
  if (!/^\d+$/.test(raw.trim()) || value > max) {
    usageError(`--${name} must be a whole number from 0 to ${max}, got "${raw}".`);
  }
  return value;
}

function readFault(text: string): FaultRule {
  try {
    // The rule itself is checked by startSandbox.
    return JSON.parse(text) as FaultRule;
  } catch {
    return usageError(
      `--fault must be a JSON object such as '{"errcode":-1,"rate":0.1}', got ${JSON.stringify(text)}.`,
    );
  }
}

/** A busy port or an address this machine does not have is fixed with a flag; say which. */
function explainListenError(error: unknown, port: number | undefined, host: string | undefined): void {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    usageError(
      `Port ${port ?? SANDBOX_DEFAULTS.port} is ${code === 'EADDRINUSE' ? 'already in use' : 'not allowed for this user'}: ` +
        'pass another with --port N (--port 0 picks a free one).',
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    usageError(`--host ${host} is not an address of this machine: pass one such as 127.0.0.1 or 0.0.0.0.`);
  }
}

/** The three callback flags go together: an event cannot be sealed without the token and key. */
function readCallback(raw: Record<string, string | undefined>) {
  const url = raw['callback-url'];
  const token = raw['callback-token'];
  const encodingAESKey = raw['callback-aes-key'];
  if (url === undefined && token === undefined && encodingAESKey === undefined) return undefined;
  if (!url || !token || !encodingAESKey) {
    usageError('--callback-url, --callback-token and --callback-aes-key must be given together.');
  }
  return { url, token, encodingAESKey };
}

/** parseArgs, with an unknown flag or a missing value reported as a usage error. */
function readArgs(config: Parameters<typeof parseArgs>[0]) {
  try {
    return parseArgs(config);
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const { values } = readArgs({
    options: {
      ...Object.fromEntries(Object.keys(integerOptions).map((name) => [name, { type: 'string' as const }])),
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
  const integers = Object.fromEntries(
    Object.keys(integerOptions).map((name) => [name, readInteger(name as IntegerOption, raw[name])]),
  );
  const faults = ((values.fault as string[] | undefined) ?? []).map(readFault);
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
  }).catch((error: unknown) => {
    explainListenError(error, integers.port, values.host as string | undefined);
    throw error;
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
