import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CallbackCryptoError,
  decryptCallbackMessage,
  deriveCallbackKey,
  encryptCallbackMessage,
  signCallback,
  verifyCallbackSignature,
} from './crypto';
import { OFFICIAL_SAMPLE as OFFICIAL } from './crypto.fixtures';

/** The random prefix the official encryptor chose: the first plaintext block of its output. */
function officialRandomPrefix(encrypted: string): Buffer {
  const { key, iv } = deriveCallbackKey(OFFICIAL.encodingAESKey);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return decipher.update(Buffer.from(encrypted, 'base64').subarray(0, 16));
}

describe('the official sample vectors', () => {
  it('sign the URL verification as WeCom did, and its echostr decrypts for the corp', () => {
    const { msgSignature, timestamp, nonce, echostr, echo } = OFFICIAL.verifyUrl;
    expect(signCallback({ token: OFFICIAL.token, timestamp, nonce, encrypted: echostr })).toBe(msgSignature);
    expect(decryptCallbackMessage(echostr, OFFICIAL.encodingAESKey)).toEqual({
      message: echo,
      receiveId: OFFICIAL.corpId,
    });
  });

  it('sign and decrypt the sample message', () => {
    const { msgSignature, timestamp, nonce, encrypt, plaintext } = OFFICIAL.message;
    expect(
      verifyCallbackSignature(msgSignature, { token: OFFICIAL.token, timestamp, nonce, encrypted: encrypt }),
    ).toBe(true);
    expect(decryptCallbackMessage(encrypt, OFFICIAL.encodingAESKey)).toEqual({
      message: plaintext,
      receiveId: OFFICIAL.corpId,
    });
  });

  it('encrypt byte for byte as the official library did, given its random prefix', () => {
    for (const { encrypted, message } of [
      { encrypted: OFFICIAL.message.encrypt, message: OFFICIAL.message.plaintext },
      { encrypted: OFFICIAL.verifyUrl.echostr, message: OFFICIAL.verifyUrl.echo },
    ]) {
      const randomPrefix = officialRandomPrefix(encrypted);
      expect(
        encryptCallbackMessage(message, {
          encodingAESKey: OFFICIAL.encodingAESKey,
          receiveId: OFFICIAL.corpId,
          randomPrefix,
        }),
      ).toBe(encrypted);
    }
  });
});

describe('encryptCallbackMessage and decryptCallbackMessage', () => {
  const options = { encodingAESKey: OFFICIAL.encodingAESKey, receiveId: 'ww4asffe99e54c0f4c' };

  it.each([
    ['an empty message', ''],
    ['a message that fills the last block exactly', 'x'.repeat(32 * 3 - 20 - options.receiveId.length)],
    ['a message one byte longer', 'x'.repeat(32 * 3 - 19 - options.receiveId.length)],
    ['Chinese text', '<xml><Content><![CDATA[欢迎，张三]]></Content></xml>'],
  ])('round-trip %s, padding to whole 32-byte blocks', (_name, message) => {
    const encrypted = encryptCallbackMessage(message, options);
    expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
    expect(decryptCallbackMessage(encrypted, options.encodingAESKey)).toEqual({
      message,
      receiveId: options.receiveId,
    });
  });

  it('use a fresh random prefix each time', () => {
    expect(encryptCallbackMessage('same', options)).not.toBe(encryptCallbackMessage('same', options));
  });

  it.each([
    ['not base64', 'not base64!'],
    ['not whole AES blocks', Buffer.alloc(20).toString('base64')],
    ['empty', ''],
  ])('refuse a value that is %s', (_name, encrypted) => {
    expect(() => decryptCallbackMessage(encrypted, options.encodingAESKey)).toThrow(CallbackCryptoError);
  });

  it('refuse a message encrypted with another key', () => {
    const other = encryptCallbackMessage('<xml/>', { ...options, encodingAESKey: 'a'.repeat(43) });
    expect(() => decryptCallbackMessage(other, options.encodingAESKey)).toThrow(CallbackCryptoError);
  });

  it('refuse a key that is not 43 base64 characters', () => {
    expect(() => deriveCallbackKey(OFFICIAL.encodingAESKey.slice(1))).toThrow(/43-character/);
    expect(() => deriveCallbackKey(`${OFFICIAL.encodingAESKey.slice(1)}=`)).toThrow(/43-character/);
  });
});

describe('verifyCallbackSignature', () => {
  const input = {
    token: OFFICIAL.token,
    timestamp: OFFICIAL.message.timestamp,
    nonce: OFFICIAL.message.nonce,
    encrypted: OFFICIAL.message.encrypt,
  };

  it('accepts the signature in either case', () => {
    expect(verifyCallbackSignature(OFFICIAL.message.msgSignature.toUpperCase(), input)).toBe(true);
  });

  it.each([
    ['another nonce', { ...input, nonce: '1372623150' }],
    ['another token', { ...input, token: 'QDG6eL' }],
    ['another ciphertext', { ...input, encrypted: OFFICIAL.verifyUrl.echostr }],
  ])('rejects the signature for %s', (_name, changed) => {
    expect(verifyCallbackSignature(OFFICIAL.message.msgSignature, changed)).toBe(false);
  });

  it.each(['', 'abc', `${OFFICIAL.message.msgSignature}00`, 'z'.repeat(40)])(
    'rejects the malformed signature %j',
    (bad) => {
      expect(verifyCallbackSignature(bad, input)).toBe(false);
    },
  );
});
