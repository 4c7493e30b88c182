// Prints how fast the reference shows the first operation and a deep link (median of 5 cold
// Chromium loads each, after an uncounted warm-up), with the load average the machine had while
// measuring. The targets (1.5 s and 2 s on the 2-core CI machine) are reported, not asserted: the
// machine is shared, so the bound here only catches a reference that stopped rendering or got
// several times slower.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureReference } from '../reference-speed.mjs';
import { startPortal } from '../serve.mjs';
import { buildPortal } from './portal';

let distDir: string;
let portal: Awaited<ReturnType<typeof startPortal>>;

beforeAll(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'portal-speed-'));
  await buildPortal({ outDir: distDir });
  portal = await startPortal({ distDir, port: 0 });
}, 120_000);

afterAll(async () => {
  await portal?.close();
  if (distDir) await rm(distDir, { recursive: true, force: true });
});

it('renders the first operation and a deep link quickly (figures printed)', async () => {
  const loadBefore = loadavg()[0] ?? 0;
  const figures = await measureReference({ baseUrl: portal.url });
  const loadAfter = loadavg()[0] ?? 0;
  const line = (name: string, target: string, { median, min, max }: typeof figures.deepLink) =>
    `  ${name.padEnd(36)} median ${Math.round(median)} ms (min ${Math.round(min)}, max ${Math.round(max)}; target ${target})`;
  console.log(
    [
      `reference speed, cold Chromium, median of 5 (load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after):`,
      line('first operation painted', '< 1500 ms', figures.firstOperation),
      line('deep link #operation/getMomentList', '< 2000 ms', figures.deepLink),
      line('live Redoc (answers clicks)', 'none', figures.live),
    ].join('\n'),
  );
  expect(figures.firstOperation.median).toBeLessThan(15_000);
  expect(figures.deepLink.median).toBeLessThan(20_000);
}, 300_000);
