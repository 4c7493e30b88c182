import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../api-error';
import type { DeliveryQueue } from '../callbacks';
import { createState, type SandboxState } from '../state';
import { toSeconds } from '../time';
import { SUITE_TOKEN_ERRORS, TokenRegistry } from '../tokens';
import type { ProviderSettings } from './options';
import { SuiteTickets } from './tickets';

/** Third-party apps get corp tokens from get_corp_token, customized apps (代开发) from gettoken. */
export type AppType = 'third_party' | 'customized';

/** A temporary authorization code works once, for ten minutes (doc 90642). */
const AUTH_CODE_LIFETIME_MS = 10 * 60_000;

export interface Authorization {
  appType: AppType;
  permanentCode: string;
  /** The `state` of the installation link, echoed by get_permanent_code. */
  state?: string;
}

/** One corporation that may authorize the suite: its own seeded data and its own tokens. */
export interface AuthorizingCorp {
  readonly index: number;
  /** The plain corp id, as the corporation itself knows it. */
  readonly corpId: string;
  /** The provider-level (encrypted) corp id the provider's apps see since the 2022 ID upgrade. */
  readonly openCorpId: string;
  readonly name: string;
  readonly agentId: number;
  readonly state: SandboxState;
  readonly tokens: TokenRegistry;
  authorization: Authorization | undefined;
  /** Set by finish_external_userid_migration. */
  migrated: boolean;
}

export interface WorldSeed {
  seed: number;
  scale: number;
  tokenTtl: number;
}

/** A command callback as the suite's command URL receives it, before sealing. */
type CommandMessage = { InfoType: string } & Record<string, string | number>;

/**
 * WeCom as a service provider meets it: the suite with its tickets and token, the provider token,
 * and the authorizing corporations with their authorizations, codes and corp tokens. Every change
 * that WeCom announces by command callback is queued to the suite's command URL.
 */
export class ProviderWorld {
  readonly suiteTokens: TokenRegistry;
  readonly providerTokens: TokenRegistry;
  readonly tickets: SuiteTickets;
  corps: AuthorizingCorp[] = [];
  private readonly authCodes = new Map<string, { corp: AuthorizingCorp; expiresAt: number }>();

  constructor(
    readonly settings: ProviderSettings,
    private readonly seed: WorldSeed,
    private readonly now: () => number,
    private readonly commands: DeliveryQueue,
  ) {
    this.suiteTokens = new TokenRegistry(seed.tokenTtl, now, SUITE_TOKEN_ERRORS);
    this.providerTokens = new TokenRegistry(seed.tokenTtl, now);
    this.tickets = new SuiteTickets(now);
    this.reset();
  }

  get suiteId(): string {
    return this.settings.suiteId;
  }

  get providerCorpId(): string {
    return this.settings.providerCorpId;
  }

  /** Resolves when every queued command callback has been delivered or given up (tests, close). */
  idle(): Promise<void> {
    return this.commands.idle();
  }

  /** Back to the start: every corp unauthorized with freshly seeded data, no token, no ticket. */
  reset(): void {
    const { providerCorpId } = this.settings;
    this.corps = Array.from({ length: this.settings.corps }, (_, index) => {
      const corpId = `wwsandboxauthcorp${String(index + 1).padStart(4, '0')}`;
      return {
        index,
        corpId,
        openCorpId: `wp${createHash('sha256').update(`${providerCorpId}:${corpId}`).digest('base64url').slice(0, 30)}`,
        name: `沙箱授权企业${index + 1}`,
        agentId: 1_000_100 + index,
        state: createState({
          seed: this.seed.seed + index + 1,
          scale: this.seed.scale,
          now: this.now(),
          idTag: `C${index + 1}SANDBOX`,
        }),
        tokens: new TokenRegistry(this.seed.tokenTtl, this.now),
        authorization: undefined,
        migrated: false,
      };
    });
    this.authCodes.clear();
    this.suiteTokens.reset();
    this.providerTokens.reset();
    this.tickets.reset();
  }

  /** Pushes a suite ticket when one is due (at start, then every ten minutes of sandbox time). */
  tick(): void {
    if (this.tickets.due()) this.pushTicket();
  }

  pushTicket(): string {
    const ticket = this.tickets.issue();
    this.push({ InfoType: 'suite_ticket', SuiteTicket: ticket });
    return ticket;
  }

  /** A corp by index, plain or open corp id; a control error names the choices. */
  corp(ref: unknown): AuthorizingCorp {
    const found =
      typeof ref === 'number'
        ? this.corps[ref]
        : this.corps.find((corp) => corp.corpId === ref || corp.openCorpId === ref);
    if (!found) {
      throw new ApiError(
        40058,
        `unknown corp ${JSON.stringify(ref)}: use an index from 0 to ${this.corps.length - 1} or a corp id listed by GET /__sandbox/provider`,
      );
    }
    return found;
  }

