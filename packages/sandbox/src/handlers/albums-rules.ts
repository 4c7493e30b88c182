import { ApiError, invalidParameter } from '../api-error';
import { requireMember } from '../domain/people';
import type { SandboxState } from '../state';
import {
  addProduct,
  addRule,
  type InterceptRule,
  type Product,
  type ProductAttachment,
} from '../state/albums-rules';
import { type Handler, type HandlerTable, seconds } from './context';

/** WeCom caps the album (90324) without publishing the number; the sandbox uses this one. */
const MAX_PRODUCTS = 5_000;
const MAX_RULES = 100;
const MAX_RULE_USERS = 10_000;
const SEMANTICS = new Set([1, 2, 3]);

function requireProduct(state: SandboxState, productId: unknown): Product {
  const id = String(productId);
  if (state.albums.deleted.has(id)) throw new ApiError(41074, 'product album item has been deleted');
  const product = state.albums.productsById.get(id);
  if (!product) throw new ApiError(41075, `invalid product_id ${id}`);
  return product;
}

function checkDescription(description: unknown): string {
  if (typeof description !== 'string' || description.trim() === '') {
    throw new ApiError(41087, 'invalid product description');
  }
  return description;
}

function checkProductSn(productSn: unknown): string {
  // Letters and digits only; the length bound is checked against the spec before the handler runs.
  if (typeof productSn !== 'string' || !/^[0-9A-Za-z]*$/.test(productSn)) {
    throw new ApiError(41085, 'invalid product_sn');
  }
  return productSn;
}

function checkAttachments(attachments: unknown): ProductAttachment[] {
  return (attachments as ProductAttachment[]).map(({ type, image }) => {
    if (type !== 'image') throw new ApiError(41065, `attachment type ${type} is not accepted; only image`);
    if (image.media_id.trim() === '') throw new ApiError(40007, 'invalid media_id');
    return { type, image: { media_id: image.media_id } };
  });
}

function productView({ create_time: _created, ...product }: Product) {
  return {
    ...product,
    attachments: product.attachments.map(({ type, image }) => ({ type, image: { ...image } })),
  };
}

const addProductAlbum: Handler<'addProductAlbum'> = (context) => {
  const { state, input } = context;
  if (state.albums.products.length >= MAX_PRODUCTS) {
    throw new ApiError(90324, 'product count exceeds the limit');
  }
  const product = addProduct(state.albums, {
    description: checkDescription(input.description),
    price: input.price as number,
    create_time: seconds(context),
    ...(input.product_sn !== undefined &&
      input.product_sn !== '' && { product_sn: checkProductSn(input.product_sn) }),
    attachments: checkAttachments(input.attachments),
  });
  return { product_id: product.product_id };
};

const getProductAlbum: Handler<'getProductAlbum'> = ({ state, input }) => {
  const product = requireProduct(state, input.product_id);
  return { product: { ...productView(product), create_time: product.create_time } };
};

const listProductAlbums: Handler<'listProductAlbums'> = (context) =>
  context.page(context.state.albums.products.map(productView), 'product_album');

const updateProductAlbum: Handler<'updateProductAlbum'> = ({ state, input }) => {
  const product = requireProduct(state, input.product_id);
  // Check everything before changing anything, so a refused update leaves the product as it was.
  const description =
    input.description === undefined ? product.description : checkDescription(input.description);
  const productSn = input.product_sn === undefined ? product.product_sn : checkProductSn(input.product_sn);
  const attachments =
    input.attachments === undefined ? product.attachments : checkAttachments(input.attachments);
  Object.assign(product, {
    description,
    attachments,
    price: (input.price as number | undefined) ?? product.price,
  });
  if (productSn) product.product_sn = productSn;
  else delete product.product_sn;
  return {};
};

const deleteProductAlbum: Handler<'deleteProductAlbum'> = ({ state, input }) => {
  const product = requireProduct(state, input.product_id);
  state.albums.products = state.albums.products.filter((candidate) => candidate !== product);
  state.albums.productsById.delete(product.product_id);
  state.albums.deleted.add(product.product_id);
  return {};
};

function requireRule(state: SandboxState, ruleId: unknown): InterceptRule {
  const key = String(ruleId);
  if (state.interceptRules.deleted.has(key)) throw new ApiError(41071, 'intercept rule has been deleted');
  const rule = state.interceptRules.rulesById.get(key);
  if (!rule) throw new ApiError(41070, `invalid intercept rule id ${key}`);
  return rule;
}

function checkRuleName(state: SandboxState, name: string, self?: InterceptRule): string {
  if (state.interceptRules.rules.some((rule) => rule !== self && rule.rule_name === name)) {
    throw new ApiError(41077, `intercept rule name ${name} is already taken`);
  }
  return name;
}

function checkWords(words: string[]): string[] {
  if (words.some((word) => word.trim() === '')) {
    throw new ApiError(41083, 'sensitive words must not be blank');
  }
  return [...new Set(words)];
}

function checkSemantics(semantics: number[] | undefined): number[] {
  const list = semantics ?? [];
  const unknown = list.filter((value) => !SEMANTICS.has(value));
  if (unknown.length > 0) throw new ApiError(41084, `invalid semantics ${unknown.join(',')}`);
  return [...new Set(list)];
}

