import { describe, expect, it } from 'vitest';
import { addRule } from './state/albums-rules';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

const now = () => Math.floor(t.clock / 1000);
const image = (mediaId: string) => ({ type: 'image', image: { media_id: mediaId } });
type Product = {
  product_id: string;
  description: string;
  price: number;
  product_sn?: string;
  create_time?: number;
};
type Rule = {
  rule_id: string | number;
  rule_name: string;
  word_list: string[];
  extra_rule: { semantics_list: number[] };
  intercept_type: number;
  applicable_range: { user_list: string[]; department_list: number[] };
};

describe('product album', () => {
  it('add -> get -> list -> update -> delete, each write visible to the reads', async () => {
    const added = await t.api.post<{ product_id: string }>('/add_product_album', {
      description: '智能门锁 旗舰款',
      price: 129_900,
      product_sn: 'LOCK2024',
      attachments: [image('MEDIA_1'), image('MEDIA_2')],
    });
    expect(added.errcode).toBe(0);
    const id = added.product_id;

    const got = await t.api.post<{ product: Product }>('/get_product_album', { product_id: id });
    expect(got.product).toEqual({
      product_id: id,
      description: '智能门锁 旗舰款',
      price: 129_900,
      product_sn: 'LOCK2024',
      create_time: now(),
      attachments: [image('MEDIA_1'), image('MEDIA_2')],
    });

    const all: Product[] = [];
    let cursor = '';
    do {
      const page = await t.api.post<{ product_list: Product[]; next_cursor: string }>(
        '/get_product_album_list',
        { limit: 7, cursor },
      );
      expect(page.product_list.length).toBeLessThanOrEqual(7);
      all.push(...page.product_list);
      cursor = page.next_cursor;
    } while (cursor !== '');
    expect(all).toHaveLength(t.sandbox.state.albums.products.length);
    // Listed products carry no create_time.
    expect(all.find((product) => product.product_id === id)).toEqual({
      ...got.product,
      create_time: undefined,
    });

    const update = { product_id: id, price: 99_900, attachments: [image('MEDIA_3')] };
    expect((await t.api.post('/update_product_album', update)).errcode).toBe(0);
    const updated = await t.api.post<{ product: Product }>('/get_product_album', { product_id: id });
    expect(updated.product).toMatchObject({
      price: 99_900,
      description: '智能门锁 旗舰款',
      attachments: [image('MEDIA_3')],
    });

    expect((await t.api.post('/delete_product_album', { product_id: id })).errcode).toBe(0);
    // A deleted product is told apart from one that never existed.
    expect((await t.api.post('/get_product_album', { product_id: id })).errcode).toBe(41074);
    expect((await t.api.post('/delete_product_album', { product_id: id })).errcode).toBe(41074);
    expect((await t.api.post('/update_product_album', update)).errcode).toBe(41074);
    expect((await t.api.post('/get_product_album', { product_id: 'prod_nope' })).errcode).toBe(41075);
  });

  it('refuses bad product codes, attachment types and descriptions, and changes nothing on a refused update', async () => {
    const add = (body: Record<string, unknown>) =>
      t.api.post('/add_product_album', { description: 'x', price: 100, attachments: [image('M')], ...body });
    expect((await add({ product_sn: 'ABC-123' })).errcode).toBe(41085);
    expect((await add({ attachments: [{ type: 'video', image: { media_id: 'M' } }] })).errcode).toBe(41065);
    expect((await add({ description: '   ' })).errcode).toBe(41087);
    expect((await add({ price: 5_000_001 })).errcode).toBe(40058);
    expect((await add({ attachments: [] })).errcode).toBe(40058);

    const product = t.sandbox.state.albums.products[0];
    if (!product) throw new Error('no seeded products');
    const before = await t.api.post('/get_product_album', { product_id: product.product_id });
    const refused = await t.api.post('/update_product_album', {
      product_id: product.product_id,
      price: 1,
      product_sn: 'bad sn',
    });
    expect(refused.errcode).toBe(41085);
    expect(await t.api.post('/get_product_album', { product_id: product.product_id })).toEqual(before);
  });

  it('falls back to the default page size (50) for a limit above 100, and refuses a forged cursor', async () => {
    const page = await t.api.post<{ product_list: unknown[] }>('/get_product_album_list', { limit: 500 });
    expect(page.product_list).toHaveLength(Math.min(50, t.sandbox.state.albums.products.length));
    expect((await t.api.post('/get_product_album_list', { cursor: 'forged' })).errcode).toBe(50100);
  });
});

