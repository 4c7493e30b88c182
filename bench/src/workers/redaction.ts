// What redact() costs on a proxied answer when the process holds the secrets and tokens of many
// corps: the proxy redacts every body it returns, and each client registers its secret and tokens.
import { redact, registerSensitiveValue } from '@wecom-kit/core';
import { reportResult, workerInput } from '../lib/processes';
import { median } from '../lib/stats';

interface Input {
  corps: number;
  runs: number;
}

export interface RedactionResult {
  valuesRegistered: number;
  textKB: number;
  medianMs: number;
}

const { corps, runs } = workerInput<Input>();
for (let corp = 0; corp < corps; corp += 1) {
  registerSensitiveValue(`secret-${corp.toString(36)}-Qm7Rt2Xy9Kp4Wz8Nc3Vb6Hd1`);
  registerSensitiveValue(`token-${corp.toString(36)}-${'x'.repeat(40)}`, {
    expiresAt: Date.now() + 7_200_000,
  });
}
// A page of customers, about 100 KB, as a proxy sends it to the browser.
const customers = Array.from({ length: 400 }, (_, index) => ({
  external_userid: `wmBench${index.toString().padStart(8, '0')}AAAAAAAAAAAAAAAAAAAA`,
  name: `Customer ${index}`,
  follow_info: {
    userid: `member${index % 40}`,
    remark: 'met at the fair',
    tag_id: ['etTag0001', 'etTag0002'],
  },
}));
const text = JSON.stringify({ errcode: 0, errmsg: 'ok', external_contact_list: customers });
const timings: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const started = performance.now();
  redact(text);
  timings.push(performance.now() - started);
}
reportResult({
  valuesRegistered: corps * 2,
  textKB: Math.round(text.length / 1024),
  medianMs: median(timings),
} satisfies RedactionResult);
