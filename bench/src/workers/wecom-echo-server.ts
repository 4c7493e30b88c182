// The smallest server that speaks WeCom for the overhead benchmark: gettoken, then one fixed
// success body for any POST, so that the measured time is the client's and the network stack's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const TOKEN = 'bench-access-token-0123456789abcdef';
const TOKEN_BODY = JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: TOKEN, expires_in: 7200 });
// A get_moment_comments answer of typical size: a few comments and likes.
const COMMENTS_BODY = JSON.stringify({
  errcode: 0,
  errmsg: 'ok',
  comment_list: [
    { external_userid: 'wmEchoCustomer0001', create_time: 1_700_000_100 },
    { userid: 'member0001', create_time: 1_700_000_200 },
  ],
  like_list: [
    { external_userid: 'wmEchoCustomer0002', create_time: 1_700_000_300 },
    { external_userid: 'wmEchoCustomer0003', create_time: 1_700_000_400 },
    { external_userid: 'wmEchoCustomer0004', create_time: 1_700_000_500 },
  ],
});
const REFUSED_BODY = JSON.stringify({ errcode: 40014, errmsg: 'invalid access_token' });

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://echo');
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body = COMMENTS_BODY;
    if (url.pathname === '/cgi-bin/gettoken') body = TOKEN_BODY;
    else if (url.searchParams.get('access_token') !== TOKEN) body = REFUSED_BODY;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => process.exit(0));
