// Attacks on the demo's callback route (createCallbackHandler) as `pnpm start` serves it: forged,
// stale, replayed and hostile messages. A message that gets through makes the demo spend its
// WelcomeCode, which the sandbox counts as a send_welcome_msg call.
import { sealCallbackMessage, signCallback } from '@wecom-kit/core/callbacks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, rawRequest, startStack } from './stack';

// The demo's callback settings (examples/dashboard/server.mjs, DEMO_CALLBACK).
const DEMO_CALLBACK = {
  token: 'wecomKitDemo',
  encodingAESKey: 'wecomKitDemoEncodingAESKey0123456789abcdefg',
};
const WELCOME = '/cgi-bin/externalcontact/send_welcome_msg';

let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.stop());

function seal(xml: string, timestamp = Math.floor(Date.now() / 1000)) {
  return sealCallbackMessage(xml, {
    ...DEMO_CALLBACK,
    corpId: stack.corpId,
    timestamp,
    nonce: `n${timestamp}`,
  });
}

const addCustomer = (welcomeCode: string) =>
  `<xml><ToUserName><![CDATA[${stack.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
  `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
  '<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
  `<UserID><![CDATA[u1]]></UserID><ExternalUserID><![CDATA[wm1]]></ExternalUserID><WelcomeCode><![CDATA[${welcomeCode}]]></WelcomeCode></xml>`;

async function deliver(sealed: ReturnType<typeof seal>, tamper: (body: string) => string = (body) => body) {
  const query = new URLSearchParams(sealed.query).toString();
  return rawRequest(stack.portal, `/api/wecom-callback?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: tamper(sealed.body),
  });
}

const welcomes = async () => (await stack.stats()).calls[WELCOME] ?? 0;

describe('the callback route', () => {
  it('takes a genuine message once, and refuses its replay', async () => {
    const sealed = seal(addCustomer('WELCOME-CODE-REPLAYED'));
    const before = await welcomes();
    expect((await deliver(sealed)).status).toBe(200);
    await expect.poll(welcomes).toBe(before + 1);
    expect((await deliver(sealed)).status).toBe(200); // acknowledged, so WeCom stops resending
    expect(await welcomes()).toBe(before + 1);
  });

  const forged = () => {
    const sealed = seal(addCustomer('W-FORGED'));
    return deliver({ ...sealed, query: { ...sealed.query, msg_signature: '0'.repeat(40) } });
  };
  const stale = () => deliver(seal(addCustomer('W-STALE'), Math.floor(Date.now() / 1000) - 3600));

  it.each([
    ['a forged signature', forged, 401],
    ['a stale timestamp (an hour old)', stale, 401],
    ['bad padding (a flipped last ciphertext byte, signed again)', deliverBadPadding, 400],
    ['an XML bomb (entity expansion)', deliverXmlBomb, 400],
  ] as const)('refuses %s, and nothing is applied', async (_name, attack, status) => {
    const before = await welcomes();
    expect((await attack()).status).toBe(status);
    expect(await welcomes()).toBe(before);
  });
});

/** A ciphertext whose padding cannot be valid, with a correct signature over it (a padding oracle probe). */
function deliverBadPadding() {
  const sealed = seal(addCustomer('W-PADDING'));
  const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(sealed.body)?.[1] ?? '';
  const bytes = Buffer.from(encrypted, 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
  const tampered = bytes.toString('base64');
  const msg_signature = signCallback({ ...DEMO_CALLBACK, ...sealed.query, encrypted: tampered });
  return deliver({ ...sealed, query: { ...sealed.query, msg_signature } }, (body) =>
    body.replace(encrypted, tampered),
  );
}

/** A billion laughs in the outer envelope, which is parsed before anything is verified. */
function deliverXmlBomb() {
  const sealed = seal(addCustomer('W-BOMB'));
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
  return deliver(sealed, (body) => bomb + body.replace('<ToUserName>', '<ToUserName>&lol3;'));
}
