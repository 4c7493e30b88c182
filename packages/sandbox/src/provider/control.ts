import { ApiError } from '../api-error';
import type { ProviderWorld } from './world';

/** The provider mode's control routes (README, "Provider mode"), by `METHOD path-after-/__sandbox/`. */
export const PROVIDER_ROUTES = [
  'GET provider',
  'POST provider/authorize',
  'POST provider/change',
  'POST provider/cancel',
  'POST provider/reset-permanent-code',
  'POST provider/push-ticket',
] as const;

export function isProviderRoute(route: string): boolean {
  return (PROVIDER_ROUTES as readonly string[]).includes(route);
}

/** Runs a provider route; its answer's extra fields (errcode/errmsg are added by the caller). */
export function runProviderRoute(
  world: ProviderWorld | undefined,
  route: string,
  body: Record<string, unknown>,
): object {
  if (!world)
    throw new ApiError(
      40058,
      'the sandbox runs without the provider mode: start it with provider options (CLI --provider)',
    );
  switch (route) {
    case 'GET provider':
      return {
        suiteId: world.suiteId,
        providerCorpId: world.providerCorpId,
        corps: world.corps.map((corp) => ({
          index: corp.index,
          corpId: corp.corpId,
          openCorpId: corp.openCorpId,
          name: corp.name,
          authorized: corp.authorization !== undefined,
          appType: corp.authorization?.appType ?? null,
          migrated: corp.migrated,
        })),
      };
    case 'POST provider/authorize':
      return world.authorize(body);
    case 'POST provider/change':
      world.change(body.corp);
      return {};
    case 'POST provider/cancel':
      world.cancel(body.corp);
      return {};
    case 'POST provider/reset-permanent-code':
      return world.resetPermanentCode(body.corp);
    default:
      return { suite_ticket: world.pushTicket() };
  }
}
