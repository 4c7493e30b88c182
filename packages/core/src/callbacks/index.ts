export {
  CallbackCryptoError,
  type CallbackKey,
  type CallbackSignatureInput,
  type DecryptedCallbackMessage,
  decryptCallbackMessage,
  deriveCallbackKey,
  type EncryptCallbackOptions,
  encryptCallbackMessage,
  signCallback,
  verifyCallbackSignature,
} from './crypto';
export { type CallbackDedupeStore, createMemoryDedupeStore, type MemoryDedupeStoreOptions } from './dedupe';
export {
  type CallbackSenderOptions,
  createCallbackRequest,
  createUrlVerificationRequest,
  type SealedCallback,
  sealCallbackMessage,
} from './deliver';
export * from './events';
export {
  type CallbackDedupeOptions,
  type CallbackDelivery,
  type CallbackHandlerOptions,
  type CallbackHandlers,
  type CallbackRejection,
  type CallbackRejectionReason,
  createCallbackHandler,
} from './handler';
export { buildCallbackXml, type CallbackMessageFields, CallbackXmlError, parseCallbackMessage } from './xml';
