// The kinds of spec change a contract review must catch, each as an edit of the real bundled
// spec (its $refs into components, its allOf callback schemas, its webhooks and x-wecom-* rules).
// `oasdiff` rows are 25 rules of oasdiff's checker, named by their ids; `wecom` rows are what only
// wecom-kit's runtime knows. Used by categories.test.ts and by scripts/category-table.ts.
import type { ChangeKind, OpenApiDocument } from '../src/compare';

// biome-ignore lint/suspicious/noExplicitAny: each edit reaches deep into the untyped bundled spec
type Node = Record<string, any>;

export interface Category {
  id: string;
  source: 'oasdiff' | 'wecom';
  /** Applied to the base too, when the category needs a starting point the real spec lacks. */
  before?: (spec: Node) => void;
  after: (spec: Node) => void;
  /** Each must be among the reported changes. */
  expected: { kind: ChangeKind; operationId?: string; message: string }[];
}

const MOMENTS = '/cgi-bin/externalcontact/get_moment_list';
const CUSTOMER = '/cgi-bin/externalcontact/get';
const REMARK = '/cgi-bin/externalcontact/remark';
const MOMENT_TASK = '/cgi-bin/externalcontact/add_moment_task';
const BEHAVIOR = '/cgi-bin/externalcontact/get_user_behavior_data';

const moments = (spec: Node) => spec.paths[MOMENTS].post;
const momentsBody = (spec: Node) => moments(spec).requestBody.content['application/json'].schema;
const customer = (spec: Node) => spec.paths[CUSTOMER].get;
const param = (spec: Node, name: string) => customer(spec).parameters.find((p: Node) => p.name === name);
const moment = (spec: Node) => spec.components.schemas.Moment;
const errcode = (spec: Node, code: number) => spec['x-wecom-errcodes'].find((row: Node) => row.code === code);

const B = 'breaking' as const;
const N = 'non-breaking' as const;

