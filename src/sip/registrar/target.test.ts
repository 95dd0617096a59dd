import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contactTarget } from './target.js';
import type { SipUri } from '../message/types.js';

const uri = (host: string, port?: number, params: Record<string, string | null> = {}): SipUri => ({
  scheme: 'sip',
  user: '1002',
  host,
  ...(port !== undefined ? { port } : {}),
  params,
  headers: {},
});

describe('contactTarget', () => {
  it('sends to the Contact port when the Contact names the address the REGISTER came from', () => {
    const t = contactTarget(
      { source: { transport: 'UDP', address: '127.0.0.1', port: 5071 } },
      uri('127.0.0.1', 5072),
    );
    assert.deepEqual(t, { transport: 'UDP', address: '127.0.0.1', port: 5072 });
  });

  it('defaults the Contact port to 5060', () => {
    const t = contactTarget(
      { source: { transport: 'UDP', address: '10.0.0.5', port: 5060 } },
      uri('10.0.0.5'),
    );
    assert.equal(t.port, 5060);
  });

  it('sends to the NAT-mapped source when the Contact holds another (private) address', () => {
    const source = { transport: 'UDP' as const, address: '203.0.113.7', port: 40123 };
    assert.deepEqual(contactTarget({ source }, uri('192.168.1.20', 5060)), source);
  });

  it('sends to the source when the Contact host is a name, not an address', () => {
    const source = { transport: 'UDP' as const, address: '203.0.113.7', port: 40123 };
    assert.deepEqual(contactTarget({ source }, uri('phone.invalid', 5060)), source);
  });

  it('reuses the phone connection over TCP and WebSocket', () => {
    for (const transport of ['TCP', 'WS', 'WSS'] as const) {
      const source = { transport, address: '127.0.0.1', port: 50000, connectionId: 'c:1' };
      assert.deepEqual(contactTarget({ source }, uri('127.0.0.1', 5060, { transport: 'tcp' })), source);
    }
  });
});
