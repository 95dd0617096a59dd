import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQueueLogLine, queueLog } from './queue-log.js';

const T = 1_366_720_340_250;
const call = { time: T, callId: '1366720340.303267', queue: 'sales' };

describe('queue log lines', () => {
  it('writes ENTERQUEUE as url|callerid|position with the time in whole seconds', () => {
    assert.equal(
      formatQueueLogLine(queueLog.enterQueue({ ...call, callerId: '13800138000', position: 3 })),
      '1366720340|1366720340.303267|sales|NONE|ENTERQUEUE||13800138000|3',
    );
  });

  it('writes CONNECT as holdtime|bridged call id|ringtime in seconds', () => {
    const line = formatQueueLogLine(
      queueLog.connect({ ...call, agent: '1001', holdMs: 12_400, bridgedCallId: 'leg-77', ringMs: 3_600 }),
    );
    assert.equal(line, '1366720340|1366720340.303267|sales|1001|CONNECT|12|leg-77|4');
  });

  it('writes the end of a call as holdtime|calltime|origposition', () => {
    const e = { ...call, agent: '1001', holdMs: 12_000, talkMs: 95_000, origPosition: 2 };
    assert.match(formatQueueLogLine(queueLog.completeCaller(e)), /\|COMPLETECALLER\|12\|95\|2$/);
    assert.match(formatQueueLogLine(queueLog.completeAgent(e)), /\|COMPLETEAGENT\|12\|95\|2$/);
  });

  it('writes the ways out of a queue with positions and wait time', () => {
    const e = { ...call, position: 1, origPosition: 4, waitMs: 61_000 };
    assert.match(formatQueueLogLine(queueLog.abandon(e)), /\|NONE\|ABANDON\|1\|4\|61$/);
    assert.match(formatQueueLogLine(queueLog.exitWithTimeout(e)), /\|EXITWITHTIMEOUT\|1\|4\|61$/);
    assert.match(formatQueueLogLine(queueLog.exitEmpty(e)), /\|EXITEMPTY\|1\|4\|61$/);
    assert.match(formatQueueLogLine(queueLog.exitWithKey({ ...e, key: '0' })), /\|EXITWITHKEY\|0\|1\|4\|61$/);
  });

  it('writes RINGNOANSWER in milliseconds, unlike every other time', () => {
    assert.match(
      formatQueueLogLine(queueLog.ringNoAnswer({ ...call, agent: '1002', ringMs: 15_000 })),
      /\|1002\|RINGNOANSWER\|15000$/,
    );
  });

  it('writes TRANSFER as extension|context|holdtime|calltime|origposition', () => {
    const e = {
      ...call,
      agent: '1001',
      extension: '2001',
      context: 'hotline',
      holdMs: 5_000,
      talkMs: 30_000,
      origPosition: 1,
    };
    assert.match(formatQueueLogLine(queueLog.transfer(e)), /\|TRANSFER\|2001\|hotline\|5\|30\|1$/);
  });

  it('writes member events with NONE as the call id', () => {
    const m = { time: T, queue: 'sales', agent: '1001' };
    assert.equal(
      formatQueueLogLine(queueLog.addMember({ ...m, paused: true })),
      '1366720340|NONE|sales|1001|ADDMEMBER|PAUSED',
    );
    assert.equal(
      formatQueueLogLine(queueLog.agentLogoff({ ...m, device: 'SIP/1001', loggedInMs: 3_600_000 })),
      '1366720340|NONE|sales|1001|AGENTLOGOFF|SIP/1001|3600',
    );
    assert.equal(
      formatQueueLogLine(queueLog.pause({ ...m, reason: 'lunch' })),
      '1366720340|NONE|sales|1001|PAUSE|lunch',
    );
  });

  it('keeps a separator or line break in a field from breaking the line', () => {
    const line = formatQueueLogLine(
      queueLog.enterQueue({ ...call, callerId: 'evil|name\nINJECT', position: 1 }),
    );
    assert.equal(line.split('|').length, 8);
    assert.ok(!line.includes('\n'));
  });
});
