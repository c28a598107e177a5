/**
 * The one way the SPA talks to the /seen/ API.
 *
 * Every call goes to the same origin under /api/v1 (the gateway or the Vite dev
 * proxy forwards it). A non-2xx response becomes an `ApiError` built from the
 * API's JSON error envelope, so pages only ever handle one error type.
 *
 * Issue 10 replaces the internals with a client generated from
 * /api/v1/openapi.json (openapi-fetch); keep this surface small so that swap
 * does not ripple through the pages.
 */

export const API_BASE = '/api/v1';

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the request never got a response. */
    readonly status: number,
    /** Machine-readable code from the envelope, e.g. `validation_error`. */
    readonly code: string,
    message: string,
    /** Per-field messages for form errors; empty when the envelope has none. */
    readonly fields: FieldErrors = {},
    /** The parsed JSON body (or raw text) of the failed response. */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Serialised as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fallbackMessage(status: number): string {
  if (status === 401) return 'You need to sign in again.';
  if (status === 403) return "You don't have access to this.";
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests — try again in a moment.';
  if (status >= 500) return 'The server had a problem handling this request.';
  return `Request failed (HTTP ${status}).`;
}

function normaliseFields(raw: unknown): FieldErrors {
  if (!isRecord(raw)) return {};
  const fields: FieldErrors = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.map(String).join(' ');
    else if (value != null) fields[name] = JSON.stringify(value);
  }
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds the typed error for a non-2xx response, whatever its body looks like. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const parsed = text ? parseJson(text) : undefined;
  const body = parsed === undefined ? text || undefined : parsed;
  const envelope = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;

  const code =
    typeof envelope?.code === 'string' && envelope.code ? envelope.code : `http_${response.status}`;
  const message =
    typeof envelope?.message === 'string' && envelope.message
      ? envelope.message
      : fallbackMessage(response.status);
  return new ApiError(response.status, code, message, normaliseFields(envelope?.fields), body);
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', "Can't reach the /seen/ API. Is it running?");
  }

  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  const data = text ? parseJson(text) : undefined;
  if (text && data === undefined) {
    throw new ApiError(response.status, 'invalid_response', 'The API sent a response that is not JSON.', {}, text);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('DELETE', path, options),
};
