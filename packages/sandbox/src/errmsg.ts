/**
 * Formats an errmsg the way WeCom does, so that clients parsing `hint` and troubleshooting
 * links are exercised against the real shape:
 * `<text>, hint: [<request id>], from ip: <ip>, more info at https://open.work.weixin.qq.com/devtool/query?e=<code>`.
 */
export function formatErrmsg(errcode: number, text: string, requestId: string, fromIp = ''): string {
  if (errcode === 0) return 'ok';
  return `${text}, hint: [${requestId}], from ip: ${fromIp}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** Request ids in the all-digit style WeCom has used since 2024, unique per sandbox process. */
export function createRequestIdGenerator(startMs: number = Date.now()): () => string {
  let sequence = 0;
  return () => `${startMs}${String(sequence++).padStart(12, '0')}`;
}
