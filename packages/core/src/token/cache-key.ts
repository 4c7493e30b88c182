export interface TokenIdentity {
  corpId: string;
  corpSecret: string;
  agentId?: string | number;
}

const SECRET_FINGERPRINT_LENGTH = 16;

/**
 * A sha256 prefix of a secret (a corpSecret, a suite or provider secret, a permanent code): part
 * of a cache key, so that a reset secret gets a new key and the secret itself never reaches the
 * store. Uses Web Crypto, which Node 20 and browsers both have.
 */
export async function secretFingerprint(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, SECRET_FINGERPRINT_LENGTH);
}

/** The cache key of an app's access token from gettoken: corpId, agentId and the secret's fingerprint. */
export async function tokenCacheKey({ corpId, corpSecret, agentId }: TokenIdentity): Promise<string> {
  return `wecom:token:${corpId}:${agentId ?? '-'}:${await secretFingerprint(corpSecret)}`;
}
