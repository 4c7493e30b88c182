import { describe, expect, it } from 'vitest';
import { useCheckedSandbox } from './testing/fixture';
import { DAY } from './time';

const t = useCheckedSandbox();

/** WeCom's errmsg: the problem, then hint, the caller's address and the errcode's page; nothing else. */
function problemIn(errmsg: string, errcode: number): string {
  const format = new RegExp(
    `^(.+), hint: \\[\\d+\\], from ip: 127\\.0\\.0\\.1, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=${errcode}$`,
  );
  const problem = format.exec(errmsg)?.[1];
  if (problem === undefined) throw new Error(`not in WeCom's errmsg format: ${errmsg}`);
  return problem;
}

/** Words of the client's advice (wecom-kit's error messages), which other SDKs' users must never see. */
const CLIENT_ADVICE = /wecom\.|paginate|split it|batches|wecom-kit/i;

describe('validation errmsg on the wire', () => {
  it('states only the problem for a batch over the limit, in the dedicated code the spec names', async () => {
    const image = { msgtype: 'image', image: { media_id: 'MEDIA' } };
    const answer = await t.api.post('/send_welcome_msg', {
      welcome_code: 'WELCOME',
      attachments: Array.from({ length: 10 }, () => image),
    });
    expect(answer.errcode).toBe(41064);
    const problem = problemIn(answer.errmsg, 41064);
    expect(problem).toMatch(/^invalid parameter: .*attachments/);
    expect(problem).not.toMatch(CLIENT_ADVICE);
  });

  it('states only the problem for a time window longer than WeCom serves', async () => {
    const end = Math.floor(t.clock / 1000);
    const answer = await t.api.post('/get_moment_list', { start_time: end - 40 * DAY, end_time: end });
    expect(answer.errcode).not.toBe(0);
    const problem = problemIn(answer.errmsg, answer.errcode);
    expect(problem).toMatch(/^invalid parameter: /);
    expect(problem).not.toMatch(CLIENT_ADVICE);
  });
});
