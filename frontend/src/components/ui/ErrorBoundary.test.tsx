import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PartBoundary, reportRenderError } from './ErrorBoundary';

afterEach(() => vi.restoreAllMocks());

function Flaky(props: { fail: () => boolean }) {
  if (props.fail()) throw new Error('card shape changed');
  return <p>Rendered</p>;
}

describe('PartBoundary', () => {
  it('shows a friendly message, logs the error with where it happened, and Retry renders again after onRetry', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail = true;
    const retried = vi.fn(async () => {
      fail = false; // the refetch brought good data
    });
    render(() => (
      <PartBoundary name='dashboard widget "trending"' onRetry={retried}>
        <Flaky fail={() => fail} />
      </PartBoundary>
    ));
    expect(screen.getByRole('alert')).toHaveTextContent("This part couldn't load.");
    expect(logged).toHaveBeenCalledWith('[seen] dashboard widget "trending" failed to render', expect.objectContaining({ message: 'card shape changed' }));

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retried).toHaveBeenCalledOnce();
    expect(await screen.findByText('Rendered')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says "page" for a page, and tries again when resetOn changes (the next path)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const [path, setPath] = createSignal('/app/movies/1');
    render(() => (
      <PartBoundary page name="page" resetOn={path}>
        <Flaky fail={() => path() === '/app/movies/1'} />
      </PartBoundary>
    ));
    expect(screen.getByRole('alert')).toHaveTextContent("This page couldn't load.");
    setPath('/app/movies/2');
    expect(await screen.findByText('Rendered')).toBeInTheDocument();
  });
});

describe('reportRenderError', () => {
  it('sends the error to the server log once per part and message, and never throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const sent: { url: string; method: string; body: unknown }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const request = input as Request;
      sent.push({ url: new URL(request.url).pathname, method: request.method, body: await request.json() });
      return new Response(null, { status: 204 });
    });
    const error = new Error('items is undefined');
    reportRenderError('dashboard widget "people"', error);
    reportRenderError('dashboard widget "people"', error); // a Retry failing the same way
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      url: '/api/v1/client-errors',
      method: 'POST',
      body: { where: 'dashboard widget "people"', message: 'items is undefined', path: expect.any(String) },
    });
    expect((sent[0]?.body as { stack?: string }).stack).toContain('items is undefined');

    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('offline'));
    expect(() => reportRenderError('page', new Error('other'))).not.toThrow();
  });
});
