import { createRule, deleteRule, requireRule, updateRule } from '../domain/intercept-rules';
import { createProduct, deleteProduct, requireProduct, updateProduct } from '../domain/product-album';
import type { Product } from '../state/albums-rules';
import { type Handler, type HandlerTable, seconds } from './context';

function productView({ create_time: _created, ...product }: Product) {
  return {
    ...product,
    attachments: product.attachments.map(({ type, image }) => ({ type, image: { ...image } })),
  };
}

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

export const albumsRulesHandlers = {
  addProductAlbum: (context) => ({
    product_id: createProduct(context.state, context.input, seconds(context)).product_id,
  }),
  getProductAlbum: ({ state, input }) => {
    const product = requireProduct(state, input.product_id);
    return { product: { ...productView(product), create_time: product.create_time } };
  },
  listProductAlbums: (context) =>
    context.page(context.state.albums.products.map(productView), 'product_album'),
  updateProductAlbum: ({ state, input }) => {
    updateProduct(requireProduct(state, input.product_id), input);
    return {};
  },
  deleteProductAlbum: ({ state, input }) => {
    deleteProduct(state, requireProduct(state, input.product_id));
    return {};
  },
  addInterceptRule: (context) => ({
    rule_id: createRule(context.state, context.input, seconds(context)).rule_id,
  }),
  listInterceptRules: ({ state }) => ({
    rule_list: state.interceptRules.rules.map(({ rule_id, rule_name, create_time }) => ({
      rule_id,
      rule_name,
      create_time,
    })),
  }),
  getInterceptRule,
  updateInterceptRule: ({ state, input }) => {
    updateRule(state, requireRule(state, input.rule_id), input);
    return {};
  },
  deleteInterceptRule: ({ state, input }) => {
    deleteRule(state, requireRule(state, input.rule_id));
    return {};
  },
} satisfies HandlerTable;
