import type { ErrcodeClass } from './errcodes';
import { errcodeCatalog } from './generated/errcodes';

/** The full catalog (name, meaning, class per code) for tools and docs; `@wecom-kit/core/errcodes`. */
export { errcodeCatalog };

export interface ErrcodeDescription {
  readonly code: number;
  readonly name: string;
  readonly meaning: string;
  readonly class: ErrcodeClass;
  /** false when the code is not in the catalog (WeCom adds codes at any time). */
  readonly known: boolean;
  /** WeCom's own troubleshooting page for the code. */
  readonly lookupUrl: string;
}

/** The catalog entry of a code, with WeCom's own troubleshooting page. */
export function describeErrcode(code: number): ErrcodeDescription {
  const entry = errcodeCatalog[code];
  const lookupUrl = `https://open.work.weixin.qq.com/devtool/query?e=${code}`;
  if (!entry) {
    return {
      code,
      name: `Unknown errcode ${code}`,
      meaning: `WeCom returned errcode ${code}, which this version of wecom-kit does not know.`,
      class: 'permanent',
      known: false,
      lookupUrl,
    };
  }
  return { code, ...entry, known: true, lookupUrl };
}
