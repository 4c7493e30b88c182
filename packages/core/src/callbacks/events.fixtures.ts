import type { CustomerContactEventMap, CustomerContactEventName } from './events';

// The event examples of WeCom's customer-contact callback page (客户联系 › 回调通知 › 事件格式,
// https://developer.work.weixin.qq.com/document/path/92130), laid out as the page shows them, with
// the object each must parse to. The objects equal the `official` examples of spec/webhooks/*.yaml.

const head = (event: string) => `<xml>
	<ToUserName><![CDATA[toUser]]></ToUserName>
	<FromUserName><![CDATA[sys]]></FromUserName>
	<CreateTime>1403610513</CreateTime>
	<MsgType><![CDATA[event]]></MsgType>
	<Event><![CDATA[${event}]]></Event>`;

const contactXml = (changeType: string, extra = '') => `${head('change_external_contact')}
	<ChangeType><![CDATA[${changeType}]]></ChangeType>
	<UserID><![CDATA[zhangsan]]></UserID>
	<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>${extra}
</xml>`;

const chatXml = (changeType: string, extra = '') => `${head('change_external_chat')}
	<ChatId><![CDATA[CHAT_ID]]></ChatId>
	<ChangeType><![CDATA[${changeType}]]></ChangeType>${extra}
</xml>`;

const tagXml = (changeType: string, fields: string) => `${head('change_external_tag')}${fields}
	<ChangeType><![CDATA[${changeType}]]></ChangeType>
</xml>`;

const base = { ToUserName: 'toUser', FromUserName: 'sys', CreateTime: 1403610513, MsgType: 'event' } as const;
const contact = {
  ...base,
  Event: 'change_external_contact',
  UserID: 'zhangsan',
  ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
} as const;
const chat = { ...base, Event: 'change_external_chat', ChatId: 'CHAT_ID' } as const;
const tag = { ...base, Event: 'change_external_tag' } as const;

export const OFFICIAL_EVENT_EXAMPLES: {
  [Name in CustomerContactEventName]: { xml: string; event: CustomerContactEventMap[Name] };
} = {
  addExternalContact: {
    xml: contactXml(
      'add_external_contact',
      `
	<State><![CDATA[teststate]]></State>
	<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>`,
    ),
    event: { ...contact, ChangeType: 'add_external_contact', State: 'teststate', WelcomeCode: 'WELCOMECODE' },
  },
  editExternalContact: {
    xml: contactXml('edit_external_contact'),
    event: { ...contact, ChangeType: 'edit_external_contact' },
  },
  addHalfExternalContact: {
    xml: contactXml(
      'add_half_external_contact',
      `
	<State><![CDATA[teststate]]></State>
	<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>`,
    ),
    event: {
      ...contact,
      ChangeType: 'add_half_external_contact',
      State: 'teststate',
      WelcomeCode: 'WELCOMECODE',
    },
  },
  delExternalContact: {
    xml: contactXml('del_external_contact', '\n\t<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>'),
    event: { ...contact, ChangeType: 'del_external_contact', Source: 'DELETE_BY_TRANSFER' },
  },
  delFollowUser: {
    xml: contactXml('del_follow_user'),
    event: { ...contact, ChangeType: 'del_follow_user' },
  },
  transferFail: {
    xml: contactXml('transfer_fail', '\n\t<FailReason><![CDATA[customer_refused]]></FailReason>'),
    event: { ...contact, ChangeType: 'transfer_fail', FailReason: 'customer_refused' },
  },
  createExternalChat: {
    xml: chatXml('create'),
    event: { ...chat, ChangeType: 'create' },
  },
  updateExternalChat: {
    xml: chatXml(
      'update',
      `
	<UpdateDetail><![CDATA[add_member]]></UpdateDetail>
	<JoinScene>1</JoinScene>
	<QuitScene>0</QuitScene>
	<MemChangeCnt>10</MemChangeCnt>
	<MemChangeList>
		<Item>Jack</Item>
		<Item>Rose</Item>
	</MemChangeList>
	<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>
	<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>`,
    ),
    event: {
      ...chat,
      ChangeType: 'update',
      UpdateDetail: 'add_member',
      JoinScene: 1,
      QuitScene: 0,
      MemChangeCnt: 10,
      MemChangeList: ['Jack', 'Rose'],
      LastMemVer: '9c3f97c2ada667dfb5f6d03308d963e1',
      CurMemVer: '71217227bbd112ecfe3a49c482195cb4',
    },
  },
  dismissExternalChat: {
    xml: chatXml('dismiss'),
    event: { ...chat, ChangeType: 'dismiss' },
  },
  createExternalTag: {
    xml: tagXml('create', '\n\t<Id><![CDATA[TAG_ID]]></Id>\n\t<TagType><![CDATA[tag]]></TagType>'),
    event: { ...tag, Id: 'TAG_ID', TagType: 'tag', ChangeType: 'create' },
  },
  updateExternalTag: {
    xml: tagXml('update', '\n\t<Id><![CDATA[TAG_ID]]></Id>\n\t<TagType><![CDATA[tag]]></TagType>'),
    event: { ...tag, Id: 'TAG_ID', TagType: 'tag', ChangeType: 'update' },
  },
  deleteExternalTag: {
    xml: tagXml('delete', '\n\t<Id><![CDATA[TAG_ID]]></Id>\n\t<TagType><![CDATA[tag]]></TagType>'),
    event: { ...tag, Id: 'TAG_ID', TagType: 'tag', ChangeType: 'delete' },
  },
  shuffleExternalTag: {
    xml: tagXml('shuffle', '\n\t<Id><![CDATA[TAG_ID]]></Id>'),
    event: { ...tag, Id: 'TAG_ID', ChangeType: 'shuffle' },
  },
};
