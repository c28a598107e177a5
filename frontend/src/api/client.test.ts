import { describe, expect, it } from 'vitest';
import { jsonResponse, stubFetch } from '../test/fakes';
import { api, ApiError } from './client';

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('api client', () => {
  it('calls same-origin /api/v1 and returns the parsed JSON', async () => {
    const fetch = stubFetch(() => jsonResponse(200, { items: [], total: 0 }));
    await expect(api.get('/movies?page=2')).resolves.toEqual({ items: [], total: 0 });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/movies?page=2');
    expect(init?.method).toBe('GET');
    expect(init?.body).toBeUndefined();
  });

  it('sends a JSON body with its content type', async () => {
    const fetch = stubFetch(() => jsonResponse(201, { id: 'job-1' }));
    await api.post('/downloads', { sourceType: 'http', source: 'http://example.test/a.mkv' });
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ sourceType: 'http', source: 'http://example.test/a.mkv' });
  });

  it('returns undefined for 204 No Content', async () => {
    stubFetch(() => new Response(null, { status: 204 }));
    await expect(api.delete('/watch-later/42')).resolves.toBeUndefined();
  });

  it('turns the error envelope into an ApiError with code, message and fields', async () => {
    const envelope = {
      error: { code: 'validation_error', message: 'Some fields are invalid.', fields: { email: 'Not an email.', tags: ['Too many.', 'Duplicate.'] } },
    };
    stubFetch(() => jsonResponse(422, envelope));
    const error = await caught(api.post('/auth/register', { email: 'nope' }));
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_error');
    expect(error.message).toBe('Some fields are invalid.');
    expect(error.fields).toEqual({ email: 'Not an email.', tags: 'Too many. Duplicate.' });
    expect(error.body).toEqual(envelope);
  });

  it('handles an envelope without fields', async () => {
    stubFetch(() => jsonResponse(404, { error: { code: 'not_found', message: 'No such movie.' } }));
    const error = await caught(api.get('/movies/999'));
    expect([error.status, error.code, error.message]).toEqual([404, 'not_found', 'No such movie.']);
    expect(error.fields).toEqual({});
  });

  it('survives a non-JSON error body (e.g. a proxy page)', async () => {
    stubFetch(() => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const error = await caught(api.get('/dashboard'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('The server had a problem handling this request.');
    expect(error.fields).toEqual({});
    expect(error.body).toContain('502 Bad Gateway');
  });

  it('treats JSON that is not an envelope like any other failed response', async () => {
    stubFetch(() => jsonResponse(429, { detail: 'slow down' }));
    const error = await caught(api.get('/discover'));
    expect(error.code).toBe('http_429');
    expect(error.message).toMatch(/too many requests/i);
    expect(error.body).toEqual({ detail: 'slow down' });
  });

  it('reports an unreachable API as a network_error with status 0', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await caught(api.get('/health/ready'));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('rejects a 200 whose body is not JSON', async () => {
    stubFetch(() => new Response('<!doctype html><title>/seen/</title>', { status: 200 }));
    const error = await caught(api.get('/movies'));
    expect(error.code).toBe('invalid_response');
  });
});
