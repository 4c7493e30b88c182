import { XMLParser } from 'fast-xml-parser';
import type { CustomerContactEvent, UnrecognizedCallbackMessage } from './events';

/** XML that is not a single well-formed `<xml>` document of the shape WeCom sends. */
export class CallbackXmlError extends Error {
  override name = 'CallbackXmlError';
}

const MEMBER_LIST = 'MemChangeList';
const MEMBER_LIST_ITEM = `xml.${MEMBER_LIST}.Item`;

/** Fields the spec types as integers; every other value stays the string WeCom sent. */
const INTEGER_FIELDS = new Set([
  'CreateTime',
  'TimeStamp',
  'JoinScene',
  'QuitScene',
  'MemChangeCnt',
  'StrategyId',
]);
const INTEGER = /^-?\d+$/;

const parser = new XMLParser({
  ignoreAttributes: true,
  // Values stay strings here; only the fields the spec types as integers are converted, so ids that
  // look numeric (and 64-bit MsgIds) keep every digit.
  parseTagValue: false,
  isArray: (_name, path) => path === MEMBER_LIST_ITEM,
});

/**
 * Parses one `<xml>` document into its child elements. WeCom never sends a DTD, so one is refused
 * outright rather than handed to an entity expander.
 */
export function parseCallbackXml(xml: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new CallbackXmlError('a DTD is not allowed');
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml, true) as Record<string, unknown>;
  } catch {
    // The parser's message quotes the document; rejections are logged, so it stays out.
    throw new CallbackXmlError('not well-formed XML');
  }
  const roots = Object.keys(document).filter((name) => name !== '?xml');
  const root = document.xml;
  if (roots.length !== 1 || roots[0] !== 'xml') throw new CallbackXmlError('the root element must be <xml>');
  if (root === '') return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new CallbackXmlError('<xml> must contain elements');
  }
  return root as Record<string, unknown>;
}

/** The `Encrypt` value of the envelope WeCom POSTs. */
export function readEncryptedEnvelope(xml: string): string {
  const encrypted = parseCallbackXml(xml).Encrypt;
  if (typeof encrypted !== 'string' || encrypted === '') {
    throw new CallbackXmlError('the envelope has no <Encrypt> value');
  }
  return encrypted;
}

/**
 * Turns a decrypted message into the object handlers receive: integer fields become numbers,
 * `MemChangeList` becomes an array, unknown fields are kept as parsed.
 */
export function parseCallbackMessage(xml: string): UnrecognizedCallbackMessage {
  const message: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(parseCallbackXml(xml))) {
    if (INTEGER_FIELDS.has(field) && typeof value === 'string') {
      if (value === '') continue;
      message[field] = toInteger(field, value);
    } else if (field === MEMBER_LIST) {
      message[field] = memberList(value);
    } else {
      message[field] = value;
    }
  }
  return message;
}

function toInteger(field: string, value: string): number {
  const number = Number(value);
  if (!INTEGER.test(value) || !Number.isSafeInteger(number)) {
    throw new CallbackXmlError(`<${field}> is not an integer`);
  }
  return number;
}

/**
 * `<MemChangeList><Item>…</Item></MemChangeList>` as the docs show it. WxJava also accepts the ids
 * comma-separated in a single value; that form is read too rather than the event refused.
 */
function memberList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').filter((id) => id !== '');
  if (typeof value === 'object' && value !== null && 'Item' in value) {
    const items = (value as { Item: unknown }).Item;
    if (Array.isArray(items)) return items.filter((item): item is string => typeof item === 'string');
  }
  throw new CallbackXmlError('<MemChangeList> must hold <Item> elements');
}

/** Fields to serialise: strings, integers and string lists, as in every callback WeCom sends. */
export type CallbackMessageFields =
  | CustomerContactEvent
  | { readonly [field: string]: string | number | readonly string[] | undefined };

/**
 * Serialises a message the way WeCom does: strings in CDATA, integers bare, arrays as `<Item>`
 * children. Used to build deliveries (the sandbox, tests).
 */
export function buildCallbackXml(message: CallbackMessageFields): string {
  const elements = Object.entries(message).map(([field, value]: [string, unknown]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(field))
      throw new TypeError(`"${field}" is not an XML element name`);
    if (value === undefined) return '';
    if (typeof value === 'number' && Number.isSafeInteger(value)) return `<${field}>${value}</${field}>`;
    if (typeof value === 'string') return `<${field}>${cdata(value)}</${field}>`;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      return `<${field}>${value.map((item) => `<Item>${cdata(item)}</Item>`).join('')}</${field}>`;
    }
    throw new TypeError(`<${field}> must be a string, an integer or a list of strings`);
  });
  return `<xml>${elements.join('')}</xml>`;
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