  /** A corporation installs the suite: a new permanent code, a temporary code, `create_auth`. */
  authorize(input: { corp?: unknown; appType?: unknown; state?: unknown }): {
    auth_corpid: string;
    auth_code: string;
  } {
    const corp =
      input.corp === undefined
        ? this.corps.find((candidate) => !candidate.authorization)
        : this.corp(input.corp);
    if (!corp) throw new ApiError(40058, 'every corp has authorized already: cancel one first');
    if (corp.authorization)
      throw new ApiError(40058, `${corp.corpId} has authorized already: cancel it first`);
    const appType = input.appType ?? 'third_party';
    if (appType !== 'third_party' && appType !== 'customized') {
      throw new ApiError(
        40058,
        `appType must be "third_party" or "customized", got ${JSON.stringify(appType)}`,
      );
    }
    if (input.state !== undefined && typeof input.state !== 'string') {
      throw new ApiError(40058, 'state must be a string');
    }
    corp.authorization = {
      appType,
      permanentCode: randomBytes(32).toString('base64url'),
      ...(input.state !== undefined && { state: input.state }),
    };
    const authCode = this.issueAuthCode(corp);
    this.push({
      InfoType: 'create_auth',
      AuthCode: authCode,
      ...(input.state !== undefined && { State: input.state }),
    });
    return { auth_corpid: corp.openCorpId, auth_code: authCode };
  }

  /** The corporation changed what it grants; WeCom only says that it did. */
  change(ref: unknown): void {
    const corp = this.authorized(ref);
    this.push({ InfoType: 'change_auth', AuthCorpId: corp.openCorpId });
  }

  /** The corporation removed the suite: its permanent code, codes and tokens stop working at once. */
  cancel(ref: unknown): void {
    const corp = this.authorized(ref);
    corp.authorization = undefined;
    corp.tokens.reset();
    for (const [code, issued] of this.authCodes) if (issued.corp === corp) this.authCodes.delete(code);
    this.push({ InfoType: 'cancel_auth', AuthCorpId: corp.openCorpId });
  }

  /** A customized app's secret is reset: the old permanent code and its tokens stop working. */
  resetPermanentCode(ref: unknown): { auth_code: string } {
    const corp = this.authorized(ref);
    if (corp.authorization?.appType !== 'customized') {
      throw new ApiError(
        40058,
        `${corp.corpId} runs a third-party app: only customized apps have their secret reset`,
      );
    }
    corp.authorization.permanentCode = randomBytes(32).toString('base64url');
    corp.tokens.reset();
    const authCode = this.issueAuthCode(corp);
    this.push({ InfoType: 'reset_permanent_code', AuthCode: authCode });
    return { auth_code: authCode };
  }

  /** get_permanent_code: the code works once and for ten minutes (40078 otherwise). */
  redeemAuthCode(code: string): AuthorizingCorp & { authorization: Authorization } {
    const issued = this.authCodes.get(code);
    this.authCodes.delete(code);
    const authorization = issued?.corp.authorization;
    if (!issued || !authorization || issued.expiresAt <= this.now()) {
      throw new ApiError(40078, 'invalid auth_code');
    }
    return { ...issued.corp, authorization };
  }

  /** The corp an auth_corpid + permanent_code pair proves, or 40084 as WeCom answers. */
  authorizedBy(
    authCorpid: string,
    permanentCode: string,
  ): AuthorizingCorp & { authorization: Authorization } {
    const corp = this.corps.find((candidate) => candidate.openCorpId === authCorpid);
    const authorization = corp?.authorization;
    if (!corp || !authorization || authorization.permanentCode !== permanentCode) {
      throw new ApiError(40084, 'invalid permanent_code');
    }
    return { ...corp, authorization };
  }

  /**
   * gettoken for a customized app (corpid = the open corp id, corpsecret = its permanent code), or
   * undefined when the corpid is none of the authorizing corps (gettoken then judges it as usual).
   */
  customizedToken(
    corpid: string | null,
    secret: string | null,
  ): { token: string; expires_in: number } | undefined {
    const corp = this.corps.find((candidate) => candidate.openCorpId === corpid);
    if (!corp) return undefined;
    if (!secret) throw new ApiError(41004, 'corpsecret missing');
    const authorization = corp.authorization;
    if (authorization?.appType !== 'customized' || authorization.permanentCode !== secret) {
      throw new ApiError(40001, 'invalid credential');
    }
    return corp.tokens.issue();
  }

  /** The authorizing corp whose registry issued this token, if any. */
  corpOfToken(token: string): AuthorizingCorp | undefined {
    return this.corps.find((corp) => corp.tokens.knows(token));
  }

  private authorized(ref: unknown): AuthorizingCorp {
    const corp = this.corp(ref);
    if (!corp.authorization) throw new ApiError(40058, `${corp.corpId} has not authorized the suite`);
    return corp;
  }

  private issueAuthCode(corp: AuthorizingCorp): string {
    // 64 characters: the shortest auth_code WeCom documents.
    const code = randomBytes(48).toString('base64url');
    this.authCodes.set(code, { corp, expiresAt: this.now() + AUTH_CODE_LIFETIME_MS });
    return code;
  }

  private push(message: CommandMessage): void {
    this.commands.enqueue({ SuiteId: this.settings.suiteId, TimeStamp: toSeconds(this.now()), ...message });
  }
}
