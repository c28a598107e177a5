import { describe, expect, it } from 'vitest';
import { formatMs, jobStatus, queueLabel, scheduleLabel } from './labels';

describe('admin labels', () => {
  it('reads EventBridge rates as sentences and leaves cron as is', () => {
    expect(scheduleLabel('rate(1 day)')).toBe('Every day');
    expect(scheduleLabel('rate(6 hours)')).toBe('Every 6 hours');
    expect(scheduleLabel('rate(10 minutes)')).toBe('Every 10 minutes');
    expect(scheduleLabel('cron(0 4 * * ? *)')).toBe('cron(0 4 * * ? *)');
    expect(scheduleLabel(null)).toBe('Not scheduled');
  });

  it('formats durations from milliseconds', () => {
    expect(formatMs(820)).toBe('820 ms');
    expect(formatMs(2400)).toBe('2.4 s');
    expect(formatMs(95_000)).toBe('1m 35s');
    expect(formatMs(3_720_000)).toBe('1h 2m');
    expect(formatMs(null)).toBe('—');
  });

  it('names job outcomes, including never-run and unknown ones', () => {
    expect(jobStatus('ok')).toEqual({ label: 'Succeeded', tone: 'ok' });
    expect(jobStatus('failed').tone).toBe('danger');
    expect(jobStatus(null).label).toBe('Never run');
    expect(jobStatus('paused')).toEqual({ label: 'paused', tone: 'warn' });
  });

  it('names queues without the seen- prefix', () => {
    expect(queueLabel('seen-download-commands')).toBe('Download commands');
    expect(queueLabel('seen-worker-events')).toBe('Worker events');
  });
});
