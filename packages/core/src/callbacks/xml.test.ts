import { describe, expect, it } from 'vitest';
import { type CustomerContactEventName, customerContactEventName } from './events';
import { OFFICIAL_EVENT_EXAMPLES } from './events.fixtures';
import { buildCallbackXml, CallbackXmlError, parseCallbackMessage, readEncryptedEnvelope } from './xml';

const examples = Object.entries(OFFICIAL_EVENT_EXAMPLES).map(([name, example]) => ({
  name: name as CustomerContactEventName,
  ...example,
}));

describe('parseCallbackMessage', () => {
  it.each(examples)('reads the documented $name example into its typed event', ({ name, xml, event }) => {
    const message = parseCallbackMessage(xml);
    expect(message).toEqual(event);
    expect(customerContactEventName(message)).toBe(name);
  });

  it.each(examples)('reads back what buildCallbackXml wrote for $name', ({ event }) => {
    expect(parseCallbackMessage(buildCallbackXml(event))).toEqual(event);
  });

  it('keeps unknown fields, and numeric-looking ids as the exact strings sent', () => {
    const message = parseCallbackMessage(
      '<xml><MsgType><![CDATA[text]]></MsgType><CreateTime>1409659813</CreateTime><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID><NewField><![CDATA[ x ]]></NewField></xml>',
    );
    expect(message).toEqual({
      MsgType: 'text',
      CreateTime: 1409659813,
      MsgId: '4561255354251345929',
      AgentID: '218',
      NewField: ' x ',
    });
    expect(customerContactEventName(message)).toBeUndefined();
  });

  it.each([
    ['one <Item>', '<MemChangeList><Item>Jack</Item></MemChangeList>', ['Jack']],
    ['no <Item>', '<MemChangeList></MemChangeList>', []],
    ['comma-separated ids', '<MemChangeList><![CDATA[Jack,Rose]]></MemChangeList>', ['Jack', 'Rose']],
  ])('reads MemChangeList with %s as a list', (_name, element, list) => {
    expect(parseCallbackMessage(`<xml>${element}</xml>`).MemChangeList).toEqual(list);
  });

  it('omits an integer field that is present but empty', () => {
    expect(parseCallbackMessage('<xml><QuitScene></QuitScene></xml>')).toEqual({});
  });

  it('keeps CDATA that contains the CDATA terminator intact through a round trip', () => {
    const awkward = { Content: 'a]]>b <c> & d' };
    expect(parseCallbackMessage(buildCallbackXml(awkward))).toEqual(awkward);
  });

  it.each([
    ['text that is not XML', 'hello'],
    ['unclosed elements', '<xml><ToUserName>x</xml>'],
    ['two root elements', '<xml></xml><xml></xml>'],
    ['another root element', '<message><a>1</a></message>'],
    ['text instead of elements', '<xml>text</xml>'],
    ['a DTD', '<!DOCTYPE xml [<!ENTITY e "boom">]><xml><a>&e;</a></xml>'],
    ['a prototype-polluting element', '<xml><__proto__><a>1</a></__proto__></xml>'],
    ['a CreateTime that is not an integer', '<xml><CreateTime>soon</CreateTime></xml>'],
    ['a MemChangeList of something else', '<xml><MemChangeList><Member>a</Member></MemChangeList></xml>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseCallbackMessage(xml)).toThrow(CallbackXmlError);
  });
});

describe('readEncryptedEnvelope', () => {
  it('returns the Encrypt value of the envelope', () => {
    expect(
      readEncryptedEnvelope(
        '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
      ),
    ).toBe('abc=');
  });

  it.each(['<xml><ToUserName>x</ToUserName></xml>', '<xml><Encrypt></Encrypt></xml>', '<xml/>'])(
    'refuses an envelope without Encrypt: %s',
    (xml) => {
      expect(() => readEncryptedEnvelope(xml)).toThrow(CallbackXmlError);
    },
  );
});

describe('customerContactEventName', () => {
  const { event } = OFFICIAL_EVENT_EXAMPLES.transferFail;

  it('does not route an event missing a field its type requires', () => {
    const { FailReason: _dropped, ...incomplete } = event;
    expect(customerContactEventName(incomplete)).toBeUndefined();
  });

  it('does not route a change type it does not know', () => {
    expect(customerContactEventName({ ...event, ChangeType: 'msg_audit_approved' })).toBeUndefined();
  });
});

describe('buildCallbackXml', () => {
  it('refuses names that are not XML element names and values WeCom never sends', () => {
    expect(() => buildCallbackXml({ 'not a name': 'x' })).toThrow(TypeError);
    expect(() => buildCallbackXml({ Ratio: 0.5 })).toThrow(TypeError);
  });
});
