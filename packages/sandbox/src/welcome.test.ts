import { describe, expect, it } from 'vitest';
import { issueWelcomeCode, WELCOME_CODE_TTL_MS } from './state/messages';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

/** What the add-external-contact callback would carry for a new customer. */
function newCustomerCode(): string {
  const follow = t.sandbox.state.people.follows[0];
  if (!follow) throw new Error('no seeded follows');
  return issueWelcomeCode(t.sandbox.state.messages, follow.userid, follow.external_userid, t.clock);
}

describe('welcome messages', () => {
  it('sends once per code: a second use answers 41051', async () => {
    const welcomeCode = newCustomerCode();
    const body = { welcome_code: welcomeCode, text: { content: '您好，我是您的专属顾问' } };
    expect((await t.api.post('/send_welcome_msg', body)).errcode).toBe(0);
    expect((await t.api.post('/send_welcome_msg', body)).errcode).toBe(41051);
  });

  it('answers 41050 for an expired or unknown code, 41049 without one, 40058 without content', async () => {
    const welcomeCode = newCustomerCode();
    expect((await t.api.post('/send_welcome_msg', { welcome_code: welcomeCode })).errcode).toBe(40058);
    t.clock += WELCOME_CODE_TTL_MS;
    const late = await t.api.post('/send_welcome_msg', {
      welcome_code: welcomeCode,
      text: { content: 'hi' },
    });
    expect(late.errcode).toBe(41050);
    expect(
      (await t.api.post('/send_welcome_msg', { welcome_code: 'forged', text: { content: 'hi' } })).errcode,
    ).toBe(41050);
    expect((await t.api.post('/send_welcome_msg', { text: { content: 'hi' } })).errcode).toBe(41049);
  });
});

describe('group welcome templates', () => {
  it('add -> get -> edit -> get -> delete, each write visible to the read', async () => {
    const added = await t.api.post<{ template_id: string }>('/group_welcome_template/add', {
      text: { content: '欢迎 %NICKNAME%' },
      image: { media_id: 'MEDIA_1' },
      link: { title: 'ignored', url: 'https://example.com' },
    });
    expect(added.errcode).toBe(0);
    const templateId = added.template_id;
    const read = () => t.api.post('/group_welcome_template/get', { template_id: templateId });
    expect(await read()).toEqual({
      errcode: 0,
      errmsg: 'ok',
      text: { content: '欢迎 %NICKNAME%' },
      image: { pic_url: 'https://wework.qpic.cn/sandbox/welcome/MEDIA_1/0' },
    });
    const edit = { template_id: templateId, video: { media_id: 'VIDEO_1' } };
    expect((await t.api.post('/group_welcome_template/edit', edit)).errcode).toBe(0);
    expect(await read()).toMatchObject({
      text: { content: '欢迎 %NICKNAME%' },
      video: { media_id: 'VIDEO_1' },
    });
    expect(await read()).not.toHaveProperty('image');
    expect((await t.api.post('/group_welcome_template/del', { template_id: templateId })).errcode).toBe(0);
    expect((await read()).errcode).toBe(40058);
    expect((await t.api.post('/group_welcome_template/del', { template_id: templateId })).errcode).toBe(
      41058,
    );
  });

  it('refuses edits to templates of other apps (41058), empty content (40058) and the 101st template (41055)', async () => {
    const foreign = [...t.sandbox.state.messages.templates.values()].find((template) => template.foreign);
    const edit = { template_id: foreign?.template_id, text: { content: 'mine now' } };
    expect((await t.api.post('/group_welcome_template/edit', edit)).errcode).toBe(41058);
    expect((await t.api.post('/group_welcome_template/add', { notify: 0 })).errcode).toBe(40058);
    const answers = [];
    for (let count = t.sandbox.state.messages.templates.size; count <= 100; count++) {
      answers.push(
        (await t.api.post('/group_welcome_template/add', { text: { content: `模板${count}` } })).errcode,
      );
    }
    expect(answers.at(-1)).toBe(41055);
    expect(answers.slice(0, -1).every((errcode) => errcode === 0)).toBe(true);
  });
});
