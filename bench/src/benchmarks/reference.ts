import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measureReference } from '@wecom-kit/docs/reference-speed';
import { DEFAULT_DIST_DIR, startPortal } from '@wecom-kit/docs/serve';
import { FigureSet } from '../lib/figures';

const RUNS = 5;

/**
 * How fast the docs portal's reference shows what a reader came for, in a cold offline Chromium:
 * the portal `pnpm bench` built (docs/dist), served on 127.0.0.1.
 */
export async function reference(): Promise<FigureSet> {
  const figures = new FigureSet('reference');
  const names = [
    { name: 'first operation painted (/reference/)', unit: 'ms', target: { op: '<', value: 1500 } },
    { name: 'deep link on screen (#operation/getMomentList)', unit: 'ms', target: { op: '<', value: 2000 } },
  ] as const;
  if (!existsSync(join(DEFAULT_DIST_DIR, 'reference/index.html'))) {
    figures.unmeasured(names, 'docs/dist has no reference: run `pnpm docs:build`.');
    return figures;
  }
  const portal = await startPortal({ distDir: DEFAULT_DIST_DIR, port: 0 });
  try {
    const measured = await measureReference({ baseUrl: portal.url, runs: RUNS });
    const spread = ({ min, max }: { min: number; max: number }) =>
      `median of ${RUNS} cold loads after a warm-up, min ${Math.round(min)}, max ${Math.round(max)} ms`;
    const [first, deepLink] = names;
    figures.add({
      ...first,
      value: measured.firstOperation.median,
      digits: 0,
      detail: `${spread(measured.firstOperation)}; Redoc's markup is prerendered at build time`,
    });
    figures.add({
      ...deepLink,
      value: measured.deepLink.median,
      digits: 0,
      detail: `${spread(measured.deepLink)}; from /reference/, redirected to moments.html and scrolled there`,
    });
    figures.add({
      name: 'live Redoc took over (/reference/, answers clicks)',
      value: measured.live.median,
      digits: 0,
      unit: 'ms',
      detail: spread(measured.live),
    });
  } finally {
    await portal.close();
  }
  return figures;
}
