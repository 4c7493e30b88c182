#!/usr/bin/env node
// `wecom-sandbox` / `pnpm sandbox`: runs the sandbox until Ctrl-C.
import { parseArgs } from 'node:util';
import type { FaultRule } from './faults';
import { MAX_AUTHORIZING_CORPS, PROVIDER_DEFAULTS, type ProviderOptions } from './provider/options';
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

Provider mode (third-party and customized apps; see the README):
  --provider                 also play a suite, the provider and authorizing corps
  --suite-id ID              suite id that get_suite_token accepts (default ${PROVIDER_DEFAULTS.suiteId})
  --suite-secret SECRET      its secret (default ${PROVIDER_DEFAULTS.suiteSecret})
  --provider-corp-id ID      the provider's corp id for get_provider_token (default ${PROVIDER_DEFAULTS.providerCorpId})
  --provider-secret SECRET   its provider secret (default ${PROVIDER_DEFAULTS.providerSecret})
  --auth-corps N             authorizing corps, each with its own data (default ${PROVIDER_DEFAULTS.corps}, up to ${MAX_AUTHORIZING_CORPS})
  --command-url URL          the suite's command callback URL: suite_ticket, create_auth, cancel_auth, ...
  --command-token TOKEN      the Token of the suite's callback settings (with --command-url)
  --command-aes-key KEY      the suite's 43-character EncodingAESKey (with --command-url)
  -h, --help                 show this help`;

/** Each integer flag and the largest value it takes: the state is built in memory, and a port is 16 bits. */
const integerOptions = {
  port: 65_535,
  seed: Number.MAX_SAFE_INTEGER,
  scale: 100_000,
  'token-ttl': 86_400 * 365,
  'rate-limit-per-minute': 1_000_000,
  'concurrency-limit': 100_000,
  'auth-corps': MAX_AUTHORIZING_CORPS,
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

/** A callback URL's three flags go together: a message cannot be sealed without the token and key. */
function readCallback(raw: Record<string, string | undefined>, prefix: 'callback' | 'command') {
  const url = raw[`${prefix}-url`];
  const token = raw[`${prefix}-token`];
  const encodingAESKey = raw[`${prefix}-aes-key`];
  if (url === undefined && token === undefined && encodingAESKey === undefined) return undefined;
  if (!url || !token || !encodingAESKey) {
    usageError(`--${prefix}-url, --${prefix}-token and --${prefix}-aes-key must be given together.`);
  }
  return { url, token, encodingAESKey };
}

const PROVIDER_FLAGS = [
  'suite-id',
  'suite-secret',
  'provider-corp-id',
  'provider-secret',
  'auth-corps',
  'command-url',
  'command-token',
  'command-aes-key',
];

/** The provider mode's options; its flags without --provider are a mistake worth naming. */
function readProvider(
  enabled: boolean,
  raw: Record<string, string | undefined>,
  corps: number | undefined,
): ProviderOptions | undefined {
  const given = PROVIDER_FLAGS.filter((flag) => raw[flag] !== undefined);
  if (!enabled) {
    if (given.length > 0) usageError(`--${given[0]} belongs to the provider mode: add --provider.`);
    return undefined;
  }
  return {
    suiteId: raw['suite-id'],
    suiteSecret: raw['suite-secret'],
    providerCorpId: raw['provider-corp-id'],
    providerSecret: raw['provider-secret'],
    corps,
    commandCallback: readCallback(raw, 'command'),
  };
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
      provider: { type: 'boolean' },
      'suite-id': { type: 'string' },
      'suite-secret': { type: 'string' },
      'provider-corp-id': { type: 'string' },
      'provider-secret': { type: 'string' },
      'command-url': { type: 'string' },
      'command-token': { type: 'string' },
      'command-aes-key': { type: 'string' },
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
  const callback = readCallback(raw, 'callback');
  const provider = readProvider(values.provider === true, raw, integers['auth-corps']);
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
    provider,
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
  }${
    sandbox.provider
      ? `\n  suiteId:    ${sandbox.provider.suiteId} (ticket pushes to ${provider?.commandCallback?.url ?? 'nowhere: no --command-url'})
  provider:   ${sandbox.provider.providerCorpId}; ${sandbox.provider.corps.length} authorizing corps, GET ${sandbox.url}/__sandbox/provider`
      : ''
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
