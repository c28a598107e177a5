import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, type Route } from '../test/fakes';

const job = (overrides: Record<string, unknown> = {}) => ({
  id: '5f0c1c1e-0000-4000-8000-000000000001', sourceType: 'http', source: 'https://cdn.example.com/big-buck-bunny.mkv',
  title: null, status: 'queued', progress: 0, bytesDone: 0, bytesTotal: null, attempt: 1, retryCount: 0,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...overrides,
});

function openDownloads(routes: Record<string, Route>) {
  const posts: unknown[] = [];
  const created: unknown[] = [];
  fakeApi({
    'GET /api/v1/downloads': () => jsonResponse(200, { items: created, nextCursor: null }),
    'POST /api/v1/downloads': async (request) => {
      const body = (await request.json()) as Record<string, unknown>;
      posts.push(body);
      const added = job({ id: `5f0c1c1e-0000-4000-8000-00000000000${posts.length + 1}`, sourceType: body.sourceType, source: body.sourceType === 'torrent' ? null : body.source, title: body.title });
      created.unshift(added);
      return jsonResponse(201, added);
    },
    ...routes,
  });
  window.history.replaceState(null, '', '/app/downloads');
  render(() => <App />);
  return posts;
}

const UPLOAD_FORM = {
  uploadId: '7c1d2e3f-0000-4000-8000-0000000000aa',
  url: 'http://127.0.0.1:4566/seen-media',
  fields: { key: 'torrents/uploads/u/7c1d2e3f.torrent', policy: 'eyJjb25kaXRpb25zIjpbXX0=', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-signature': 'feed' },
  maxBytes: 2 * 1024 * 1024,
  expiresAt: '2026-11-25T09:00:00Z',
};

/** The bucket (another origin): its requests are answered by `answer`, the API's by the fake API. */
function bucket(answer: (url: string, init: RequestInit) => Promise<Response>) {
  const apiFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    typeof input === 'string' && input.startsWith(UPLOAD_FORM.url) ? answer(input, init ?? {}) : apiFetch(input, init),
  );
}

const readText = (file: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(file);
  });

