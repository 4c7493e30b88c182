// A fixed consumer of the published API, written against the spec as it is: CI regenerates the
// packages from a pull request's spec and compiles this file. When it stops compiling, the change
// breaks real code, whatever spec:diff says; a pull request that breaks on purpose updates this
// file, which then shows users the migration.
import { createWecomClient, type OperationOutput } from '@wecom-kit/client';
import { type CallbackAddExternalContact, createCallbackHandler } from '@wecom-kit/core/callbacks';
import {
  useAddMomentTaskMutation,
  useGetExternalContact,
  useGetMomentListInfinite,
} from '@wecom-kit/react-hooks';

const wecom = createWecomClient({ corpId: 'ww-consumer', corpSecret: 'consumer-secret' });

/** Reads a customer and the members who follow them (a GET with query parameters). */
export async function followerCount(externalUserId: string): Promise<number> {
  const { external_contact, follow_user } = await wecom.call('getExternalContact', {
    external_userid: externalUserId,
  });
  const name: string = external_contact.name;
  return name ? follow_user.length : 0;
}

/** Pages through moments by cursor, in windows the runtime splits (a POST with a body). */
export async function momentIds(start: number, end: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const moment of wecom
    .paginate('getMomentList', { start_time: start, end_time: end, limit: 20 })
    .items()) {
    const created: number = moment.create_time;
    if (created >= start) ids.push(moment.moment_id);
  }
  return ids;
}

/** Edits a remark: a write with an at-least-one-of group of fields. */
export async function rename(userid: string, externalUserId: string, remark: string): Promise<number> {
  const result: OperationOutput<'updateExternalContactRemark'> = await wecom.call(
    'updateExternalContactRemark',
    {
      userid,
      external_userid: externalUserId,
      remark,
    },
  );
  return result.errcode;
}

/** A callback handler that greets new customers with the one-time welcome code. */
export const receive = createCallbackHandler({
  token: 'consumer-token',
  encodingAESKey: 'a'.repeat(43),
  corpId: 'ww-consumer',
  on: {
    addExternalContact: async (event: CallbackAddExternalContact) => {
      const code: string | undefined = event.WelcomeCode;
      if (code)
        await wecom.call('sendWelcomeMsg', {
          welcome_code: code,
          text: { content: `Hello ${event.ExternalUserID}` },
        });
    },
    updateExternalChat: (event) => {
      const joined: string[] = event.MemChangeList ?? [];
      console.log(event.ChatId, joined.length);
    },
  },
});

/** The hooks a React app imports: a read, an infinite read and a write. */
export const hooks = { useGetExternalContact, useGetMomentListInfinite, useAddMomentTaskMutation };
