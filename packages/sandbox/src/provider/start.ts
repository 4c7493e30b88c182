import { createDeliveryQueue } from '../callbacks';
import type { SandboxStats } from '../stats';
import { type ProviderOptions, providerSettings } from './options';
import { ProviderWorld } from './world';

/** The provider mode's world, its first suite ticket pushed; undefined without the option. */
export function startProvider(
  options: ProviderOptions | undefined,
  base: { seed: number; scale: number; tokenTtl: number },
  now: () => number,
  stats: SandboxStats,
): ProviderWorld | undefined {
  if (!options) return undefined;
  const settings = providerSettings(options);
  // Command callbacks are sealed with the suite id as receive id, and an empty AgentID (doc 97172).
  const commands = createDeliveryQueue(
    settings.commandCallback,
    { receiveId: settings.suiteId, agentId: '' },
    stats,
  );
  const world = new ProviderWorld(settings, base, now, commands);
  world.tick();
  return world;
}
