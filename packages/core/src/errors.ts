import { adviceFor, classifyErrcode, type ErrcodeClass } from './errcodes';
import { markRedacted, redact, redactValue } from './redact';

export interface WecomKitErrorInit {
  message: string;
  operationId?: string;
  cause?: unknown;
}

/** Base of every error wecom-kit throws. Its message, stack and cause never hold a secret or a token. */
export class WecomKitError extends Error {
  override name = 'WecomKitError';
  readonly operationId?: string;

  constructor({ message, operationId, cause }: WecomKitErrorInit) {
    super(redact(message), cause === undefined ? undefined : { cause: redactValue(cause) });
    if (operationId !== undefined) this.operationId = operationId;
    markRedacted(this);
  }
}

function subject(operationId: string | undefined): string {
  return operationId ?? 'The WeCom call';
}

const REQUEST_ID = /hint: \[([^\]]*)\]/;

export interface WecomErrorInit {
  errcode: number;
  errmsg: string;
  operationId?: string;
  /** Extra guidance for this particular failure, e.g. that a write's outcome is unclear. */
  note?: string;
  cause?: unknown;
}

/** WeCom answered with errcode ≠ 0. */
export class WecomError extends WecomKitError {
  override name = 'WecomError';
  readonly errcode: number;
  readonly errmsg: string;
  /**
   * WeCom's request id: the `[...]` after `hint:` in errmsg (WeCom calls it a hint, but it is no
   * advice). Log it and quote it to WeCom support; the advice is in `message`.
   */
  readonly requestId?: string;
  readonly category: ErrcodeClass;

  constructor({ errcode, errmsg, operationId, note, cause }: WecomErrorInit) {
    // WeCom's errmsg starts with an English reason ("invalid external userid"); keep that part.
    const reason = errmsg.split(', hint:')[0]?.trim();
    const message =
      `${subject(operationId)} failed with WeCom errcode ${errcode}${reason ? ` "${reason}"` : ''}. ` +
      `${note ?? adviceFor(errcode)}`;
    super({ message, ...(operationId !== undefined && { operationId }), cause });
    this.errcode = errcode;
    this.errmsg = redact(errmsg);
    const requestId = REQUEST_ID.exec(errmsg)?.[1];
    if (requestId) this.requestId = requestId;
    this.category = classifyErrcode(errcode);
  }

  /** The error for a parsed WeCom body whose errcode is not 0. */
  static fromBody(body: { errcode?: unknown; errmsg?: unknown }, operationId?: string): WecomError {
    const errcode = typeof body.errcode === 'number' ? body.errcode : -1;
    const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
    // `this`, not the class name: a self-reference makes the bundler rename the class to
    // `_WecomError`, and users see that name in logs (tests/src/built-names.test.ts).
    return new this({ errcode, errmsg, ...(operationId !== undefined && { operationId }) });
  }
}

export type WecomHttpErrorReason = 'status' | 'html' | 'not-json' | 'truncated' | 'unexpected-body';

export interface WecomHttpErrorInit {
  status: number;
  body: string;
  reason: WecomHttpErrorReason;
  operationId?: string;
  cause?: unknown;
}

const SNIPPET_LENGTH = 160;

/** The answer was not a WeCom JSON body: a non-200 status, HTML, garbage, or JSON cut short. */
export class WecomHttpError extends WecomKitError {
  override name = 'WecomHttpError';
  readonly status: number;
  readonly reason: WecomHttpErrorReason;
  /** The start of the body, redacted and with whitespace collapsed. */
  readonly bodySnippet: string;

  constructor({ status, body, reason, operationId, cause }: WecomHttpErrorInit) {
    const snippet = redact(body.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH));
    const quoted = snippet ? ` (${JSON.stringify(snippet)})` : ' (empty body)';
    const who = subject(operationId);
    const messages: Record<WecomHttpErrorReason, string> = {
      status:
        `${who} got HTTP ${status} instead of WeCom's JSON answer${quoted}. ` +
        (status >= 500
          ? 'A server or gateway in between failed; retry later.'
          : 'Check that baseUrl points at WeCom or at your WeCom proxy.'),
      html:
        `${who} got an HTML page (HTTP ${status}) instead of WeCom's JSON answer${quoted}. ` +
        'A proxy, captive portal or wrong baseUrl answered instead of WeCom.',
      'not-json': `${who} got an answer that is not JSON (HTTP ${status})${quoted}. Check baseUrl and any proxy in between.`,
      truncated:
        `${who} got a JSON answer that ends too early (HTTP ${status}, ${body.length} characters)${quoted}: ` +
        'the connection was cut while the answer was being sent. Retry later.',
      'unexpected-body':
        `${who} got JSON without WeCom's numeric errcode (HTTP ${status})${quoted}. ` +
        'Check that baseUrl points at WeCom or at a proxy that passes WeCom answers through.',
    };
    super({ message: messages[reason], ...(operationId !== undefined && { operationId }), cause });
    this.status = status;
    this.reason = reason;
    this.bodySnippet = snippet;
  }
}

