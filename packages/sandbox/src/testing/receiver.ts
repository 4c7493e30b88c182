import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallbackMessage, createCallbackHandler } from '@wecom-kit/core/callbacks';

export const CALLBACK_TOKEN = 'sandboxCallbackToken';
/** 43 characters, as WeCom's EncodingAESKey always is. */
export const CALLBACK_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export interface Receiver {
  readonly url: string;
  /** Events as the app's handler saw them, after verification, decryption and dedupe. */
  readonly events: CallbackMessage[];
  /** HTTP statuses answered, one per delivery attempt. */
  readonly statuses: number[];
  /** The raw XML envelopes POSTed, one per delivery attempt. */
  readonly envelopes: string[];
  /** Answers the next `count` POSTs with `status` before the handler runs, to make the sandbox retry. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

/** An app's callback endpoint: core's handler behind node:http, recording what it receives. */
export async function startReceiver(corpId: string): Promise<Receiver> {
  const events: CallbackMessage[] = [];
  const statuses: number[] = [];
  const envelopes: string[] = [];
  let failing = { count: 0, status: 500 };
  const handle = createCallbackHandler({
    token: CALLBACK_TOKEN,
    encodingAESKey: CALLBACK_AES_KEY,
    corpId,
    on: { event: (message) => void events.push(message) },
  });
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method === 'POST') envelopes.push(Buffer.concat(chunks).toString('utf8'));
    let answer: Response;
    if (failing.count > 0) {
      failing.count--;
      answer = new Response('down', { status: failing.status });
    } else {
      answer = await handle(
        new Request(`http://receiver${request.url}`, {
          method: request.method,
          body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
        }),
      );
    }
    statuses.push(answer.status);
    response.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    events,
    statuses,
    envelopes,
    failNext: (count, status = 500) => {
      failing = { count, status };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
