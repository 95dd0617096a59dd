import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileStamp, messagePath } from './voicemail.js';
import {
  localTime,
  messageHeader,
  messageSummary,
  unavailableGreeting,
  whenReceived,
} from './voicemail-text.js';

const SH = 'Asia/Shanghai';
/** 2023-11-14 10:05 in Shanghai (02:05 UTC). */
const AT = Date.UTC(2023, 10, 14, 2, 5);
const HOUR = 3_600_000;

describe('What voicemail says', () => {
  it('reads the mailbox digit by digit in the greeting, 1 as 幺 in Chinese', () => {
    assert.deepEqual(unavailableGreeting('1001'), {
      'zh-CN': '幺零零幺现在无法接听，请在提示音后留言，按井号键结束。',
      en: 'one zero zero one is not available. Please leave a message after the tone, and press pound when you are done.',
    });
    assert.match(unavailableGreeting('sales').en, /^sales is not available/);
  });

  it('counts new and saved messages, with 两 before the measure word', () => {
    assert.deepEqual(messageSummary(2, 0), { 'zh-CN': '您有两条新留言。', en: 'You have two new messages.' });
    assert.deepEqual(messageSummary(1, 12), {
      'zh-CN': '您有一条新留言，十二条已听留言。',
      en: 'You have one new message and twelve saved messages.',
    });
    assert.deepEqual(messageSummary(0, 0), { 'zh-CN': '您没有留言。', en: 'You have no messages.' });
  });

  it('takes the wall-clock time in the configured zone', () => {
    assert.deepEqual(localTime(AT, SH), { year: 2023, month: 11, day: 14, hour: 10, minute: 5 });
    assert.deepEqual(localTime(AT, 'UTC'), { year: 2023, month: 11, day: 14, hour: 2, minute: 5 });
    assert.equal(localTime(Date.UTC(2023, 10, 14, 16, 0), SH).hour, 0, 'midnight is 0, not 24');
  });

  it('says today, yesterday, or the date (with the year when it is another one)', () => {
    assert.deepEqual(whenReceived(AT, AT + HOUR, SH), {
      'zh-CN': '今天十点零五分',
      en: 'today at ten oh five in the morning',
    });
    assert.deepEqual(whenReceived(AT + 4 * HOUR - 5 * 60_000, AT + 24 * HOUR, SH), {
      'zh-CN': '昨天十四点整',
      en: "yesterday at two o'clock in the afternoon",
    });
    assert.deepEqual(whenReceived(AT + 25 * 60_000, AT + 10 * 24 * HOUR, SH), {
      'zh-CN': '十一月十四日十点三十分',
      en: 'on November fourteen at ten thirty in the morning',
    });
    assert.deepEqual(whenReceived(AT, Date.UTC(2024, 0, 2), SH), {
      'zh-CN': '二零二三年十一月十四日十点零五分',
      en: 'on November fourteen, two thousand and twenty-three at ten oh five in the morning',
    });
    // Shanghai has passed midnight while UTC has not: still "yesterday" there.
    assert.equal(
      whenReceived(Date.UTC(2023, 10, 14, 15, 0), Date.UTC(2023, 10, 14, 16, 30), SH).en.split(' ')[0],
      'yesterday',
    );
  });

  it('announces a message with its number, its caller and when it came', () => {
    assert.deepEqual(messageHeader(3, '+8613800138000', AT, AT, SH), {
      'zh-CN': '第三条留言，来自八六幺三八零零幺三八零零零，今天十点零五分。',
      en: 'Message three, from eight six one three eight zero zero one three eight zero zero zero, received today at ten oh five in the morning.',
    });
    assert.match(messageHeader(1, 'anonymous', AT, AT, SH)['zh-CN'], /来自未知号码/);
  });

  it('names message files by the time they came and the call, in the mailbox folder', () => {
    assert.equal(fileStamp(Date.UTC(2023, 10, 14, 22, 13, 20, 456)), '20231114T221320Z');
    assert.equal(
      messagePath('/data/voicemail', '1001', AT, 'abc'),
      '/data/voicemail/1001/20231114T020500Z-abc.wav',
    );
  });
});
