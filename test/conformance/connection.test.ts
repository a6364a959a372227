import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

describe('handshake, version, health and harness RPCs (Node SDK)', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    await client.connectPromise;
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('Connect hands out a non-zero identifier that the SDK then sends back', async () => {
    assert.equal(client.connectStatus, 1 /* CONNECT_STATUS.CONNECTED */);
    const identifier = (client as unknown as { metadata: Map<string, string> }).metadata.get('identifier');
    assert.ok(identifier && identifier !== '0', `identifier metadata was ${identifier}`);
  });

  test('GetVersion reports a 2.6 version that the SDK accepts', async () => {
    const response = (await client.getVersion()) as { version: string; status?: { error_code: string } };
    assert.equal(response.status?.error_code, 'Success');
    assert.match(response.version, /^v2\.6\.\d+$/);
  });

  test('CheckHealth reports healthy', async () => {
    const response = await client.checkHealth();
    assert.equal(response.isHealthy, true);
    assert.deepEqual(response.reasons, []);
  });

  test('AllocTimestamp is strictly increasing and in hybrid form (ms << 18)', async () => {
    // The Node SDK has no allocTimestamp(); pymilvus calls this RPC, so call it on a raw channel.
    const channel = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const call = (method: string): Promise<Buffer> =>
      new Promise((resolve, reject) =>
        channel.makeUnaryRequest(
          `/milvus.proto.milvus.MilvusService/${method}`,
          (x: Buffer) => x,
          (x: Buffer) => x,
          Buffer.alloc(0),
          (error, value) => (error ? reject(error) : resolve(value as Buffer)),
        ),
      );
    const decodeTimestamp = (bytes: Buffer): bigint => {
      // AllocTimestampResponse: field 2 (varint). Field 1 (status) is empty on success.
      let offset = 0;
      while (offset < bytes.length) {
        const tag = bytes[offset++]!;
        if (tag === 0x10) {
          let value = 0n;
          let shift = 0n;
          for (;;) {
            const byte = bytes[offset++]!;
            value |= BigInt(byte & 0x7f) << shift;
            shift += 7n;
            if ((byte & 0x80) === 0) return value;
          }
        }
        const length = bytes[offset++]!;
        offset += length;
      }
      throw new Error('no timestamp in response');
    };
    const a = decodeTimestamp(await call('AllocTimestamp'));
    const b = decodeTimestamp(await call('AllocTimestamp'));
    channel.close();
    assert.ok(b > a, `${b} should be greater than ${a}`);
    const physicalMs = Number(a >> 18n);
    assert.ok(Math.abs(physicalMs - Date.now()) < 60_000, `physical part ${physicalMs} is not near now`);
  });

  test('ListResourceGroups, SelectRole and SelectUser answer for test-harness teardown', async () => {
    const groups = await client.listResourceGroups();
    assert.deepEqual(groups.resource_groups, ['__default_resource_group']);
    const roles = await client.listRoles();
    assert.equal(roles.status.error_code, 'Success');
    assert.ok(roles.results.some((r: { role: { name: string } }) => r.role.name === 'admin'));
    const user = await client.describeUser({ username: 'root' });
    assert.equal(user.status.error_code, 'Success');
    assert.equal(user.results[0]?.user?.name, 'root');
  });

  test('an RPC Quiver does not implement answers gRPC UNIMPLEMENTED naming it', async () => {
    const channel = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      channel.makeUnaryRequest(
        '/milvus.proto.milvus.MilvusService/CreateResourceGroup',
        (x: Buffer) => x,
        (x: Buffer) => x,
        Buffer.alloc(0),
        (err) => resolve(err as grpc.ServiceError),
      ),
    );
    channel.close();
    assert.equal(error.code, grpc.status.UNIMPLEMENTED);
    assert.match(error.details, /CreateResourceGroup/);
  });

  test('health and metrics answer on the metrics port', async () => {
    const base = `http://127.0.0.1:${server.metricsPort}`;
    const healthz = await fetch(`${base}/healthz`);
    assert.equal(healthz.status, 200);
    assert.equal(await healthz.text(), 'OK');
    const health = await (await fetch(`${base}/api/v1/health`)).json();
    assert.deepEqual(health, { status: 'ok' });
    const livez = await fetch(`${base}/livez`);
    assert.equal(livez.status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /process_cpu_user_seconds_total/);
    assert.match(metrics, /quiver_rpc_requests_total\{rpc="GetVersion",status="success"\} \d+/);
    assert.match(
      metrics,
      /quiver_rpc_latency_seconds_bucket\{le="[^"]+",rpc="CheckHealth",status="success"\}/,
    );
  });
});
