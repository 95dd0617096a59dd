import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindSocket } from './worker-host.js';
import { eventually, TestPhone } from './testing.js';

describe('relay sockets', () => {
  it('hand each datagram to the kernel inside send(), so a reused buffer goes out as it was', async () => {
    const phone = await TestPhone.open();
    const socket = await bindSocket('127.0.0.1', 0);
    const buf = Buffer.alloc(4);
    for (let i = 0; i < 5; i++) {
      buf.writeUInt32BE(i);
      socket.send(buf, phone.port, '127.0.0.1');
    }
    await eventually(() => phone.received.length === 5, 2000, 'five datagrams');
    assert.deepEqual(
      phone.received.map((r) => r.data.readUInt32BE(0)),
      [0, 1, 2, 3, 4],
    );
    await new Promise<void>((r) => socket.close(() => r()));
    await phone.close();
  });
});
