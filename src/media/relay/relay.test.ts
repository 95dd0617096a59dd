import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MediaError } from '../errors.js';
import { MediaRelay } from './relay.js';
import { rtpPacket, sleep, TestPhone, testPortRange } from './testing.js';

const LO = '127.0.0.1';

function coded(code: string) {
  return (err: unknown) => err instanceof MediaError && err.code === code;
}

describe('MediaRelay between two phones', () => {
  let relay: MediaRelay;
  let phoneA: TestPhone;
  let phoneB: TestPhone;

  before(async () => {
    relay = await MediaRelay.start({ ...testPortRange(32), relatchAfterMs: 300 });
  });
  after(async () => {
    await relay.shutdown();
  });

  async function bridge(remoteB?: { address: string; port: number }) {
    phoneA = await TestPhone.open();
    phoneB = await TestPhone.open();
    const a = await relay.createEndpoint({ bindAddress: LO });
    const b = await relay.createEndpoint({ bindAddress: LO, near: a.id });
    await relay.setRemote(a.id, { address: LO, port: phoneA.port });
    await relay.setRemote(b.id, remoteB ?? { address: LO, port: phoneB.port });
    await relay.connect(a.id, b.id);
    return { a, b };
  }

  async function hangUp(...ids: string[]) {
    await Promise.all(ids.map((id) => relay.close(id)));
    await phoneA.close();
    await phoneB.close();
  }

  it('carries packets from phone A to phone B unchanged, and back', async () => {
    const { a, b } = await bridge();
    assert.equal(a.port % 2, 0);
    assert.equal(a.rtcpPort, a.port + 1);
    assert.equal(a.address, LO);
    const sentA = [1, 2, 3, 4, 5].map((n) => rtpPacket(n, 0xa));
    const sentB = [7, 8, 9].map((n) => rtpPacket(n, 0xb, 60));
    for (const p of sentA) await phoneA.send(p, a.port);
    for (const p of sentB) await phoneB.send(p, b.port);
    await phoneB.waitFor(5);
    await phoneA.waitFor(3);
    assert.deepEqual(
      phoneB.received.map((r) => r.data),
      sentA,
    );
    assert.deepEqual(
      phoneA.received.map((r) => r.data),
      sentB,
    );
    assert.ok(
      phoneB.received.every((r) => r.port === b.port),
      'B hears us from its own relay port',
    );
    assert.ok(phoneA.received.every((r) => r.port === a.port));
    await hangUp(a.id, b.id);
  });

  it('counts packets and bytes on each side and stamps the last packet', async () => {
    const { a, b } = await bridge();
    const t0 = Date.now();
    for (let n = 0; n < 10; n++) await phoneA.send(rtpPacket(n), a.port);
    await phoneB.waitFor(10);
    const sa = await relay.stats(a.id);
    const sb = await relay.stats(b.id);
    assert.equal(sa.packetsIn, 10);
    assert.equal(sa.bytesIn, 1720);
    assert.equal(sb.packetsOut, 10);
    assert.equal(sb.bytesOut, 1720);
    assert.equal(sa.packetsOut, 0);
    assert.equal(sb.packetsIn, 0);
    assert.equal(sb.lastPacketAt, null);
    assert.ok(sa.lastPacketAt !== null && sa.lastPacketAt >= t0 - 5 && sa.lastPacketAt <= Date.now());
    assert.deepEqual(sa.latched, { address: LO, port: phoneA.port });
    assert.equal(sa.mode, 'relay');
    await hangUp(a.id, b.id);
  });

  it('latches onto the real source when the SDP address was wrong', async () => {
    // B's SDP claims 127.0.0.2:9 (say, a private address behind NAT); B really sends from phoneB.
    const { a, b } = await bridge({ address: '127.0.0.2', port: 9 });
    await phoneB.send(rtpPacket(1), b.port);
    await phoneA.waitFor(1);
    await phoneA.send(rtpPacket(2), a.port);
    await phoneB.waitFor(1);
    assert.deepEqual(phoneB.received[0]!.data, rtpPacket(2));
    assert.deepEqual((await relay.stats(b.id)).latched, { address: LO, port: phoneB.port });
    await hangUp(a.id, b.id);
  });

  it('refuses a hijacker while the latched phone talks, and re-latches after its silence', async () => {
    const { a, b } = await bridge();
    const intruder = await TestPhone.open();
    await phoneA.send(rtpPacket(1), a.port);
    await phoneB.waitFor(1);
    await intruder.send(rtpPacket(666), a.port);
    await phoneA.send(rtpPacket(2), a.port);
    await phoneB.waitFor(2);
    await sleep(20);
    assert.deepEqual(
      phoneB.received.map((r) => r.data.readUInt16BE(2)),
      [1, 2],
    );
    assert.equal((await relay.stats(a.id)).packetsRejected, 1);

    await sleep(350); // relatchAfterMs is 300 in this suite
    await intruder.send(rtpPacket(3), a.port);
    await phoneB.waitFor(3);
    await phoneA.send(rtpPacket(4), a.port);
    await sleep(30);
    assert.equal(phoneB.received.length, 3, 'the old source is now the stranger');
    assert.deepEqual((await relay.stats(a.id)).latched, { address: LO, port: intruder.port });
    await intruder.close();
    await hangUp(a.id, b.id);
  });

  it('relays RTCP between the odd ports', async () => {
    const { a, b } = await bridge();
    // phoneB listens for RTCP on its RTP port + 1 by default: point it at phoneB's socket explicitly.
    await relay.setRemote(b.id, { address: LO, port: phoneB.port, rtcpPort: phoneB.port });
    const report = Buffer.from([0x80, 200, 0, 6, 1, 2, 3, 4]);
    await phoneA.send(report, a.rtcpPort);
    await phoneB.waitFor(1);
    assert.deepEqual(phoneB.received[0]!.data, report);
    assert.equal(phoneB.received[0]!.port, b.rtcpPort);
    const stats = await relay.stats(a.id);
    assert.equal(stats.rtcpPacketsIn, 1);
    assert.equal(stats.packetsIn, 0, 'RTCP is not counted as RTP');
    await hangUp(a.id, b.id);
  });

  it('stops relaying both ways on disconnect and counts the drops', async () => {
    const { a, b } = await bridge();
    await relay.disconnect(a.id);
    await phoneA.send(rtpPacket(1), a.port);
    await phoneB.send(rtpPacket(2), b.port);
    await sleep(50);
    assert.equal(phoneA.received.length + phoneB.received.length, 0);
    assert.equal((await relay.stats(a.id)).packetsDropped, 1);
    assert.equal((await relay.stats(b.id)).mode, 'idle');
    await hangUp(a.id, b.id);
  });
});

