import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import {
  addTemplate,
  type GroupWelcomeTemplate,
  PART_TYPES,
  type PartType,
  pickPart,
  type WelcomeCode,
} from '../state/messages';
import { type MessageParts, readMessage, readText } from './messages';

/* 欢迎语: the single-use welcome_code of a new contact, and the group welcome templates. */

/** WeCom's limit on group welcome templates per corporation (41055). */
const MAX_TEMPLATES = 100;

/** A template as requests send it: text and other parts, of which WeCom keeps the first one present. */
export type TemplateParts = { readonly text?: { readonly content?: string } } & {
  readonly [Type in PartType]?: object;
};

/** Sends the welcome message with the code, which works once and for 20 seconds; `now` in ms. */
export function sendWelcome(
  state: SandboxState,
  input: { readonly welcome_code: string } & MessageParts,
  now: number,
): WelcomeCode {
  const entry = state.messages.welcomeCodes.get(input.welcome_code);
  // Another app (or an earlier call) already used the code: the member and customer are chatting.
  if (entry?.usedAt !== undefined)
    throw new ApiError(41051, 'the customer and the member have started chatting');
  if (!entry || entry.expiresAtMs <= now) throw new ApiError(41050, 'invalid welcome_code');
  const { text, attachments } = readMessage(input, 4_000);
  entry.usedAt = now;
  // Kept so tests and users can see what the customer received.
  entry.message = { ...(text && { text }), attachments };
  return entry;
}

/** The first non-text part in WeCom's priority order; images are stored as the pic_url WeCom returns. */
function firstPart(parts: TemplateParts): GroupWelcomeTemplate['part'] {
  const type = PART_TYPES.find((candidate) => parts[candidate] !== undefined);
  if (!type) return undefined;
  const value = pickPart(type, parts[type]);
  if (type !== 'image') return { type, value };
  if (value.pic_url === undefined && value.media_id === undefined)
    throw invalidParameter('image needs media_id or pic_url');
  return {
    type,
    value: { pic_url: value.pic_url ?? `https://wework.qpic.cn/sandbox/welcome/${value.media_id}/0` },
  };
}

/** Any template, this app's or another's: reading is allowed. */
export function requireTemplate(state: SandboxState, templateId: string): GroupWelcomeTemplate {
  const template = state.messages.templates.get(templateId);
  if (!template) throw invalidParameter('unknown template_id');
  return template;
}

/** A template this app created: only those may be edited or deleted. */
export function requireOwnTemplate(state: SandboxState, templateId: string): GroupWelcomeTemplate {
  const template = state.messages.templates.get(templateId);
  if (!template || template.foreign)
    throw new ApiError(41058, 'no permission to edit this group welcome template');
  return template;
}

export function createTemplate(state: SandboxState, parts: TemplateParts): GroupWelcomeTemplate {
  if (state.messages.templates.size >= MAX_TEMPLATES)
    throw new ApiError(41055, 'group welcome templates exceed 100');
  const text = readText(parts.text, 3_000);
  const part = firstPart(parts);
  if (!text && !part) throw invalidParameter('text and the other parts cannot all be empty');
  return addTemplate(state.messages, { ...(text && { text }), ...(part && { part }), foreign: false });
}

/** Our reading of an undocumented point: parts that are sent replace the stored ones, omitted parts stay. */
export function editTemplate(template: GroupWelcomeTemplate, parts: TemplateParts): void {
  const text = readText(parts.text, 4_000);
  const part = firstPart(parts);
  if (text) template.text = text;
  if (part) template.part = part;
}

export function deleteTemplate(state: SandboxState, template: GroupWelcomeTemplate): void {
  state.messages.templates.delete(template.template_id);
}
