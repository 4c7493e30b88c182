import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

interface Webhook {
  post: {
    operationId: string;
    'x-wecom-callback-kind'?: 'command';
    requestBody: {
      content: Record<string, { schema: { $ref: string }; examples: Record<string, { value: unknown }> }>;
    };
  };
}

const spec = JSON.parse(readFileSync(join(import.meta.dirname, '../dist/openapi.json'), 'utf8'));
const webhooks = Object.entries(spec.webhooks as Record<string, Webhook>).map(([name, item]) => ({
  name,
  op: item.post,
  body: Object.values(item.post.requestBody.content)[0] as Webhook['post']['requestBody']['content'][string],
}));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: 'spec' });

describe('the callback webhooks', () => {
  it('cover every customer-contact event, one webhook per Event + ChangeType', () => {
    const pairs = webhooks
      .filter(({ op }) => !op['x-wecom-callback-kind'])
      .map(({ body }) => {
        const value = Object.values(body.examples)[0]?.value as { Event: string; ChangeType: string };
        return `${value.Event}/${value.ChangeType}`;
      });
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.sort()).toEqual(
      [
        'change_external_contact/add_external_contact',
        'change_external_contact/edit_external_contact',
        'change_external_contact/add_half_external_contact',
        'change_external_contact/del_external_contact',
        'change_external_contact/del_follow_user',
        'change_external_contact/transfer_fail',
        'change_external_chat/create',
        'change_external_chat/update',
        'change_external_chat/dismiss',
        'change_external_tag/create',
        'change_external_tag/update',
        'change_external_tag/delete',
        'change_external_tag/shuffle',
      ].sort(),
    );
  });

  it('cover the command callbacks of a suite, one webhook per InfoType, marked as commands', () => {
    const commands = webhooks.filter(({ op }) => op['x-wecom-callback-kind'] === 'command');
    const infoTypes = commands.map(({ body }) => {
      const [example] = Object.values(body.examples);
      return (example?.value as { InfoType?: string } | undefined)?.InfoType;
    });
    expect(infoTypes.sort()).toEqual(
      ['cancel_auth', 'change_auth', 'create_auth', 'reset_permanent_code', 'suite_ticket'].sort(),
    );
    for (const { body } of commands) expect(body.schema.$ref).toMatch(/^#\/components\/schemas\/Callback/);
  });

  it('have operationIds that no path operation uses', () => {
    const pathIds = Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((item) => Object.values(item))
      .map((op) => op.operationId);
    for (const { op } of webhooks) expect(pathIds).not.toContain(op.operationId);
  });

  // Redocly's example check does not see through allOf, so unknown or misspelt fields would slip
  // past it; unevaluatedProperties does see through it.
  it.each(webhooks)('$name examples match their schema exactly', ({ body }) => {
    const validate = ajv.compile({ $ref: `spec${body.schema.$ref}`, unevaluatedProperties: false });
    for (const [name, { value }] of Object.entries(body.examples)) {
      expect(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
