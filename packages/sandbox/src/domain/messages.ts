import { ApiError, invalidParameter } from '../api-error';
import { type Attachment, pickPart } from '../state/messages';

/** The text part, or undefined when empty; WeCom counts the limit in UTF-8 bytes, not characters. */
export function readText(
  value: { readonly content?: string } | undefined,
  maxBytes: number,
): { content: string } | undefined {
  const content = value?.content;
  if (content === undefined || content === '') return undefined;
  if (Buffer.byteLength(content) > maxBytes) throw invalidParameter(`text.content exceeds ${maxBytes} bytes`);
  return { content };
}

/** Attachments as WeCom keeps them: the sub-object `msgtype` names must be there (41065), the others are dropped. */
export function readAttachments(value: readonly Attachment[] | undefined): Attachment[] {
  return (value ?? []).map((attachment, index) => {
    const type = attachment.msgtype;
    const part = pickPart(type, attachment[type]);
    const complete =
      type === 'image'
        ? part.media_id !== undefined || part.pic_url !== undefined
        : attachment[type] !== undefined;
    if (!complete) {
      throw new ApiError(41065, `invalid attachments[${index}]: msgtype ${type} needs a ${type} object`);
    }
    // The server checked the sub-object's required fields against the spec before this runs.
    return { msgtype: type, [type]: part } as Attachment;
  });
}

/** A message as requests send it: a text part, attachments, or both. */
export interface MessageParts {
  readonly text?: { readonly content?: string };
  readonly attachments?: readonly Attachment[];
}

/** A message as WeCom keeps it. */
export interface MessageContent {
  readonly text: { content: string } | undefined;
  readonly attachments: Attachment[];
}

/** The message's parts as WeCom keeps them; refused when it has neither text nor attachments. */
export function readMessage(parts: MessageParts, maxTextBytes: number): MessageContent {
  const text = readText(parts.text, maxTextBytes);
  const attachments = readAttachments(parts.attachments);
  if (!text && attachments.length === 0) throw invalidParameter('text and attachments cannot both be empty');
  return { text, attachments };
}
