import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decryptCallbackMessage,
  parseCallbackMessage,
  verifyCallbackSignature,
} from '@wecom-kit/core/callbacks';
import { CALLBACK_AES_KEY, CALLBACK_TOKEN } from './receiver';

/** A command callback as the suite's command URL saw it, after the checks an app makes. */
export interface ReceivedCommand {
  /** The decrypted message's fields (InfoType, SuiteId, SuiteTicket, AuthCode, AuthCorpId, ...). */
  message: Record<string, unknown>;
  /** The receive id inside the encryption: WeCom puts the suite id there. */
  receiveId: string;
  /** The envelope's ToUserName and AgentID. */
  envelope: { ToUserName: unknown; AgentID: unknown };
}

export interface CommandReceiver {
  readonly url: string;
  readonly commands: ReceivedCommand[];
  /** Deliveries whose signature did not verify (always 0 when the sandbox signs right). */
  readonly badSignatures: number;
  close(): Promise<void>;
}

/**
 * A suite's command callback URL: verifies each POST's signature with core's callback crypto,
 * decrypts it and records the message with its receive id, answering `success` as WeCom expects.
 */
export async function startCommandReceiver(): Promise<CommandReceiver> {
  const commands: ReceivedCommand[] = [];
  let badSignatures = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const query = new URL(request.url ?? '/', 'http://receiver').searchParams;
    const envelope = parseCallbackMessage(Buffer.concat(chunks).toString('utf8'));
    const encrypted = String(envelope.Encrypt);
    const signed = verifyCallbackSignature(query.get('msg_signature') ?? '', {
      token: CALLBACK_TOKEN,
      timestamp: query.get('timestamp') ?? '',
      nonce: query.get('nonce') ?? '',
      encrypted,
    });
    if (!signed) {
      badSignatures++;
      return void response.writeHead(403).end();
    }
    const { message, receiveId } = decryptCallbackMessage(encrypted, CALLBACK_AES_KEY);
    commands.push({
      message: parseCallbackMessage(message),
      receiveId,
      envelope: { ToUserName: envelope.ToUserName, AgentID: envelope.AgentID },
    });
    response.writeHead(200).end('success');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/suite/receive`,
    commands,
    get badSignatures() {
      return badSignatures;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
