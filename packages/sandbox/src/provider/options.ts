import type { CallbackTarget } from '../callbacks';

/** The provider mode: one suite, the provider itself, and the corporations that may authorize it. */
export interface ProviderOptions {
  suiteId?: string;
  suiteSecret?: string;
  providerCorpId?: string;
  providerSecret?: string;
  /** How many authorizing corporations, each a separate seeded world (1 to 20, default 2). */
  corps?: number;
  /** The suite's command callback URL and settings: tickets and authorization changes go there. */
  commandCallback?: CallbackTarget;
}

export const PROVIDER_DEFAULTS = {
  suiteId: 'wwsandboxsuite000001',
  suiteSecret: 'sandbox-suite-secret-change-me',
  providerCorpId: 'wwsandboxprovider001',
  providerSecret: 'sandbox-provider-secret-change-me',
  corps: 2,
} as const;

export const MAX_AUTHORIZING_CORPS = 20;

export type ProviderSettings = Required<Omit<ProviderOptions, 'commandCallback'>> &
  Pick<ProviderOptions, 'commandCallback'>;

/** The options with defaults filled in; throws a message naming the option for a bad value. */
export function providerSettings(options: ProviderOptions): ProviderSettings {
  const settings = { ...PROVIDER_DEFAULTS, ...definedOnly(options) };
  if (!Number.isInteger(settings.corps) || settings.corps < 1 || settings.corps > MAX_AUTHORIZING_CORPS) {
    throw new TypeError(
      `provider.corps must be a whole number from 1 to ${MAX_AUTHORIZING_CORPS}, got ${JSON.stringify(settings.corps)}.`,
    );
  }
  for (const key of ['suiteId', 'suiteSecret', 'providerCorpId', 'providerSecret'] as const) {
    if (typeof settings[key] !== 'string' || settings[key].length === 0) {
      throw new TypeError(`provider.${key} must be a non-empty string.`);
    }
  }
  return settings;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