describe('intercept rules', () => {
  it('add -> list -> get -> update -> delete, each write visible to the reads', async () => {
    const [first, second] = t.sandbox.state.people.members;
    const added = await t.api.post<{ rule_id: string }>('/add_intercept_rule', {
      rule_name: '价格承诺',
      word_list: ['最低价', '全网最低'],
      semantics_list: [1],
      intercept_type: 1,
      applicable_range: { user_list: [first?.userid], department_list: [2] },
    });
    expect(added.errcode).toBe(0);
    const ruleId = added.rule_id;

    const list = await t.api.get<{
      rule_list: { rule_id: string; rule_name: string; create_time: number }[];
    }>('/get_intercept_rule_list');
    expect(list.rule_list).toContainEqual({ rule_id: ruleId, rule_name: '价格承诺', create_time: now() });

    const update = {
      rule_id: ruleId,
      word_list: [],
      extra_rule: { semantics_list: [] },
      intercept_type: 2,
      add_applicable_range: { user_list: [second?.userid] },
      remove_applicable_range: { department_list: [2] },
    };
    expect((await t.api.post('/update_intercept_rule', update)).errcode).toBe(0);
    const got = await t.api.post<{ rule: Rule }>('/get_intercept_rule', { rule_id: ruleId });
    expect(got.rule).toMatchObject({
      rule_id: ruleId,
      rule_name: '价格承诺',
      // An empty word list is ignored, an empty semantics list clears the semantics.
      word_list: ['最低价', '全网最低'],
      extra_rule: { semantics_list: [] },
      intercept_type: 2,
      applicable_range: { user_list: [first?.userid, second?.userid], department_list: [] },
    });

    expect((await t.api.post('/del_intercept_rule', { rule_id: ruleId })).errcode).toBe(0);
    expect((await t.api.post('/del_intercept_rule', { rule_id: ruleId })).errcode).toBe(41071);
    expect((await t.api.post('/get_intercept_rule', { rule_id: ruleId })).errcode).toBe(41071);
    expect((await t.api.post('/update_intercept_rule', update)).errcode).toBe(41071);
    expect((await t.api.post('/get_intercept_rule', { rule_id: 'rule_nope' })).errcode).toBe(41070);
    const after = await t.api.get<{ rule_list: { rule_id: string }[] }>('/get_intercept_rule_list');
    expect(after.rule_list.map((rule) => rule.rule_id)).not.toContain(ruleId);
  });

  it('keeps a numeric rule_id numeric and finds it whichever way it is sent', async () => {
    const list = await t.api.get<{ rule_list: { rule_id: string | number }[] }>('/get_intercept_rule_list');
    const numeric = list.rule_list.find((rule) => typeof rule.rule_id === 'number')?.rule_id;
    expect(numeric).toBeTypeOf('number');
    const byNumber = await t.api.post<{ rule: Rule }>('/get_intercept_rule', { rule_id: numeric });
    expect(byNumber.rule.rule_id).toBe(numeric);
    expect(await t.api.post('/get_intercept_rule', { rule_id: String(numeric) })).toEqual(byNumber);
  });

  it('refuses taken names, bad semantics, unknown departments, a 101st rule, and a revoked token', async () => {
    const userid = t.sandbox.state.people.members[0]?.userid;
    const rule = (body: Record<string, unknown>) =>
      t.api.post('/add_intercept_rule', {
        rule_name: '新规则',
        word_list: ['词'],
        intercept_type: 1,
        applicable_range: { user_list: [userid] },
        ...body,
      });
    const taken = t.sandbox.state.interceptRules.rules[0]?.rule_name;
    expect((await rule({ rule_name: taken })).errcode).toBe(41077);
    expect((await rule({ semantics_list: [9] })).errcode).toBe(41084);
    expect((await rule({ word_list: [' '] })).errcode).toBe(41083);
    expect((await rule({ applicable_range: { department_list: [999] } })).errcode).toBe(60011);
    expect((await rule({ applicable_range: {} })).errcode).toBe(40058);
    expect((await rule({ intercept_type: 3 })).errcode).toBe(40058);

    const other = t.sandbox.state.interceptRules.rules[1];
    const rename = await t.api.post('/update_intercept_rule', { rule_id: other?.rule_id, rule_name: taken });
    expect(rename.errcode).toBe(41077);

    const book = t.sandbox.state.interceptRules;
    const template = book.rules[0];
    if (!template) throw new Error('no seeded rules');
    while (book.rules.length < 100) addRule(book, { ...template, rule_name: `规则${book.nextId}` });
    expect((await rule({})).errcode).toBe(41069);

    t.sandbox.revokeTokens();
    expect((await t.api.get('/get_intercept_rule_list')).errcode).toBe(40014);
  });
});
