import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse, recordRequests } from '../../test/fakes';
import { createPlaybackReports, reportFallback } from './playbackReports';

function reported() {
  const recorded = recordRequests({ 'POST /api/v1/playback/events': () => new Response(null, { status: 204 }) });
  fakeApi(recorded.routes);
  const bodies = async (count: number) => {
    await vi.waitFor(() => expect(recorded.sent).toHaveLength(count));
    return recorded.sent.map((s) => s.body);
  };
  return bodies;
}

afterEach(() => vi.unstubAllGlobals());

describe('playback reports', () => {
  it('reports the start-up time once, then each stall; waiting before the first frame is start-up', async () => {
    const bodies = reported();
    let clock = 1000;
    const reports = createPlaybackReports(undefined, () => clock);
    reports.waiting();
    clock = 1840.4;
    reports.playing(0);
    reports.playing(3); // after a pause: not another start
    reports.waiting();
    expect(await bodies(2)).toEqual([{ kind: 'first_byte', ms: 840 }, { kind: 'buffer' }]);
  });

  it('says a resume held when the first frame is at the stored position, not when it started over', async () => {
    const bodies = reported();
    createPlaybackReports(600, () => 0).playing(601.5);
    createPlaybackReports(600, () => 0).playing(0);
    expect(await bodies(3)).toEqual([{ kind: 'first_byte', ms: 0 }, { kind: 'resume_ok' }, { kind: 'first_byte', ms: 0 }]);
  });

  it('reports a fallback switch and never throws when the API refuses', async () => {
    const recorded = recordRequests({ 'POST /api/v1/playback/events': () => jsonResponse(429, { error: { code: 'rate_limited', message: 'Slow down' } }) });
    fakeApi(recorded.routes);
    expect(() => reportFallback()).not.toThrow();
    await vi.waitFor(() => expect(recorded.sent).toEqual([{ method: 'POST', path: '/api/v1/playback/events', body: { kind: 'fallback' } }]));
  });
});
