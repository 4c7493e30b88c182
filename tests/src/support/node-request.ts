import type { IncomingMessage } from 'node:http';

/** node:http request → fetch Request, which is what createCallbackHandler takes. */
export async function toRequest(request: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Request(`http://${request.headers.host}${request.url}`, {
    method: request.method,
    headers: request.headers as Record<string, string>,
    body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
  });
}
