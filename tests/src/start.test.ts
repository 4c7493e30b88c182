import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `pnpm start` is the README's main command: this runs its script (the packages are already built
// by the test pipeline) and checks that everything it announces answers.
const repoRoot = join(import.meta.dirname, '../..');
let child: ChildProcess;
let output = '';
const ports = { sandbox: 0, portal: 0 };

beforeAll(async () => {
  // Port 0 lets the system pick free ports; the test reads them off the printed URLs, which proves
  // that start announces (and tells the sandbox) the ports really in use.
  child = spawn('node', ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, SANDBOX_PORT: '0', PORTAL_PORT: '0' },
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  ports.portal = Number(/portal\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1]);
  ports.sandbox = Number(/sandbox\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
}, 40_000);

afterAll(() => {
  child?.kill('SIGINT');
});

describe('pnpm start', () => {
  it('prints the URLs and the sandbox credentials', () => {
    expect(ports.portal).toBeGreaterThan(0);
    expect(ports.sandbox).toBeGreaterThan(0);
    expect(output).toContain(`http://127.0.0.1:${ports.portal}/reference/`);
    expect(output).toContain(`http://127.0.0.1:${ports.portal}/api/wecom-callback`);
    expect(output).toContain(`http://127.0.0.1:${ports.sandbox}`);
    expect(output).toMatch(/corpId\s+\S+/);
  });

  it('serves the sandbox with the printed credentials', async () => {
    const corpId = /corpId\s+(\S+)/.exec(output)?.[1];
    const secret = /secret\s+(\S+)/.exec(output)?.[1];
    const answer = await fetch(
      `http://127.0.0.1:${ports.sandbox}/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${secret}`,
    );
    expect((await answer.json()).errcode).toBe(0);
  });

  it('serves the portal home page and the API reference', async () => {
    for (const path of ['/', '/reference/']) {
      const page = await fetch(`http://127.0.0.1:${ports.portal}${path}`);
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain('<html');
    }
  });
});

/** Reads a text/event-stream until `enough` holds for the entries (the `data` of messages with an id). */
async function readFeed(response: Response, enough: (entries: FeedEntry[]) => boolean): Promise<FeedEntry[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const entries: FeedEntry[] = [];
  let pending = '';
  while (!enough(entries)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended after ${JSON.stringify(entries)}`);
    pending += decoder.decode(value, { stream: true });
    const blocks = pending.split('\n\n');
    pending = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (/^id: /m.test(block) && data) entries.push(JSON.parse(data));
    }
  }
  await reader.cancel();
  return entries;
}

interface FeedEntry {
  kind: string;
  id: string;
  replyTo?: string;
  ok?: boolean;
  event?: Record<string, unknown>;
}

describe("the demo's live feed under pnpm start", () => {
  it('shows a customer the sandbox adds, and that the backend welcomed them', async () => {
    const portal = `http://127.0.0.1:${ports.portal}`;
    // Generous: the whole suite shares two cores with the other packages' tests.
    const stream = await fetch(`${portal}/api/events`, { signal: AbortSignal.timeout(30_000) });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const simulated = await fetch(`${portal}/api/demo/simulate-customer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(simulated.status).toBe(200);
    const { external_userid: externalUserid } = (await simulated.json()) as { external_userid: string };

    const eventOf = (entries: FeedEntry[]) =>
      entries.find((entry) => entry.kind === 'callback' && entry.event?.ExternalUserID === externalUserid);
    const welcomeOf = (entries: FeedEntry[]) =>
      entries.find((entry) => entry.kind === 'welcome' && entry.replyTo === eventOf(entries)?.id);
    const entries = await readFeed(stream, (seen) => welcomeOf(seen) !== undefined);
    expect(eventOf(entries)?.event).toMatchObject({ ChangeType: 'add_external_contact', State: 'demo' });
    expect(welcomeOf(entries)?.ok).toBe(true);
  }, 40_000);
});