describe('MediaRelay echo', () => {
  it('returns each packet to its sender unchanged', async () => {
    const relay = await MediaRelay.start(testPortRange(4));
    const phone = await TestPhone.open();
    const ep = await relay.createEndpoint({ bindAddress: LO, advertisedAddress: '198.51.100.7' });
    assert.equal(ep.address, '198.51.100.7');
    await relay.echo(ep.id);
    const sent = [1, 2, 3].map((n) => rtpPacket(n));
    for (const p of sent) await phone.send(p, ep.port);
    await phone.waitFor(3);
    assert.deepEqual(
      phone.received.map((r) => r.data),
      sent,
    );
    assert.ok(phone.received.every((r) => r.port === ep.port));
    const stats = await relay.stats(ep.id);
    assert.deepEqual([stats.packetsIn, stats.packetsOut, stats.bytesOut, stats.mode], [3, 3, 516, 'echo']);
    await phone.close();
    await relay.shutdown();
  });
});

describe('MediaRelay lifecycle', () => {
  it('runs out of ports with a coded error and frees them on close, idempotently', async () => {
    const relay = await MediaRelay.start(testPortRange(2));
    const one = await relay.createEndpoint({ bindAddress: LO });
    const two = await relay.createEndpoint({ bindAddress: LO });
    await assert.rejects(relay.createEndpoint({ bindAddress: LO }), coded('MEDIA_PORTS_EXHAUSTED'));
    await relay.close(one.id);
    await relay.close(one.id);
    assert.equal(relay.portsAvailable, 1);
    const three = await relay.createEndpoint({ bindAddress: LO });
    assert.equal(three.port, one.port, 'the freed pair is bound again');
    await assert.rejects(relay.stats(one.id), coded('MEDIA_UNKNOWN_ENDPOINT'));
    await relay.closeAll();
    assert.equal(relay.size, 0);
    assert.equal(relay.portsAvailable, 2);
    assert.notEqual(two.port, three.port);
    await relay.shutdown();
  });

  it('rejects bad arguments with MEDIA_INVALID_ARGUMENT', async () => {
    const relay = await MediaRelay.start(testPortRange(2));
    await assert.rejects(relay.createEndpoint({ bindAddress: 'localhost' }), coded('MEDIA_INVALID_ARGUMENT'));
    await assert.rejects(relay.createEndpoint({ bindAddress: '0.0.0.0' }), coded('MEDIA_INVALID_ARGUMENT'));
    const ep = await relay.createEndpoint({ bindAddress: LO });
    await assert.rejects(relay.connect(ep.id, ep.id), coded('MEDIA_INVALID_ARGUMENT'));
    await assert.rejects(
      relay.setRemote(ep.id, { address: LO, port: 70000 }),
      coded('MEDIA_INVALID_ARGUMENT'),
    );
    await assert.rejects(
      relay.setRemote(ep.id, { address: 'phone.example', port: 4000 }),
      coded('MEDIA_INVALID_ARGUMENT'),
    );
    await relay.shutdown();
  });

  it('reports a bind failure on an address that is not local', async () => {
    const relay = await MediaRelay.start(testPortRange(2));
    await assert.rejects(relay.createEndpoint({ bindAddress: '192.0.2.55' }), coded('MEDIA_BIND_FAILED'));
    assert.equal(relay.portsAvailable, 2);
    await relay.shutdown();
  });

  it('skips a port that another process holds', async () => {
    const range = testPortRange(2);
    const blocker = (await import('node:dgram')).createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(range.portMin + 1, LO, () => r()));
    const relay = await MediaRelay.start(range);
    const ep = await relay.createEndpoint({ bindAddress: LO });
    assert.equal(ep.port, range.portMin + 2);
    await relay.shutdown();
    await new Promise<void>((r) => blocker.close(() => r()));
  });

  it('moves an endpoint to its peer’s worker on connect and keeps its counters', async () => {
    const relay = await MediaRelay.start({ ...testPortRange(4), workers: 2 });
    const phoneA = await TestPhone.open();
    const phoneB = await TestPhone.open();
    const a = await relay.createEndpoint({ bindAddress: LO });
    const b = await relay.createEndpoint({ bindAddress: LO }); // least loaded: the other worker
    await relay.setRemote(b.id, { address: LO, port: phoneB.port });
    await relay.echo(b.id);
    await phoneB.send(rtpPacket(1), b.port);
    await phoneB.waitFor(1);
    await relay.setRemote(a.id, { address: LO, port: phoneA.port });
    await relay.connect(a.id, b.id);
    await phoneA.send(rtpPacket(2), a.port);
    await phoneB.waitFor(2);
    await phoneB.send(rtpPacket(3), b.port);
    await phoneA.waitFor(1);
    assert.deepEqual(phoneA.received[0]!.data, rtpPacket(3));
    const sb = await relay.stats(b.id);
    assert.deepEqual([sb.packetsIn, sb.packetsOut], [2, 2]);
    await Promise.all([phoneA.close(), phoneB.close(), relay.shutdown()]);
  });

  it('reports a dead worker once, fails its endpoints with a code and still frees their ports', async () => {
    const failures: Array<{ worker: number; endpoints: readonly string[]; code: string }> = [];
    const relay = await MediaRelay.start({
      ...testPortRange(2),
      onWorkerFailed: (f) => failures.push({ worker: f.worker, endpoints: f.endpoints, code: f.error.code }),
    });
    const ep = await relay.createEndpoint({ bindAddress: LO });
    // Reach in to kill the thread as a crash would.
    const inside = relay as unknown as { channels: Array<{ worker: { terminate(): Promise<number> } }> };
    await inside.channels[0]!.worker.terminate();
    await sleep(20);
    assert.deepEqual(failures, [{ worker: 0, endpoints: [ep.id], code: 'MEDIA_WORKER_FAILED' }]);
    await assert.rejects(relay.stats(ep.id), coded('MEDIA_WORKER_FAILED'));
    await assert.rejects(relay.createEndpoint({ bindAddress: LO }), coded('MEDIA_WORKER_FAILED'));
    await relay.close(ep.id);
    assert.equal(relay.portsAvailable, 2);
    await relay.shutdown();
  });

  it('stops its worker on shutdown, leaving no sockets or threads behind', async () => {
    const handles = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'UDPWRAP' || r === 'MessagePort');
    const baseline = handles().length;
    const relay = await MediaRelay.start({ ...testPortRange(4), workers: 2 });
    const ep = await relay.createEndpoint({ bindAddress: LO });
    await relay.echo(ep.id);
    await Promise.all([relay.shutdown(), relay.shutdown()]);
    await sleep(20);
    assert.equal(handles().length, baseline);
    await assert.rejects(relay.createEndpoint({ bindAddress: LO }), coded('MEDIA_RELAY_CLOSED'));
    await assert.rejects(relay.stats(ep.id), coded('MEDIA_RELAY_CLOSED'));
    await relay.close(ep.id);
  });
});
