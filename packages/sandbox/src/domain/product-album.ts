import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import { addProduct, type Product, type ProductAttachment } from '../state/albums-rules';

/* 商品图册: what WeCom accepts as a product, and the changes to the album. */

/** WeCom caps the album (90324) without publishing the number; the sandbox uses this one. */
const MAX_PRODUCTS = 5_000;

/** A product's fields as add_product_album and update_product_album take them. */
export interface ProductFields {
  readonly description?: string;
  readonly price?: number;
  readonly product_sn?: string;
  readonly attachments?: readonly { readonly type: string; readonly image: { readonly media_id: string } }[];
}

export function requireProduct(state: SandboxState, productId: unknown): Product {
  const id = String(productId);
  if (state.albums.deleted.has(id)) throw new ApiError(41074, 'product album item has been deleted');
  const product = state.albums.productsById.get(id);
  if (!product) throw new ApiError(41075, `invalid product_id ${id}`);
  return product;
}

function checkDescription(description: string | undefined): string {
  if (description === undefined || description.trim() === '') {
    throw new ApiError(41087, 'invalid product description');
  }
  return description;
}

function checkProductSn(productSn: string): string {
  // Letters and digits only; the length bound is checked against the spec before the handler runs.
  if (!/^[0-9A-Za-z]*$/.test(productSn)) throw new ApiError(41085, 'invalid product_sn');
  return productSn;
}

function checkAttachments(attachments: ProductFields['attachments']): ProductAttachment[] {
  return (attachments ?? []).map(({ type, image }) => {
    if (type !== 'image') throw new ApiError(41065, `attachment type ${type} is not accepted; only image`);
    if (image.media_id.trim() === '') throw new ApiError(40007, 'invalid media_id');
    return { type, image: { media_id: image.media_id } };
  });
}

export function createProduct(
  state: SandboxState,
  fields: ProductFields & { readonly price: number },
  now: number,
): Product {
  if (state.albums.products.length >= MAX_PRODUCTS) {
    throw new ApiError(90324, 'product count exceeds the limit');
  }
  const productSn = fields.product_sn;
  return addProduct(state.albums, {
    description: checkDescription(fields.description),
    price: fields.price,
    create_time: now,
    ...(productSn !== undefined && productSn !== '' && { product_sn: checkProductSn(productSn) }),
    attachments: checkAttachments(fields.attachments),
  });
}

/** Changes the fields that are sent; a refused update leaves the product as it was. */
export function updateProduct(product: Product, fields: ProductFields): void {
  // Check everything before changing anything.
  const description =
    fields.description === undefined ? product.description : checkDescription(fields.description);
  const productSn = fields.product_sn === undefined ? product.product_sn : checkProductSn(fields.product_sn);
  const attachments =
    fields.attachments === undefined ? product.attachments : checkAttachments(fields.attachments);
  Object.assign(product, { description, attachments, price: fields.price ?? product.price });
  if (productSn) product.product_sn = productSn;
  else delete product.product_sn;
}

/** A deleted product's id stays known, so WeCom can tell it apart from one that never existed. */
export function deleteProduct(state: SandboxState, product: Product): void {
  state.albums.products = state.albums.products.filter((candidate) => candidate !== product);
  state.albums.productsById.delete(product.product_id);
  state.albums.deleted.add(product.product_id);
}