export const categories: Category[] = [
  {
    id: 'api-removed-without-deprecation',
    source: 'oasdiff',
    after: (s) => delete s.paths[REMARK],
    expected: [{ kind: B, operationId: 'updateExternalContactRemark', message: 'operation removed' }],
  },
  {
    id: 'api-operation-id-removed',
    source: 'oasdiff',
    after: (s) => (moments(s).operationId = 'listMoments'),
    expected: [
      {
        kind: B,
        operationId: 'listMoments',
        message: 'operationId renamed from getMomentList to listMoments',
      },
    ],
  },
  {
    id: 'api-path-removed-without-deprecation',
    source: 'oasdiff',
    after: (s) => {
      s.paths['/cgi-bin/externalcontact/moment/list'] = s.paths[MOMENTS];
      delete s.paths[MOMENTS];
    },
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: `moved from POST ${MOMENTS} to POST /cgi-bin/externalcontact/moment/list`,
      },
    ],
  },
  {
    id: 'endpoint-added',
    source: 'oasdiff',
    after: (s) => {
      s.paths[`${MOMENTS}_v2`] = { post: { ...structuredClone(moments(s)), operationId: 'getMomentListV2' } };
    },
    expected: [{ kind: N, operationId: 'getMomentListV2', message: 'operation added' }],
  },
  {
    id: 'endpoint-deprecated',
    source: 'oasdiff',
    after: (s) => (customer(s).deprecated = true),
    expected: [{ kind: N, operationId: 'getExternalContact', message: 'marked deprecated' }],
  },
  {
    id: 'new-required-request-parameter',
    source: 'oasdiff',
    after: (s) =>
      customer(s).parameters.push({
        name: 'userid',
        in: 'query',
        required: true,
        schema: { type: 'string' },
      }),
    expected: [
      { kind: B, operationId: 'getExternalContact', message: 'required query parameter `userid` added' },
    ],
  },
  {
    id: 'new-optional-request-parameter',
    source: 'oasdiff',
    after: (s) => customer(s).parameters.push({ name: 'userid', in: 'query', schema: { type: 'string' } }),
    expected: [
      { kind: N, operationId: 'getExternalContact', message: 'optional query parameter `userid` added' },
    ],
  },
  {
    id: 'request-parameter-removed',
    source: 'oasdiff',
    after: (s) => (customer(s).parameters = customer(s).parameters.filter((p: Node) => p.name !== 'cursor')),
    expected: [{ kind: B, operationId: 'getExternalContact', message: 'query parameter `cursor` removed' }],
  },
  {
    id: 'request-parameter-became-required',
    source: 'oasdiff',
    after: (s) => (param(s, 'cursor').required = true),
    expected: [
      { kind: B, operationId: 'getExternalContact', message: 'query parameter `cursor` is now required' },
    ],
  },
  {
    id: 'request-parameter-type-changed',
    source: 'oasdiff',
    after: (s) => (param(s, 'external_userid').schema.type = 'integer'),
    expected: [
      {
        kind: B,
        operationId: 'getExternalContact',
        message: 'type of query parameter `external_userid` changed from string to integer',
      },
    ],
  },
  {
    id: 'added-required-request-body',
    source: 'oasdiff',
    after: (s) =>
      (customer(s).requestBody = {
        required: true,
        content: { 'application/json': { schema: { type: 'object' } } },
      }),
    expected: [{ kind: B, operationId: 'getExternalContact', message: 'request body added, required' }],
  },
  {
    id: 'request-body-became-required',
    source: 'oasdiff',
    before: (s) => (moments(s).requestBody.required = false),
    after: (s) => (moments(s).requestBody.required = true),
    expected: [{ kind: B, operationId: 'getMomentList', message: 'request body is now required' }],
  },
  {
    id: 'new-required-request-property',
    source: 'oasdiff',
    after: (s) => {
      momentsBody(s).properties.visible_to = { type: 'string' };
      momentsBody(s).required.push('visible_to');
    },
    expected: [
      { kind: B, operationId: 'getMomentList', message: 'request body: required field `visible_to` added' },
    ],
  },
  {
    id: 'new-optional-request-property',
    source: 'oasdiff',
    after: (s) => (momentsBody(s).properties.visible_to = { type: 'string' }),
    expected: [{ kind: N, operationId: 'getMomentList', message: 'request body: field `visible_to` added' }],
  },
  {
    id: 'request-property-removed',
    source: 'oasdiff',
    after: (s) => delete momentsBody(s).properties.creator,
    expected: [{ kind: B, operationId: 'getMomentList', message: 'request body: field `creator` removed' }],
  },
  {
    id: 'request-property-became-required',
    source: 'oasdiff',
    after: (s) => momentsBody(s).required.push('creator'),
    expected: [
      { kind: B, operationId: 'getMomentList', message: 'request body: field `creator` is now required' },
    ],
  },
  {
    id: 'request-property-type-changed',
    source: 'oasdiff',
    after: (s) => (momentsBody(s).properties.creator.type = 'integer'),
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'request body: type of `creator` changed from string to integer',
      },
    ],
  },
  {
    id: 'request-property-enum-value-removed',
    source: 'oasdiff',
    after: (s) => {
      const body =
        s.paths['/cgi-bin/externalcontact/add_msg_template'].post.requestBody.content['application/json'];
      body.schema.properties.chat_type.enum = ['single'];
    },
    expected: [
      {
        kind: B,
        operationId: 'addMsgTemplate',
        message: 'request body: value group no longer allowed in `chat_type`',
      },
    ],
  },
  {
    id: 'request-property-max-decreased',
    source: 'oasdiff',
    after: (s) => (momentsBody(s).properties.limit.maximum = 10),
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'request body: maximum of `limit` lowered from 20 to 10',
      },
    ],
  },
  {
    id: 'request-property-became-nullable',
    source: 'oasdiff',
    after: (s) => (momentsBody(s).properties.creator.type = ['string', 'null']),
    expected: [{ kind: N, operationId: 'getMomentList', message: 'request body: `creator` became nullable' }],
  },
  {
    id: 'response-optional-property-removed',
    source: 'oasdiff',
    after: (s) => delete moment(s).properties.creator,
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'response 200: field `moment_list[].creator` removed',
      },
    ],
  },
  {
    id: 'response-property-type-changed',
    source: 'oasdiff',
    after: (s) => (moment(s).properties.create_time.type = 'string'),
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'response 200: type of `moment_list[].create_time` changed from integer to string',
      },
    ],
  },
  {
    id: 'response-property-became-nullable',
    source: 'oasdiff',
    after: (s) => (moment(s).properties.moment_id.type = ['string', 'null']),
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'response 200: `moment_list[].moment_id` became nullable: code reading it may get null',
      },
    ],
  },
  {
    id: 'response-property-became-optional',
    source: 'oasdiff',
    after: (s) => (moment(s).required = moment(s).required.filter((name: string) => name !== 'create_type')),
    expected: [
      {
        kind: B,
        operationId: 'getMomentList',
        message: 'response 200: field `moment_list[].create_type` is no longer required: it may be absent',
      },
    ],
  },
  {
    id: 'api-security-component-type-changed',
    source: 'oasdiff',
    after: (s) => (s.components.securitySchemes.accessToken = { type: 'http', scheme: 'bearer' }),
    expected: [
      {
        kind: B,
        message:
          'security scheme `accessToken`: type apiKey → http, in query → (none), name access_token → (none), scheme (none) → bearer; affects 98 operations: addContactWay, addCorpTag, addGroupWelcomeTemplate, addInterceptRule, addJoinWay and 93 more',
      },
    ],
  },
  // What only wecom-kit knows: webhooks through $ref and allOf, and the runtime rules.
  {
    id: 'webhook-payload-field-retyped',
    source: 'wecom',
    after: (s) =>
      (s.components.schemas.CallbackAddExternalContact.allOf[1].properties.WelcomeCode.type = 'integer'),
    expected: [
      {
        kind: B,
        operationId: 'addExternalContactEvent',
        message: 'payload: type of `WelcomeCode` changed from string to integer',
      },
    ],
  },
  {
    id: 'webhook-payload-field-removed-from-shared-base',
    source: 'wecom',
    after: (s) => {
      const own = s.components.schemas.CallbackExternalChatBase.allOf[1];
      delete own.properties.ChatId;
      own.required = own.required.filter((name: string) => name !== 'ChatId');
    },
    expected: [
      { kind: B, operationId: 'createExternalChatEvent', message: 'payload: field `ChatId` removed' },
      { kind: B, operationId: 'dismissExternalChatEvent', message: 'payload: field `ChatId` removed' },
      { kind: B, operationId: 'updateExternalChatEvent', message: 'payload: field `ChatId` removed' },
    ],
  },
  {
    id: 'webhook-removed',
    source: 'wecom',
    after: (s) => delete s.webhooks.transferFail,
    expected: [{ kind: B, operationId: 'transferFailEvent', message: 'webhook removed' }],
  },
  {
    id: 'webhook-payload-field-added',
    source: 'wecom',
    after: (s) =>
      (s.components.schemas.CallbackAddExternalContact.allOf[1].properties.Scene = { type: 'integer' }),
    expected: [{ kind: N, operationId: 'addExternalContactEvent', message: 'payload: field `Scene` added' }],
  },
  {
    id: 'idempotent-false-to-true',
    source: 'wecom',
    after: (s) => (s.paths[MOMENT_TASK].post['x-wecom-idempotent'] = true),
    expected: [
      { kind: B, operationId: 'addMomentTask', message: 'x-wecom-idempotent false → true' },
      {
        kind: B,
        operationId: 'addMomentTask',
        message:
          '@wecom-kit/react-hooks exports removed: `addMomentTaskMutationOptions`, `useAddMomentTaskMutation`',
      },
    ],
  },
  {
    id: 'idempotent-true-to-false',
    source: 'wecom',
    after: (s) => (moments(s)['x-wecom-idempotent'] = false),
    expected: [
      {
        kind: N,
        operationId: 'getMomentList',
        message: 'x-wecom-idempotent true → false: retried only on answers that prove nothing happened',
      },
      {
        kind: B,
        operationId: 'getMomentList',
        message:
          '@wecom-kit/react-hooks exports removed: `getMomentListQueryOptions`, `getMomentListInfiniteOptions`, `useGetMomentList`, `useSuspenseGetMomentList`, `useGetMomentListInfinite`, `useSuspenseGetMomentListInfinite`',
      },
    ],
  },
  ...(['style', 'itemsField', 'nextCursorField', 'cursorParam'] as const).map(
    (field): Category => ({
      id: `pagination-${field}-changed`,
      source: 'wecom',
      after: (s) => (moments(s)['x-wecom-pagination'][field] = field === 'style' ? 'offset' : 'renamed'),
      expected: [
        {
          kind: B,
          operationId: 'getMomentList',
          message: `x-wecom-pagination.${field} ${({ style: 'cursor', itemsField: 'moment_list', nextCursorField: 'next_cursor', cursorParam: 'cursor' } as const)[field]} → ${field === 'style' ? 'offset' : 'renamed'}`,
        },
      ],
    }),
  ),
  {
    id: 'window-maxDays-raised',
    source: 'wecom',
    after: (s) => (moments(s)['x-wecom-window'].maxDays = 60),
    expected: [{ kind: B, operationId: 'getMomentList', message: 'x-wecom-window.maxDays 30 → 60' }],
  },
  {
    id: 'window-maxDays-lowered',
    source: 'wecom',
    after: (s) => (moments(s)['x-wecom-window'].maxDays = 7),
    expected: [{ kind: N, operationId: 'getMomentList', message: 'x-wecom-window.maxDays 30 → 7' }],
  },
  {
    id: 'window-maxAgeDays-added',
    source: 'wecom',
    after: (s) => (moments(s)['x-wecom-window'].maxAgeDays = 180),
    expected: [{ kind: N, operationId: 'getMomentList', message: 'x-wecom-window.maxAgeDays (none) → 180' }],
  },
  {
    id: 'window-maxAgeDays-removed',
    source: 'wecom',
    after: (s) => delete s.paths[BEHAVIOR].post['x-wecom-window'].maxAgeDays,
    expected: [
      { kind: B, operationId: 'getUserBehaviorData', message: 'x-wecom-window.maxAgeDays 180 → (none)' },
    ],
  },
  {
    id: 'window-interval-changed',
    source: 'wecom',
    after: (s) => (moments(s)['x-wecom-window'].interval = 'closed'),
    expected: [{ kind: B, operationId: 'getMomentList', message: 'x-wecom-window.interval open → closed' }],
  },
  {
    id: 'window-unit-changed',
    source: 'wecom',
    after: (s) => (s.paths[BEHAVIOR].post['x-wecom-window'].unit = 'second'),
    expected: [{ kind: B, operationId: 'getUserBehaviorData', message: 'x-wecom-window.unit day → second' }],
  },
  {
    id: 'rate-limit-raised',
    source: 'wecom',
    after: (s) => (s.paths[MOMENT_TASK].post['x-wecom-rate-limit'].perMinute = 100),
    expected: [{ kind: B, operationId: 'addMomentTask', message: 'x-wecom-rate-limit.perMinute 10 → 100' }],
  },
  {
    id: 'rate-limit-lowered',
    source: 'wecom',
    after: (s) => (s.paths[MOMENT_TASK].post['x-wecom-rate-limit'].perMinute = 5),
    expected: [{ kind: N, operationId: 'addMomentTask', message: 'x-wecom-rate-limit.perMinute 10 → 5' }],
  },
  {
    id: 'invalidates-removed',
    source: 'wecom',
    after: (s) => (s.paths[REMARK].post['x-wecom-invalidates'] = ['getExternalContact']),
    expected: [
      {
        kind: B,
        operationId: 'updateExternalContactRemark',
        message: 'x-wecom-invalidates no longer lists batchGetByUser',
      },
    ],
  },
  {
    id: 'invalidates-added',
    source: 'wecom',
    after: (s) => s.paths[REMARK].post['x-wecom-invalidates'].push('getFollowUserList'),
    expected: [
      {
        kind: N,
        operationId: 'updateExternalContactRemark',
        message: 'x-wecom-invalidates now lists getFollowUserList',
      },
    ],
  },
  {
    id: 'errcode-loses-token-class',
    source: 'wecom',
    after: (s) => (errcode(s, 42001).class = 'client'),
    expected: [
      {
        kind: B,
        message:
          'errcode 42001 (Access token expired) reclassified from token to client: the runtime now handles it as client',
      },
    ],
  },
  {
    id: 'errcode-removed',
    source: 'wecom',
    after: (s) => (s['x-wecom-errcodes'] = s['x-wecom-errcodes'].filter((row: Node) => row.code !== 6000)),
    expected: [
      {
        kind: B,
        message:
          'errcode 6000 (Data version conflict) removed from the catalog: the runtime no longer knows its class',
      },
    ],
  },
  {
    id: 'errcode-becomes-transient',
    source: 'wecom',
    after: (s) => (errcode(s, 40003).class = 'transient'),
    expected: [
      {
        kind: N,
        message:
          'errcode 40003 (Invalid userid) reclassified from client to transient: the runtime now handles it as transient',
      },
    ],
  },
  {
    id: 'token-moved-to-header',
    source: 'wecom',
    after: (s) => (s.components.securitySchemes.accessToken.in = 'header'),
    expected: [
      {
        kind: B,
        message:
          'security scheme `accessToken`: in query → header; affects 98 operations: addContactWay, addCorpTag, addGroupWelcomeTemplate, addInterceptRule, addJoinWay and 93 more',
      },
    ],
  },
];

/** The base and the edited spec of one category, from the bundled real spec. */
export function specsOf(category: Category, bundled: OpenApiDocument): [OpenApiDocument, OpenApiDocument] {
  const before = structuredClone(bundled) as Node;
  category.before?.(before);
  const after = structuredClone(before);
  category.after(after);
  return [before as OpenApiDocument, after as OpenApiDocument];
}

const SEVERITY: ChangeKind[] = ['documentation', 'non-breaking', 'breaking'];

/** The most severe kind among changes: what decides whether the change passes review. */
export function worstKind(kinds: ChangeKind[]): ChangeKind | undefined {
  return kinds.reduce<ChangeKind | undefined>(
    (worst, kind) => (worst === undefined || SEVERITY.indexOf(kind) > SEVERITY.indexOf(worst) ? kind : worst),
    undefined,
  );
}
