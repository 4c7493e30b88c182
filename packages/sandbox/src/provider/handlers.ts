import { ApiError } from '../api-error';
import type { HandlerInput, HandlerResult } from '../handlers/context';
import type { ServiceOperationId } from './operations';
import type { Authorization, AuthorizingCorp, ProviderWorld } from './world';

export interface ServiceContext<Op extends ServiceOperationId> {
  input: HandlerInput<Op>;
  world: ProviderWorld;
}

/** Serves one service-provider operation, typed by the spec like the customer-contact handlers. */
export type ServiceHandler<Op extends ServiceOperationId> = (
  context: ServiceContext<Op>,
) => HandlerResult<Op>;

const getSuiteToken: ServiceHandler<'getSuiteToken'> = ({ input, world }) => {
  const { suiteId, suiteSecret } = world.settings;
  if (input.suite_id !== suiteId) throw new ApiError(40083, 'invalid suite_id');
  if (input.suite_secret !== suiteSecret) throw new ApiError(40080, 'invalid suite_secret');
  if (!world.tickets.isValid(input.suite_ticket)) throw new ApiError(40085, 'invalid suite_ticket');
  const { token, expires_in } = world.suiteTokens.issue();
  return { suite_access_token: token, expires_in };
};

const getProviderToken: ServiceHandler<'getProviderToken'> = ({ input, world }) => {
  const { providerCorpId, providerSecret } = world.settings;
  if (input.corpid !== providerCorpId) throw new ApiError(40013, 'invalid corpid');
  if (input.provider_secret !== providerSecret) throw new ApiError(40001, 'invalid credential');
  const { token, expires_in } = world.providerTokens.issue();
  return { provider_access_token: token, expires_in };
};

const getPermanentCode: ServiceHandler<'getPermanentCode'> = ({ input, world }) => {
  const corp = world.redeemAuthCode(input.auth_code);
  const { token, expires_in } = corp.tokens.issue();
  return {
    access_token: token,
    expires_in,
    permanent_code: corp.authorization.permanentCode,
    ...authorizationOf(corp),
    ...(corp.authorization.state !== undefined && { state: corp.authorization.state }),
  };
};

const getAuthInfo: ServiceHandler<'getAuthInfo'> = ({ input, world }) =>
  authorizationOf(world.authorizedBy(input.auth_corpid, input.permanent_code));

const getCorpToken: ServiceHandler<'getCorpToken'> = ({ input, world }) => {
  const corp = world.authorizedBy(input.auth_corpid, input.permanent_code);
  // Customized apps get their token from gettoken (doc 90313, 48002).
  if (corp.authorization.appType === 'customized')
    throw new ApiError(48002, 'api forbidden for customized app');
  const { token, expires_in } = corp.tokens.issue();
  return { access_token: token, expires_in };
};

const unionidToExternalUserid3rd: ServiceHandler<'unionidToExternalUserid3rd'> = ({ input, world }) => ({
  // The openid is not checked: the sandbox has no provider mini-program that would have issued it.
  external_userid_info: world.corps
    .filter((corp) => corp.authorization?.appType === 'third_party')
    .filter((corp) => input.corpid === undefined || corp.openCorpId === input.corpid)
    .flatMap((corp) =>
      corp.state.people.customers
        .filter((customer) => customer.unionid === input.unionid)
        .map((customer) => ({ corpid: corp.openCorpId, external_userid: customer.external_userid })),
    ),
});

const corpidToOpencorpid: ServiceHandler<'corpidToOpencorpid'> = ({ input, world }) => {
  const corp = plainCorp(world, input.corpid);
  // 48001 is the code WeCom's error page names when corp and provider have no authorization.
  if (!corp.authorization)
    throw new ApiError(48001, 'api unauthorized: the corp has not authorized the provider');
  return { open_corpid: corp.openCorpId };
};

const finishExternalUseridMigration: ServiceHandler<'finishExternalUseridMigration'> = ({ input, world }) => {
  const corp = plainCorp(world, input.corpid, true);
  if (!corp.authorization)
    throw new ApiError(48004, 'invalid authorization: the corp has not authorized the provider');
  corp.migrated = true;
  return {};
};

/** A corp by its plain id (or, where `alsoOpen`, its open one); 40013 for any other. */
function plainCorp(world: ProviderWorld, corpid: string, alsoOpen = false): AuthorizingCorp {
  const corp = world.corps.find(
    (candidate) => candidate.corpId === corpid || (alsoOpen && candidate.openCorpId === corpid),
  );
  if (!corp) throw new ApiError(40013, 'invalid corpid');
  return corp;
}

function authorizationOf(corp: AuthorizingCorp & { authorization: Authorization }) {
  return {
    auth_corp_info: { corpid: corp.openCorpId, corp_name: corp.name, corp_type: 'verified', subject_type: 1 },
    auth_info: {
      agent: [
        {
          agentid: corp.agentId,
          name: '沙箱客户助手',
          auth_mode: 0,
          is_customized_app: corp.authorization.appType === 'customized',
          privilege: { level: 1, allow_party: [1], allow_user: [], allow_tag: [] },
        },
      ],
    },
  };
}

/** Every service-provider operation's handler: one missing does not compile. */
const serviceHandlers: { readonly [Op in ServiceOperationId]: ServiceHandler<Op> } = {
  getSuiteToken,
  getProviderToken,
  getPermanentCode,
  getAuthInfo,
  getCorpToken,
  unionidToExternalUserid3rd,
  corpidToOpencorpid,
  finishExternalUseridMigration,
};

/** The handler of a service operation, called with input the server checked against the spec. */
export function serviceHandlerFor(
  operationId: ServiceOperationId,
): (context: { input: Record<string, unknown>; world: ProviderWorld }) => object {
  return serviceHandlers[operationId] as unknown as (context: {
    input: Record<string, unknown>;
    world: ProviderWorld;
  }) => object;
}
