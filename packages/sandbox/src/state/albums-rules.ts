import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';

export interface ProductAttachment {
  type: string;
  image: { media_id: string };
}

export interface Product {
  product_id: string;
  description: string;
  /** Fen (1/100 yuan). */
  price: number;
  create_time: number;
  product_sn?: string;
  attachments: ProductAttachment[];
}

export interface ProductAlbum {
  products: Product[];
  productsById: Map<string, Product>;
  /** Ids of deleted products: WeCom tells them apart from ids that never existed (41074 vs 41075). */
  deleted: Set<string>;
  nextId: number;
}

export interface InterceptRule {
  /** WeCom usually sends a string but some rules come back with a number; kept as issued. */
  rule_id: string | number;
  rule_name: string;
  word_list: string[];
  semantics_list: number[];
  intercept_type: 1 | 2;
  applicable_range: { user_list: string[]; department_list: number[] };
  create_time: number;
}

export interface InterceptRuleBook {
  rules: InterceptRule[];
  /** Keyed by String(rule_id), so a number and its decimal string find the same rule. */
  rulesById: Map<string, InterceptRule>;
  deleted: Set<string>;
  nextId: number;
}

const PRODUCTS = [
  '企业版年度订阅',
  '旗舰版年度订阅',
  '私有化部署套餐',
  '实施服务包',
  '培训课程',
  '硬件终端',
  '续费优惠包',
];
const RULES: [string, string[], number[]][] = [
  ['竞品词', ['某竞品', '友商报价'], []],
  ['违规承诺', ['保本', '稳赚', '无风险'], [3]],
  ['私下交易', ['私下转账', '加我微信'], [1, 2]],
  ['辱骂词', ['骗子', '垃圾'], []],
];

/** A product catalogue that grows with the customer base. */
export function seedProductAlbum(
  random: Random,
  _people: People,
  scale: number,
  nowSeconds: number,
): ProductAlbum {
  const album: ProductAlbum = { products: [], productsById: new Map(), deleted: new Set(), nextId: 1 };
  const count = Math.max(10, Math.min(500, Math.round(scale / 40)));
  for (let index = 0; index < count; index++) {
    addProduct(album, {
      description: `${random.pick(PRODUCTS)} · 第${index + 1}款`,
      price: random.int(1, 5_000) * 100,
      create_time: nowSeconds - random.int(1, 700) * DAY,
      ...(random.chance(0.7) && { product_sn: `SKU${String(index + 1).padStart(6, '0')}` }),
      attachments: Array.from({ length: random.int(1, 4) }, (_, image) => ({
        type: 'image',
        image: { media_id: `MEDIA_product_${index + 1}_${image + 1}` },
      })),
    });
  }
  album.products.sort((a, b) => a.create_time - b.create_time);
  return album;
}

export function addProduct(album: ProductAlbum, fields: Omit<Product, 'product_id'>): Product {
  const product = { product_id: `prod${String(album.nextId++).padStart(8, '0')}SANDBOX`, ...fields };
  album.products.push(product);
  album.productsById.set(product.product_id, product);
  return product;
}

/** A handful of rules; the oldest carries a numeric rule_id, as some WeCom answers do. */
export function seedInterceptRules(
  random: Random,
  people: People,
  _scale: number,
  nowSeconds: number,
): InterceptRuleBook {
  const book: InterceptRuleBook = { rules: [], rulesById: new Map(), deleted: new Set(), nextId: 1 };
  const departments = [...new Set(people.members.flatMap((member) => member.department))];
  for (const [index, [name, words, semantics]] of RULES.entries()) {
    addRule(
      book,
      {
        rule_name: name,
        word_list: words,
        semantics_list: semantics,
        intercept_type: random.chance(0.5) ? 1 : 2,
        applicable_range: {
          user_list: random.sample(people.members, random.int(0, 3)).map((member) => member.userid),
          department_list: random.sample(departments, random.int(1, 2)),
        },
        create_time: nowSeconds - (RULES.length - index) * random.int(20, 60) * DAY,
      },
      index === 0,
    );
  }
  return book;
}

export function addRule(
  book: InterceptRuleBook,
  fields: Omit<InterceptRule, 'rule_id'>,
  numericId = false,
): InterceptRule {
  const serial = book.nextId++;
  const rule = { rule_id: numericId ? serial : `rule${String(serial).padStart(8, '0')}SANDBOX`, ...fields };
  book.rules.push(rule);
  book.rulesById.set(String(rule.rule_id), rule);
  return rule;
}
