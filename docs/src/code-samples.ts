/**
 * TypeScript code samples (`x-codeSamples`) for every operation of the bundled spec, made from the
 * operation's own request example so that the reference shows a call that would pass validation.
 * Made here rather than in tools/codegen because only the portal reads them.
 */

export interface Spec {
  paths: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: { examples?: unknown[]; default?: unknown };
}

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: {
    content?: Record<string, { examples?: Record<string, { value?: unknown }>; example?: unknown }>;
  };
  'x-wecom-idempotent'?: boolean;
  'x-wecom-pagination'?: { style?: string; cursorParam?: string; offsetParam?: string; pageParam?: string };
  'x-wecom-window'?: { maxDays?: number };
  'x-codeSamples'?: CodeSample[];
  [key: string]: unknown;
}

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** A copy of the spec with one TypeScript sample per operation; the input is left untouched. */
export function withCodeSamples<T extends Spec>(spec: T): T {
  const copy = structuredClone(spec);
  for (const item of Object.values(copy.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !operation.operationId) continue;
      operation['x-codeSamples'] = [
        { lang: 'TypeScript', label: 'wecom-kit', source: codeSampleFor(method, operation) },
      ];
    }
  }
  return copy;
}

/** The token the operation's security scheme names; a client with the matching `auth` sends it. */
function tokenOf(operation: Operation): 'access' | 'suite' | 'provider' | 'none' {
  const security = operation.security;
  if (!Array.isArray(security)) return 'access';
  const [scheme] = Object.keys((security[0] ?? {}) as object);
  if (scheme === undefined) return 'none';
  return scheme === 'suiteAccessToken' ? 'suite' : scheme === 'providerAccessToken' ? 'provider' : 'access';
}

const CLIENT_SETUP: Readonly<Record<'access' | 'suite' | 'provider', string[]>> = {
  access: [
    "import { createWecomClient } from '@wecom-kit/client';",
    '',
    'const wecom = createWecomClient({',
    '  corpId: process.env.WECOM_CORP_ID,',
    '  corpSecret: process.env.WECOM_SECRET,',
    '});',
  ],
  suite: [
    "import { createSuite, createWecomClient } from '@wecom-kit/client';",
    '',
    '// The suite token: the command callback stores the tickets',
    '// in suite.tickets (guide "Building for many corps").',
    'const suite = createSuite({',
    "  suiteId: process.env.WECOM_SUITE_ID ?? '',",
    "  suiteSecret: process.env.WECOM_SUITE_SECRET ?? '',",
    '});',
    'const wecom = createWecomClient({ auth: suite });',
  ],
  provider: [
    "import { createWecomClient, serviceProvider } from '@wecom-kit/client';",
    '',
    'const wecom = createWecomClient({',
    '  auth: serviceProvider({',
    "    corpId: process.env.WECOM_PROVIDER_CORP_ID ?? '',",
    "    providerSecret: process.env.WECOM_PROVIDER_SECRET ?? '',",
    '  }),',
    '});',
  ],
};

export function codeSampleFor(method: string, operation: Operation): string {
  const operationId = operation.operationId as string;
  const input = requestExample(method, operation);
  const token = tokenOf(operation);
  const lines = [...CLIENT_SETUP[token === 'none' ? 'access' : token], ''];
  if (token === 'none') {
    lines.push('// The client gets and refreshes tokens itself;', '// call this only to inspect one.');
  }
  lines.push(
    `const result = await wecom.call('${operationId}'${input === undefined ? '' : `, ${toTsLiteral(input)}`});`,
  );

  const pagination = operation['x-wecom-pagination'];
  const paginated = pagination !== undefined && pagination.style !== 'none' && isRecord(input);
  if (paginated) {
    const position = pagination.cursorParam ?? pagination.offsetParam ?? pagination.pageParam;
    const { [position ?? '']: _position, ...firstPage } = input;
    const maxDays = operation['x-wecom-window']?.maxDays;
    lines.push(
      '',
      maxDays === undefined
        ? '// Every item of every page:'
        : `// Every item of every page; a range over ${maxDays} days is\n// split into ${maxDays}-day windows, newest first:`,
      `for await (const item of wecom.paginate('${operationId}', ${toTsLiteral(firstPage)}).items()) {`,
      '  console.log(item);',
      '}',
    );
  }
  lines.push(...hookSample(operation, paginated));
  return `${lines.join('\n')}\n`;
}

/**
 * The hook of @wecom-kit/react-hooks for the operation, named as tools/codegen names it (a test
 * checks every name against the generated hooks): only for a corp's access-token operations (the
 * token endpoints and the suite and provider operations have none).
 */
function hookSample(operation: Operation, paginated: boolean): string[] {
  if (tokenOf(operation) !== 'access') return [];
  const operationId = operation.operationId as string;
  const Op = `${operationId[0]?.toUpperCase()}${operationId.slice(1)}`;
  const intro = [
    '',
    '// React (@wecom-kit/react-hooks, in a component',
    '// under <WecomProvider>, through your proxy):',
  ];
  if (operation['x-wecom-idempotent'] !== true) {
    return [...intro, `// const { mutate } = use${Op}Mutation();`, '// mutate(input);'];
  }
  return [
    ...intro,
    `// const { data, error } = use${Op}(input);`,
    ...(paginated ? [`// const pages = use${Op}Infinite(input); // "load more"`] : []),
  ];
}

/** The input `wecom.call` takes for the operation, from its request example (query or body). */
export function requestExample(method: string, operation: Operation): unknown {
  return method === 'get' ? queryExample(operation) : bodyExample(operation);
}

function bodyExample(operation: Operation): unknown {
  const content = operation.requestBody?.content?.['application/json'];
  if (!content) return undefined;
  const examples = content.examples ?? {};
  const chosen = examples.official ?? examples.example ?? Object.values(examples)[0];
  return chosen?.value ?? content.example ?? {};
}

function queryExample(operation: Operation): Record<string, unknown> | undefined {
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  const input: Record<string, unknown> = {};
  for (const parameter of query) {
    const value = parameter.example ?? parameter.schema?.examples?.[0] ?? parameter.schema?.default;
    if (value !== undefined) input[parameter.name] = value;
    else if (parameter.required) input[parameter.name] = `<${parameter.name}>`;
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A JavaScript literal as our code style writes it: single quotes, bare keys, two-space indent. */
export function toTsLiteral(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (typeof value === 'string')
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${toTsLiteral(item, inner)},`).join('\n')}\n${indent}]`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const body = entries
      .map(
        ([key, item]) => `${inner}${IDENTIFIER.test(key) ? key : `'${key}'`}: ${toTsLiteral(item, inner)},`,
      )
      .join('\n');
    return `{\n${body}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
