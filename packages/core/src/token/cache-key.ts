export interface TokenIdentity {
  corpId: string;
  corpSecret: string;
  agentId?: string | number;
}

const SECRET_FINGERPRINT_LENGTH = 16;

/**
 * The cache key of an app's token: corpId, agentId and a sha256 prefix of the secret, so that a
 * reset secret gets a new key and the secret itself never reaches the store. Uses Web Crypto, which
 * Node 20 and browsers both have.
 */
export async function tokenCacheKey({ corpId, corpSecret, agentId }: TokenIdentity): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(corpSecret));
  const fingerprint = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, SECRET_FINGERPRINT_LENGTH);
  return `wecom:token:${corpId}:${agentId ?? '-'}:${fingerprint}`;
}
