import { randomInt } from 'node:crypto';
import { encryptCallbackMessage, signCallback } from './crypto';
import { buildCallbackXml, type CallbackMessageFields } from './xml';

// The sending side of callbacks, as WeCom does it: for the sandbox, which delivers events to an
// app's callback URL, and for tests of a receiving app.

export interface CallbackSenderOptions {
  token: string;
  encodingAESKey: string;
  corpId: string;
  /** Unix seconds to sign with. Default: now. */
  timestamp?: number;
  /** Default: a random number, as WeCom sends. */
  nonce?: string;
  /** Copied into the envelope's `AgentID`, as WeCom does for app callbacks. */
  agentId?: string | number;
}

export interface SealedCallback {
  /** The query parameters WeCom appends to the callback URL. */
  query: { msg_signature: string; timestamp: string; nonce: string };
  /** The XML envelope WeCom POSTs. */
  body: string;
}

/** Encrypts and signs a message (XML, or fields to serialise) into the request WeCom would send. */
export function sealCallbackMessage(
  message: string | CallbackMessageFields,
  options: CallbackSenderOptions,
): SealedCallback {
  const xml = typeof message === 'string' ? message : buildCallbackXml(message);
  const encrypted = encryptCallbackMessage(xml, {
    encodingAESKey: options.encodingAESKey,
    receiveId: options.corpId,
  });
  const query = signedQuery(options, encrypted);
  const body = buildCallbackXml({
    ToUserName: options.corpId,
    Encrypt: encrypted,
    AgentID: options.agentId === undefined ? undefined : String(options.agentId),
  });
  return { query, body };
}

/** The POST WeCom would make to `url` for `message`. */
export function createCallbackRequest(
  url: string | URL,
  message: string | CallbackMessageFields,
  options: CallbackSenderOptions,
): Request {
  const { query, body } = sealCallbackMessage(message, options);
  return new Request(withQuery(url, query), {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body,
  });
}

/** The GET WeCom makes when an administrator saves the callback URL; the app must answer `echo`. */
export function createUrlVerificationRequest(
  url: string | URL,
  echo: string,
  options: CallbackSenderOptions,
): Request {
  const echostr = encryptCallbackMessage(echo, {
    encodingAESKey: options.encodingAESKey,
    receiveId: options.corpId,
  });
  return new Request(withQuery(url, { ...signedQuery(options, echostr), echostr }));
}

function signedQuery(options: CallbackSenderOptions, encrypted: string): SealedCallback['query'] {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomInt(1_000_000_000, 9_999_999_999));
  return {
    msg_signature: signCallback({ token: options.token, timestamp, nonce, encrypted }),
    timestamp,
    nonce,
  };
}

function withQuery(url: string | URL, query: Record<string, string>): URL {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  return target;
}
