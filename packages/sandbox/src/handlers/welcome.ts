import { ApiError, invalidParameter } from '../api-error';
import { readAttachments, readText } from '../domain/messages';
import type { SandboxState } from '../state';
import { addTemplate, type GroupWelcomeTemplate, PART_TYPES, pickPart } from '../state/messages';
import type { Handler, HandlerTable } from './context';

/** WeCom's limit on group welcome templates per corporation (41055). */
const MAX_TEMPLATES = 100;

const sendWelcomeMsg: Handler<'sendWelcomeMsg'> = ({ state, input, now }) => {
  const entry = state.messages.welcomeCodes.get(input.welcome_code as string);
  // Another app (or an earlier call) already used the code: the member and customer are chatting.
  if (entry?.usedAt !== undefined)
    throw new ApiError(41051, 'the customer and the member have started chatting');
  if (!entry || entry.expiresAtMs <= now) throw new ApiError(41050, 'invalid welcome_code');
  const text = readText(input.text, 4_000);
  const attachments = readAttachments(input.attachments);
  if (!text && attachments.length === 0) throw invalidParameter('text and attachments cannot both be empty');
  entry.usedAt = now;
  // Kept so tests and users can see what the customer received.
  entry.message = { ...(text && { text }), attachments };
  return {};
};

/** The first non-text part in WeCom's priority order; images are stored as the pic_url WeCom returns. */
function firstPart(input: Record<string, unknown>): GroupWelcomeTemplate['part'] {
  const type = PART_TYPES.find((candidate) => input[candidate] !== undefined);
  if (!type) return undefined;
  const value = pickPart(type, input[type]);
  if (type !== 'image') return { type, value };
  if (value.pic_url === undefined && value.media_id === undefined)
    throw invalidParameter('image needs media_id or pic_url');
  return {
    type,
    value: { pic_url: value.pic_url ?? `https://wework.qpic.cn/sandbox/welcome/${value.media_id}/0` },
  };
}

function requireOwnTemplate(state: SandboxState, templateId: unknown): GroupWelcomeTemplate {
  const template = state.messages.templates.get(templateId as string);
  if (!template || template.foreign)
    throw new ApiError(41058, 'no permission to edit this group welcome template');
  return template;
}

const addGroupWelcomeTemplate: Handler<'addGroupWelcomeTemplate'> = ({ state, input }) => {
  if (state.messages.templates.size >= MAX_TEMPLATES)
    throw new ApiError(41055, 'group welcome templates exceed 100');
  const text = readText(input.text, 3_000);
  const part = firstPart(input);
  if (!text && !part) throw invalidParameter('text and the other parts cannot all be empty');
  const template = addTemplate(state.messages, {
    ...(text && { text }),
    ...(part && { part }),
    foreign: false,
  });
  return { template_id: template.template_id };
};

const editGroupWelcomeTemplate: Handler<'editGroupWelcomeTemplate'> = ({ state, input }) => {
  const template = requireOwnTemplate(state, input.template_id);
  // Our reading of an undocumented point: parts that are sent replace the stored ones, omitted parts stay.
  const text = readText(input.text, 4_000);
  const part = firstPart(input);
  if (text) template.text = text;
  if (part) template.part = part;
  return {};
};

const getGroupWelcomeTemplate: Handler<'getGroupWelcomeTemplate'> = ({ state, input }) => {
  const template = state.messages.templates.get(input.template_id as string);
  if (!template) throw invalidParameter('unknown template_id');
  return {
    ...(template.text && { text: template.text }),
    ...(template.part && { [template.part.type]: template.part.value }),
  };
};

const deleteGroupWelcomeTemplate: Handler<'deleteGroupWelcomeTemplate'> = ({ state, input }) => {
  state.messages.templates.delete(requireOwnTemplate(state, input.template_id).template_id);
  return {};
};

export const welcomeHandlers = {
  sendWelcomeMsg,
  addGroupWelcomeTemplate,
  editGroupWelcomeTemplate,
  getGroupWelcomeTemplate,
  deleteGroupWelcomeTemplate,
} satisfies HandlerTable;
