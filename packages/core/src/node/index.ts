// What only runs on Node: kept out of the root entry, which stays safe to bundle for browsers.
export { nodeHttpSend } from './http-send';