// The first render loads the app and page chunks, which can be slow on a busy machine.
const SLOW = { timeout: 15_000 };

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('downloads page', { timeout: 20_000 }, () => {
  it('adds a direct URL with its title and shows the new job', async () => {
    const user = userEvent.setup();
    const posts = openDownloads({});
    await screen.findByText('No downloads yet', {}, SLOW);
    await user.click(screen.getByRole('tab', { name: /URL/ }));
    await user.type(screen.getByRole('textbox', { name: 'File URL' }), '  https://cdn.example.com/big-buck-bunny.mkv ');
    await user.type(screen.getByRole('textbox', { name: /Title/ }), 'Big Buck Bunny');
    await user.click(screen.getByRole('button', { name: 'Add download' }));

    await waitFor(() =>
      expect(posts).toEqual([{ sourceType: 'http', source: 'https://cdn.example.com/big-buck-bunny.mkv', title: 'Big Buck Bunny' }]),
    );
    const list = await screen.findByRole('list', { name: 'Downloads' });
    expect(within(list).getByText('Big Buck Bunny')).toBeInTheDocument();
    expect(within(list).getByText('Queued')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'File URL' })).toHaveValue('');
  });

  it('sends a magnet as is and uploads a .torrent file to the bucket, then submits its upload id', async () => {
    const user = userEvent.setup();
    const uploads: { url: string; method?: string; entries: [string, string][]; file: string }[] = [];
    const posts = openDownloads({ 'POST /api/v1/downloads/uploads': () => jsonResponse(201, UPLOAD_FORM) });
    bucket(async (url, init) => {
      const form = init.body as FormData;
      const entries = [...form.entries()].map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : `file:${v.name}`]);
      uploads.push({ url, method: init.method, entries, file: await readText(form.get('file') as File) });
      return new Response(null, { status: 204 });
    });
    await screen.findByText('No downloads yet', {}, SLOW);
    const magnet = 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056';
    await user.type(screen.getByRole('textbox', { name: 'Magnet link' }), magnet);
    await user.click(screen.getByRole('button', { name: 'Add download' }));
    await waitFor(() => expect(posts).toHaveLength(1));

    await user.click(screen.getByRole('tab', { name: /torrent/ }));
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, new File(['d4:infoe'], 'ubuntu.torrent', { type: 'application/x-bittorrent' }));
    expect(screen.getByText('ubuntu.torrent')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add download' }));
    await waitFor(() => expect(posts).toHaveLength(2));
    // The form's fields first and the file last, as S3 requires; the file never goes through the API.
    expect(uploads).toEqual([
      { url: UPLOAD_FORM.url, method: 'POST', entries: [...Object.entries(UPLOAD_FORM.fields), ['file', 'file:ubuntu.torrent']], file: 'd4:infoe' },
    ]);
    expect(posts).toEqual([
      { sourceType: 'magnet', source: magnet, title: null },
      { sourceType: 'torrent', torrentUploadId: UPLOAD_FORM.uploadId, title: null },
    ]);
  });

  it('shows why the bucket refused a .torrent and submits no download', async () => {
    const user = userEvent.setup();
    const posts = openDownloads({ 'POST /api/v1/downloads/uploads': () => jsonResponse(201, UPLOAD_FORM) });
    bucket(
      async () =>
        new Response('<?xml version="1.0"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>', {
          status: 400,
          headers: { 'Content-Type': 'application/xml' },
        }),
    );
    await screen.findByText('No downloads yet', {}, SLOW);
    await user.click(screen.getByRole('tab', { name: /torrent/ }));
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, new File(['d4:infoe'], 'big.torrent', { type: 'application/x-bittorrent' }));
    await user.click(screen.getByRole('button', { name: 'Add download' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/A .torrent file may be at most /);
    expect(screen.getByRole('alert')).toHaveTextContent('torrent_too_large');
    expect(posts).toEqual([]);
  });

  it('refuses a .torrent larger than the form allows before uploading it', async () => {
    const user = userEvent.setup();
    const sent: string[] = [];
    const posts = openDownloads({ 'POST /api/v1/downloads/uploads': () => jsonResponse(201, { ...UPLOAD_FORM, maxBytes: 4 }) });
    bucket(async (url) => {
      sent.push(url);
      return new Response(null, { status: 204 });
    });
    await screen.findByText('No downloads yet', {}, SLOW);
    await user.click(screen.getByRole('tab', { name: /torrent/ }));
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, new File(['d4:infoe'], 'big.torrent', { type: 'application/x-bittorrent' }));
    await user.click(screen.getByRole('button', { name: 'Add download' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A .torrent file may be at most 4 B.');
    expect(sent).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('shows the API message when a source is refused', async () => {
    const user = userEvent.setup();
    openDownloads({
      'POST /api/v1/downloads': () =>
        jsonResponse(422, { error: { code: 'url_not_allowed', message: 'That address is not allowed', fields: { source: 'private network address' } } }),
    });
    await screen.findByText('No downloads yet', {}, SLOW);
    await user.click(screen.getByRole('tab', { name: /URL/ }));
    await user.type(screen.getByRole('textbox', { name: 'File URL' }), 'http://10.0.0.1/x.mkv');
    await user.click(screen.getByRole('button', { name: 'Add download' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That address is not allowed (private network address)');
    expect(screen.getByRole('textbox', { name: 'File URL' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows live progress in percent, speed and ETA, and cancels', async () => {
    const user = userEvent.setup();
    const deletes: string[] = [];
    let running = job({ title: 'Night of the Living Dead', status: 'downloading', progress: 42.5, bytesDone: 500e6, bytesTotal: 1.2e9, speedBps: 2.5e6, etaSeconds: 95, live: true }) as ReturnType<typeof job> & { cancelRequested?: boolean };
    openDownloads({
      'GET /api/v1/downloads': () => jsonResponse(200, { items: [running], nextCursor: null }),
      [`DELETE /api/v1/downloads/${running.id}`]: (request) => {
        deletes.push(request.method);
        running = { ...running, cancelRequested: true }; // the worker has not acknowledged yet
        return new Response(null, { status: 204 });
      },
    });
    const card = (await screen.findByText('Night of the Living Dead', {}, SLOW)).closest('li')!;
    const bar = within(card).getByRole('progressbar', { name: 'Night of the Living Dead progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '42.5');
    expect(card).toHaveTextContent('42.5%');
    expect(card).toHaveTextContent('500 MB of 1.2 GB');
    expect(card).toHaveTextContent('↓ 2.5 MB/s');
    expect(card).toHaveTextContent('ETA 1m 35s');

    await user.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(await within(card).findByText('Cancelling…')).toBeInTheDocument();
    await waitFor(() => expect(deletes).toEqual(['DELETE']));
  });
});
