import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { type RunningRedis, startRedis } from './redis-server';

const run = promisify(execFile);

export interface RunningCluster {
  readonly ports: readonly number[];
  /** A new cluster client, as each process of a service would have. */
  connect(): Cluster;
  /** The port of the node that serves `key`'s slot. */
  portOf(key: string): Promise<number>;
  /** Stops one node, as a crash would; `restart` brings it back on its port with its cluster identity. */
  stop(port: number): Promise<void>;
  restart(port: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Redis Cluster of three masters on free ports (redis-server --cluster-enabled yes and
 * redis-cli --cluster create). Nodes keep serving their own slots while another is down, and a
 * restarted node rejoins from its nodes.conf.
 */
export async function startRedisCluster(): Promise<RunningCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wecom-kit-cluster-'));
  const argsFor = (index: number) => [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${index}.conf`),
    '--cluster-node-timeout',
    '2000',
    '--cluster-require-full-coverage',
    'no',
    '--dir',
    dir,
  ];
  const nodes: RunningRedis[] = [];
  for (let index = 0; index < 3; index++) nodes.push(await startRedis(undefined, argsFor(index)));
  const ports = nodes.map((node) => node.port);
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  await waitForClusterOk(ports);
  const running = new Map(nodes.map((node, index) => [node.port, { node, index }]));
  const clients = new Set<Cluster>();

  return {
    ports,
    connect() {
      const client = new Cluster(
        ports.map((port) => ({ host: '127.0.0.1', port })),
        { redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 500 }, clusterRetryStrategy: () => 200 },
      );
      client.on('error', () => {});
      clients.add(client);
      return client;
    },
    async portOf(key) {
      const probe = new Redis(ports[0] as number, '127.0.0.1');
      try {
        const slot = (await probe.call('CLUSTER', 'KEYSLOT', key)) as number;
        const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no node serves slot ${slot}`);
        return range[2][1];
      } finally {
        probe.disconnect();
      }
    },
    async stop(port) {
      await running.get(port)?.node.stop();
    },
    async restart(port) {
      const entry = running.get(port);
      if (!entry) throw new Error(`no cluster node on port ${port}`);
      entry.node = await startRedis(port, argsFor(entry.index));
      await waitForClusterOk(ports);
    },
    async close() {
      for (const client of clients) client.disconnect();
      await Promise.all([...running.values()].map(({ node }) => node.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(ports: readonly number[]): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const states = await Promise.all(
      ports.map(async (port) => {
        const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
        try {
          await probe.connect();
          return String(await probe.call('CLUSTER', 'INFO')).includes('cluster_state:ok');
        } catch {
          return false;
        } finally {
          probe.disconnect();
        }
      }),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > until) throw new Error('the Redis cluster did not reach cluster_state:ok in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