export interface WecomNetworkErrorInit {
  operationId?: string;
  cause: unknown;
  /** e.g. ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET */
  code?: string;
}

/** The request could not be completed: DNS, connection refused or reset, socket closed. */
export class WecomNetworkError extends WecomKitError {
  override name = 'WecomNetworkError';
  readonly code?: string;

  constructor({ operationId, cause, code }: WecomNetworkErrorInit) {
    const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
    super({
      message: `${subject(operationId)} could not reach WeCom (${detail}). Check the network, DNS and baseUrl, then retry.`,
      ...(operationId !== undefined && { operationId }),
      cause,
    });
    if (code !== undefined) this.code = code;
  }
}

export interface WecomTimeoutErrorInit {
  operationId?: string;
  timeoutMs: number;
  /** `attempt`: one try took longer than timeoutMs; `deadline`: all tries together ran out of time. */
  scope: 'attempt' | 'deadline';
  /** What the call was waiting for when time ran out. */
  waitingFor: 'answer' | 'token' | 'rate limit';
  /** Replaces the standard message, for a call that fails early because it could not finish in time. */
  message?: string;
  cause?: unknown;
}

export class WecomTimeoutError extends WecomKitError {
  override name = 'WecomTimeoutError';
  readonly timeoutMs: number;
  readonly scope: 'attempt' | 'deadline';

  constructor({ operationId, timeoutMs, scope, waitingFor, message, cause }: WecomTimeoutErrorInit) {
    const limit =
      scope === 'attempt'
        ? `the per-attempt timeout of ${timeoutMs} ms (option timeoutMs)`
        : `the overall deadline of ${timeoutMs} ms (option retry.deadlineMs)`;
    const awaited = waitingFor === 'answer' ? "WeCom's answer" : `the ${waitingFor}`;
    super({
      message:
        message ??
        `${subject(operationId)} ran past ${limit} while waiting for ${awaited}. Retry later or raise the limit.`,
      ...(operationId !== undefined && { operationId }),
      cause,
    });
    this.timeoutMs = timeoutMs;
    this.scope = scope;
  }
}

export interface WecomValidationErrorInit {
  message: string;
  field: string;
  /** The rule the value broke: required, type, maxItems, window, … */
  rule: string;
  operationId?: string;
}

/** The input breaks a documented constraint, so it was not sent. */
export class WecomValidationError extends WecomKitError {
  override name = 'WecomValidationError';
  readonly field: string;
  readonly rule: string;

  constructor({ message, field, rule, operationId }: WecomValidationErrorInit) {
    super({ message, ...(operationId !== undefined && { operationId }) });
    this.field = field;
    this.rule = rule;
  }
}

export interface WecomConfigErrorInit {
  /** What is wrong and what to change. */
  message: string;
  operationId?: string;
  errcode?: number;
  cause?: unknown;
}

/** The setup is wrong (credentials, trusted IP, permissions, options): retrying cannot help. */
export class WecomConfigError extends WecomKitError {
  override name = 'WecomConfigError';
  readonly errcode?: number;

  constructor({ message, operationId, errcode, cause }: WecomConfigErrorInit) {
    super({ message, ...(operationId !== undefined && { operationId }), cause });
    if (errcode !== undefined) this.errcode = errcode;
  }
}

export interface WecomOutcomeUnknownErrorInit {
  operationId?: string;
  /** What went wrong after the request left: a reset, a timeout, an unreadable answer. */
  cause: unknown;
}

/** A write was sent but its answer was lost, so WeCom may or may not have applied it. Never retried. */
export class WecomOutcomeUnknownError extends WecomKitError {
  override name = 'WecomOutcomeUnknownError';

  constructor({ operationId, cause }: WecomOutcomeUnknownErrorInit) {
    const what = cause instanceof Error ? cause.message : String(cause);
    super({
      message:
        `${subject(operationId)} is a write whose answer was lost after the request was sent, so WeCom may or may not have applied it ` +
        `(${what}). It was not retried, to avoid applying it twice: check its effect before sending it again.`,
      ...(operationId !== undefined && { operationId }),
      cause,
    });
  }
}
