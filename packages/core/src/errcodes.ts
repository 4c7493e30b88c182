import { errcodesByClass } from './generated/errcode-classes';

/** What an errcode means for the caller: retry later, refresh the token, fix the setup, fix the input, or give up. */
export type ErrcodeClass = 'transient' | 'token' | 'config' | 'client' | 'permanent';

// The runtime needs only each code's class; the catalog's prose lives in `@wecom-kit/core/errcodes`,
// out of the browser bundle.
const classByCode = new Map<number, ErrcodeClass>(
  Object.entries(errcodesByClass).flatMap(([errcodeClass, codes]) =>
    codes.map((code): [number, ErrcodeClass] => [code, errcodeClass as ErrcodeClass]),
  ),
);

/** The class of a code; codes the catalog does not know are treated as permanent. */
export function classifyErrcode(code: number): ErrcodeClass {
  return classByCode.get(code) ?? 'permanent';
}

/**
 * Codes that mean "this access token is no longer accepted". 40001 is a configuration error from
 * gettoken, but from a business call it means the token was issued for a secret that has since been
 * reset, which a fresh token fixes.
 */
export function isTokenRejection(code: number): boolean {
  return classifyErrcode(code) === 'token' || code === 40001;
}

/** What the caller should do about an error of each class; appended to error messages. */
export function adviceFor(code: number): string {
  switch (classifyErrcode(code)) {
    case 'transient':
      return 'WeCom asked to slow down or was busy; retry later (the transport already retried where that was safe).';
    case 'token':
      return 'The access token was refused even after fetching a fresh one; check that corpSecret belongs to the app that may call this API.';
    case 'config':
      return "Fix the app's setup in the WeCom admin console (credentials, trusted IPs, API permissions); retrying will not help.";
    case 'client':
      return 'Fix the request: WeCom rejected one of its parameters.';
    default:
      return `Look the code up at https://open.work.weixin.qq.com/devtool/query?e=${code}.`;
  }
}
