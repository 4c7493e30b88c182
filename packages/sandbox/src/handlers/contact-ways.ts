import {
  addContactWay,
  closeTempChat,
  deleteContactWay,
  listableContactWays,
  requireContactWay,
  updateContactWay,
} from '../domain/contact-ways';
import { type ContactWay, type ContactWayConclusions, qrCodeUrl } from '../state/contact-ways';
import { type Handler, type HandlerTable, seconds } from './context';

function contactWayView(way: ContactWay) {
  const { createTime: _createTime, conclusions, ...view } = way;
  return {
    ...view,
    ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }),
    ...(conclusions && { conclusions: conclusionsView(conclusions) }),
  };
}

/** WeCom takes the closing image as a media_id and gives it back as a URL. */
function conclusionsView({ image, ...rest }: ContactWayConclusions) {
  return {
    ...rest,
    ...(image && {
      image: { pic_url: `https://wework.qpic.cn/wwpic/sandbox/media/${image.media_id ?? 'unknown'}/0` },
    }),
  };
}

const listContactWays: Handler<'listContactWays'> = (context) => {
  const { state, input } = context;
  const rows = listableContactWays(state, input, seconds(context)).map((way) => ({
    config_id: way.config_id,
  }));
  // Omitted times stay out of the scope: their defaults move with the clock between pages.
  return context.page(
    rows,
    `list_contact_way:${String(input.start_time ?? '')}:${String(input.end_time ?? '')}`,
  );
};

export const contactWayHandlers = {
  addContactWay: (context) => {
    const way = addContactWay(context.state, context.input, seconds(context));
    return { config_id: way.config_id, ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }) };
  },
  getContactWay: ({ state, input }) => ({
    contact_way: contactWayView(requireContactWay(state, input.config_id)),
  }),
  listContactWays,
  updateContactWay: (context) => {
    const { state, input } = context;
    updateContactWay(state, requireContactWay(state, input.config_id), input, seconds(context));
    return {};
  },
  deleteContactWay: ({ state, input }) => {
    deleteContactWay(state, requireContactWay(state, input.config_id));
    return {};
  },
  closeTempChat: (context) => {
    const { state, input } = context;
    closeTempChat(state, input.userid, input.external_userid, seconds(context));
    return {};
  },
} satisfies HandlerTable;