function checkInterceptType(type: unknown): 1 | 2 {
  if (type !== 1 && type !== 2) throw invalidParameter('intercept_type must be 1 or 2');
  return type;
}

type RangeInput = { user_list?: string[]; department_list?: number[] } | undefined;

function checkRange(state: SandboxState, range: RangeInput) {
  const departments = new Set(state.people.members.flatMap((member) => member.department));
  const userList = (range?.user_list ?? []).map((userid) => requireMember(state, userid).userid);
  const departmentList = range?.department_list ?? [];
  const unknown = departmentList.filter((department) => !departments.has(department));
  if (unknown.length > 0) throw new ApiError(60011, `no permission on department ${unknown.join(',')}`);
  return { user_list: userList, department_list: departmentList };
}

function mergeRange(
  current: InterceptRule['applicable_range'],
  add: InterceptRule['applicable_range'],
  remove: InterceptRule['applicable_range'],
) {
  const merged = {
    user_list: [...new Set([...current.user_list, ...add.user_list])].filter(
      (userid) => !remove.user_list.includes(userid),
    ),
    department_list: [...new Set([...current.department_list, ...add.department_list])].filter(
      (department) => !remove.department_list.includes(department),
    ),
  };
  if (merged.user_list.length > MAX_RULE_USERS) {
    throw new ApiError(41076, `a rule holds at most ${MAX_RULE_USERS} userids`);
  }
  return merged;
}

const addInterceptRule: Handler<'addInterceptRule'> = (context) => {
  const { state, input } = context;
  if (state.interceptRules.rules.length >= MAX_RULES) {
    throw new ApiError(41069, `a corporation holds at most ${MAX_RULES} rules`);
  }
  const range = checkRange(state, input.applicable_range as RangeInput);
  if (range.user_list.length === 0 && range.department_list.length === 0) {
    throw invalidParameter(
      'applicable_range.user_list and applicable_range.department_list cannot both be empty',
    );
  }
  const rule = addRule(state.interceptRules, {
    rule_name: checkRuleName(state, input.rule_name as string),
    word_list: checkWords(input.word_list as string[]),
    semantics_list: checkSemantics(input.semantics_list as number[] | undefined),
    intercept_type: checkInterceptType(input.intercept_type),
    applicable_range: range,
    create_time: seconds(context),
  });
  return { rule_id: rule.rule_id };
};

const listInterceptRules: Handler<'listInterceptRules'> = ({ state }) => ({
  rule_list: state.interceptRules.rules.map(({ rule_id, rule_name, create_time }) => ({
    rule_id,
    rule_name,
    create_time,
  })),
});

const getInterceptRule: Handler<'getInterceptRule'> = ({ state, input }) => {
  const rule = requireRule(state, input.rule_id);
  return {
    rule: {
      rule_id: rule.rule_id,
      rule_name: rule.rule_name,
      word_list: [...rule.word_list],
      extra_rule: { semantics_list: [...rule.semantics_list] },
      intercept_type: rule.intercept_type,
      applicable_range: {
        user_list: [...rule.applicable_range.user_list],
        department_list: [...rule.applicable_range.department_list],
      },
      create_time: rule.create_time,
    },
  };
};

const updateInterceptRule: Handler<'updateInterceptRule'> = ({ state, input }) => {
  const rule = requireRule(state, input.rule_id);
  // Check everything before changing anything, so a refused update leaves the rule as it was.
  const name =
    input.rule_name === undefined ? rule.rule_name : checkRuleName(state, input.rule_name as string, rule);
  const words = input.word_list as string[] | undefined;
  const semantics = (input.extra_rule as { semantics_list?: number[] } | undefined)?.semantics_list;
  const update: Omit<InterceptRule, 'rule_id' | 'create_time'> = {
    rule_name: name,
    // An empty word list is ignored, while an empty semantics list clears the semantics.
    word_list: words && words.length > 0 ? checkWords(words) : rule.word_list,
    semantics_list: semantics === undefined ? rule.semantics_list : checkSemantics(semantics),
    intercept_type:
      input.intercept_type === undefined ? rule.intercept_type : checkInterceptType(input.intercept_type),
    applicable_range: mergeRange(
      rule.applicable_range,
      checkRange(state, input.add_applicable_range as RangeInput),
      checkRange(state, input.remove_applicable_range as RangeInput),
    ),
  };
  Object.assign(rule, update);
  return {};
};

const deleteInterceptRule: Handler<'deleteInterceptRule'> = ({ state, input }) => {
  const rule = requireRule(state, input.rule_id);
  const book = state.interceptRules;
  book.rules = book.rules.filter((candidate) => candidate !== rule);
  book.rulesById.delete(String(rule.rule_id));
  book.deleted.add(String(rule.rule_id));
  return {};
};

export const albumsRulesHandlers = {
  addProductAlbum,
  getProductAlbum,
  listProductAlbums,
  updateProductAlbum,
  deleteProductAlbum,
  addInterceptRule,
  listInterceptRules,
  getInterceptRule,
  updateInterceptRule,
  deleteInterceptRule,
} satisfies HandlerTable;
