import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// WeCom's message crypto (加解密方案), byte for byte what the official WXBizMsgCrypt libraries do,
// so that messages they produce decrypt here and messages produced here decrypt there.

/** The official libraries pad to 32-byte blocks, not to AES's 16, so Node's own padding is off. */
const PAD_BLOCK = 32;
const RANDOM_PREFIX_BYTES = 16;
const LENGTH_BYTES = 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SIGNATURE = /^[0-9a-f]{40}$/;

/** A message that cannot be decrypted: bad base64, bad length, bad padding or bad framing. */
export class CallbackCryptoError extends Error {
  override name = 'CallbackCryptoError';
}

export interface CallbackKey {
  readonly key: Buffer;
  readonly iv: Buffer;
}

/**
 * The AES-256 key is the base64 decoding of the 43-character EncodingAESKey plus `=`; the IV is
 * its first 16 bytes. Throws when the key is not 43 base64 characters, which is a setup mistake.
 */
export function deriveCallbackKey(encodingAESKey: string): CallbackKey {
  if (!ENCODING_AES_KEY.test(encodingAESKey)) {
    throw new TypeError(
      'encodingAESKey must be the 43-character EncodingAESKey from the callback settings (letters, digits, + and /).',
    );
  }
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  return { key, iv: key.subarray(0, 16) };
}

export interface CallbackSignatureInput {
  token: string;
  timestamp: string | number;
  nonce: string;
  /** The base64 `Encrypt` value (or the `echostr` of a URL verification). */
  encrypted: string;
}

/** `msg_signature`: SHA-1 hex of the four strings sorted and concatenated, as the official libraries compute it. */
export function signCallback({ token, timestamp, nonce, encrypted }: CallbackSignatureInput): string {
  // The official PHP library sorts with SORT_STRING (byte order); for the ASCII values WeCom uses,
  // JavaScript's default code-unit order is the same.
  const joined = [token, String(timestamp), nonce, encrypted].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Compares a received `msg_signature` with the expected one in constant time. */
export function verifyCallbackSignature(signature: string, input: CallbackSignatureInput): boolean {
  const normalized = signature.toLowerCase();
  if (!SIGNATURE.test(normalized)) return false;
  return timingSafeEqual(Buffer.from(normalized, 'hex'), Buffer.from(signCallback(input), 'hex'));
}

export interface EncryptCallbackOptions {
  encodingAESKey: string;
  /** The corp id for corporation callbacks (the suite id for third-party suite callbacks). */
  receiveId: string;
  /** The 16-byte prefix; random unless a test needs a fixed ciphertext. */
  randomPrefix?: Uint8Array;
}

/** Encrypts a message as WeCom does: 16 random bytes, 4-byte big-endian length, message, receive id. */
export function encryptCallbackMessage(message: string, options: EncryptCallbackOptions): string {
  const { key, iv } = deriveCallbackKey(options.encodingAESKey);
  const prefix = options.randomPrefix ?? randomBytes(RANDOM_PREFIX_BYTES);
  if (prefix.length !== RANDOM_PREFIX_BYTES) throw new TypeError('randomPrefix must be 16 bytes.');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([prefix, length, body, Buffer.from(options.receiveId, 'utf8')]);
  const padLength = PAD_BLOCK - (plain.length % PAD_BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(plain),
    cipher.update(Buffer.alloc(padLength, padLength)),
    cipher.final(),
  ]).toString('base64');
}

export interface DecryptedCallbackMessage {
  message: string;
  /** Whom WeCom encrypted the message for; the caller compares it with its corp id. */
  receiveId: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decrypts an `Encrypt` value. Throws {@link CallbackCryptoError} when it is not a well-formed WeCom message. */
export function decryptCallbackMessage(
  encrypted: string,
  encodingAESKey: string | CallbackKey,
): DecryptedCallbackMessage {
  const { key, iv } = typeof encodingAESKey === 'string' ? deriveCallbackKey(encodingAESKey) : encodingAESKey;
  if (!BASE64.test(encrypted)) throw new CallbackCryptoError('the encrypted message is not base64');
  const cipherText = Buffer.from(encrypted, 'base64');
  if (cipherText.length === 0 || cipherText.length % 16 !== 0) {
    throw new CallbackCryptoError('the encrypted message is not a whole number of AES blocks');
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(cipherText), decipher.final()]);
  const plain = padded.subarray(0, padded.length - paddingLength(padded));
  if (plain.length < RANDOM_PREFIX_BYTES + LENGTH_BYTES)
    throw new CallbackCryptoError('the decrypted message is too short');
  const messageLength = plain.readUInt32BE(RANDOM_PREFIX_BYTES);
  const messageStart = RANDOM_PREFIX_BYTES + LENGTH_BYTES;
  if (messageStart + messageLength > plain.length) {
    throw new CallbackCryptoError('the decrypted message is shorter than its length field');
  }
  try {
    return {
      message: utf8.decode(plain.subarray(messageStart, messageStart + messageLength)),
      receiveId: utf8.decode(plain.subarray(messageStart + messageLength)),
    };
  } catch {
    throw new CallbackCryptoError('the decrypted message is not UTF-8');
  }
}

/** PKCS#7 to 32-byte blocks, checked strictly: official encryptors never produce anything else. */
function paddingLength(padded: Buffer): number {
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > padded.length) throw new CallbackCryptoError('bad padding');
  for (let index = padded.length - pad; index < padded.length; index += 1) {
    if (padded[index] !== pad) throw new CallbackCryptoError('bad padding');
  }
  return pad;
}
