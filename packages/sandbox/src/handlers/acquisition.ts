import {
  createLink,
  customersOf,
  deleteLink,
  linkFigures,
  liveQuota,
  requireChatKey,
  requireLink,
  updateLink,
} from '../domain/acquisition';
import { type Handler, type HandlerTable, seconds } from './context';

const createAcquisitionLink: Handler<'createAcquisitionLink'> = (context) => {
  const { link_id, link_name, url, create_time } = createLink(context.state, context.input, seconds(context));
  return { link: { link_id, link_name, url, create_time } };
};

const getAcquisitionLink: Handler<'getAcquisitionLink'> = ({ state, input }) => {
  const { link_name, url, create_time, skip_verify, range, priority_option } = requireLink(
    state,
    input.link_id,
  );
  return {
    link: { link_name, url, create_time, skip_verify },
    range: { user_list: [...range.user_list], department_list: [...range.department_list] },
    ...(priority_option && { priority_option }),
  };
};

const listAcquisitionCustomers: Handler<'listAcquisitionCustomers'> = (context) => {
  const link = requireLink(context.state, context.input.link_id);
  const customers = customersOf(context.state, link).map(
    ({ external_userid, userid, chat_status, state }) => ({
      external_userid,
      userid,
      chat_status,
      ...(state && { state }),
    }),
  );
  return context.page(customers, `acquisition_customers:${link.link_id}`);
};

const getAcquisitionStatistic: Handler<'getAcquisitionStatistic'> = (context) => {
  const { state, input } = context;
  const link = requireLink(state, input.link_id);
  const { clicks, added } = linkFigures(state, link, input.start_time, input.end_time, seconds(context));
  return { click_link_customer_cnt: clicks, new_customer_cnt: added };
};

const getAcquisitionQuota: Handler<'getAcquisitionQuota'> = (context) => {
  const live = liveQuota(context.state, seconds(context));
  return {
    total: context.state.acquisition.customers.length,
    balance: live.reduce((sum, batch) => sum + batch.balance, 0),
    quota_list: live.map(({ expire_date, balance }) => ({ expire_date, balance })),
  };
};

const getAcquisitionChatInfo: Handler<'getAcquisitionChatInfo'> = (context) => {
  const key = requireChatKey(context.state, context.input.chat_key, seconds(context));
  const { userid, external_userid, link_id, state } = key.customer;
  return {
    userid,
    external_userid,
    chat_info: { recv_msg_cnt: key.recv_msg_cnt, link_id, ...(state && { state }) },
  };
};

export const acquisitionHandlers = {
  listAcquisitionLinks: (context) =>
    context.page(
      context.state.acquisition.links.map((link) => link.link_id),
      'acquisition_links',
    ),
  getAcquisitionLink,
  createAcquisitionLink,
  updateAcquisitionLink: ({ state, input }) => {
    updateLink(state, requireLink(state, input.link_id), input);
    return {};
  },
  deleteAcquisitionLink: ({ state, input }) => {
    deleteLink(state, requireLink(state, input.link_id));
    return {};
  },
  listAcquisitionCustomers,
  getAcquisitionStatistic,
  getAcquisitionQuota,
  getAcquisitionChatInfo,
} satisfies HandlerTable;
