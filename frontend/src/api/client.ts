/**
 * The one way the SPA talks to the /seen/ API.
 *
 * `api` is an openapi-fetch client typed from the generated `schema.d.ts`
 * (`make api-types`), so paths, parameters and bodies are checked against the
 * API's own OpenAPI document. Every request goes through `transport`, which
 *
 * - attaches the access token (kept in memory only, never in storage),
 * - on a 401 refreshes the session ONCE (refresh cookie + `X-CSRF-Token`
 *   echoing the readable `seen_csrf` cookie) and retries the request; 401s that
 *   arrive together share one refresh,
 * - turns an unreachable API into an `ApiError` with status 0.
 *
 * `call()` unwraps a response: the data, or a typed `ApiError` built from the
 * JSON error envelope, which pages show to the user.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'seen_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export type FieldErrors = Record<string, string>;
export type SessionOut = components['schemas']['SessionOut'];

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
    /** Seconds from the `Retry-After` header (429/503), when the server sent one. */
    readonly retryAfter: number | undefined = undefined,
  ) {
    super(message);
  }
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

function retryAfterOf(headers: Headers): number | undefined {
  const raw = headers.get('Retry-After');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The typed error for a failed response whose body was already parsed (JSON) or read (text). */
export function errorFromBody(response: Response, body: unknown): ApiError {
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code = typeof envelope?.code === 'string' && envelope.code ? envelope.code : `http_${response.status}`;
  const message =
    typeof envelope?.message === 'string' && envelope.message ? envelope.message : fallbackMessage(response.status);
  const raw = body === '' ? undefined : body;
  return new ApiError(
    response.status,
    code,
    message,
    normaliseFields(envelope?.fields),
    raw,
    retryAfterOf(response.headers),
  );
}

/** Reads the body of a failed response and builds its ApiError. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy page, plain text): keep the text
  }
  return errorFromBody(response, body);
}

/** Any thrown value as an ApiError, so views handle one type. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SyntaxError) {
    return new ApiError(200, 'invalid_response', 'The API sent a response that is not JSON.');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'unexpected_error', message);
}

export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie) {
  for (const part of cookies.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const REFRESH_ATTEMPTS = 4;
const MAX_REFRESH_WAIT_MS = 30_000;

/** Milliseconds to wait before asking for a refresh again (429/503 with Retry-After), or undefined. */
function retryDelay(response: Response, attempt: number): number | undefined {
  if ((response.status !== 429 && response.status !== 503) || attempt >= REFRESH_ATTEMPTS) return undefined;
  const seconds = Number(response.headers.get('Retry-After'));
  return Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, MAX_REFRESH_WAIT_MS);
}

/** Times a request refused as `too_many_in_flight` is sent again before its 429 surfaces. */
const BUSY_RESENDS = 3;

/**
 * Milliseconds to wait before sending a request again that the API refused before doing anything with it: the
 * account already has as many requests running in that API process as one person may (`too_many_in_flight`,
 * a burst of a page's parallel loads landing on one process, or calls waiting on a slow server). Safe whatever
 * the method: nothing was read or written. Undefined for any other answer.
 */
async function busyDelay(response: Response): Promise<number | undefined> {
  if (response.status !== 429) return undefined;
  const body: unknown = await response.clone().json().catch(() => undefined);
  if (!isRecord(body) || !isRecord(body.error) || body.error.code !== 'too_many_in_flight') return undefined;
  const seconds = Number(response.headers.get('Retry-After'));
  return Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, MAX_REFRESH_WAIT_MS);
}

/** Routes whose 401 means "wrong credentials", not "token expired": never refreshed. */
const NO_REFRESH = ['/auth/login', '/auth/register', '/auth/refresh', '/auth/logout'].map((p) => API_BASE + p);

export interface TransportOptions {
  /** Called once a refresh fails: the session is over (the guard sends the user to /login). */
  onSessionLost?: () => void;
  /** Called with every session the refresh endpoint hands out. */
  onSession?: (session: SessionOut) => void;
}

export interface Transport {
  fetch(request: Request): Promise<Response>;
  /** Rotates the refresh cookie for a new access token; resolves to the session, or undefined. */
  refresh(): Promise<SessionOut | undefined>;
  token(): string | undefined;
  setToken(token: string | undefined): void;
}

export function createTransport(options: TransportOptions = {}): Transport {
  let accessToken: string | undefined;
  let refreshing: Promise<SessionOut | undefined> | undefined;

  const send = async (request: Request): Promise<Response> => {
    try {
      return await globalThis.fetch(request);
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'network_error', "Can't reach the /seen/ API. Is it running?");
    }
  };

  const doRefresh = async (attempt = 1): Promise<SessionOut | undefined> => {
    const csrf = readCookie(CSRF_COOKIE);
    if (!csrf) {
      accessToken = undefined; // no session cookie pair: nothing to refresh
      return undefined;
    }
    const response = await send(
      new Request(new URL(`${API_BASE}/auth/refresh`, origin()), {
        method: 'POST',
        credentials: 'include',
        headers: { Accept: 'application/json', [CSRF_HEADER]: csrf },
      }),
    );
    const wait = retryDelay(response, attempt);
    if (wait !== undefined) {
      // Rate limited (many tabs or reloads at once) or briefly unavailable: the refresh cookie was not
      // spent, so wait and ask again instead of signing the user out.
      await new Promise((resolve) => setTimeout(resolve, wait));
      return doRefresh(attempt + 1);
    }
    if (!response.ok) {
      accessToken = undefined;
      return undefined;
    }
    const session = (await response.json()) as SessionOut;
    accessToken = session.accessToken;
    options.onSession?.(session);
    return session;
  };

  const refresh = () => {
    refreshing ??= doRefresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const withToken = (request: Request, token: string | undefined) => {
    const next = new Request(request);
    if (token) next.headers.set('Authorization', `Bearer ${token}`);
    return next;
  };

  const authorised = async (request: Request): Promise<Response> => {
    const retry = request.clone(); // the body of the first attempt is consumed by sending it
    const sentWith = accessToken;
    const response = await send(withToken(request, sentWith));
    if (response.status !== 401 || NO_REFRESH.some((path) => request.url.endsWith(path))) return response;

    // Another request may already have refreshed while this one was in flight.
    const fresh = accessToken && accessToken !== sentWith ? accessToken : (await refresh())?.accessToken;
    if (!fresh) {
      options.onSessionLost?.();
      return response;
    }
    return send(withToken(retry, fresh));
  };

  return {
    async fetch(request) {
      for (let resends = 0; ; resends += 1) {
        const again = resends < BUSY_RESENDS ? request.clone() : undefined;
        const response = await authorised(request);
        const wait = again ? await busyDelay(response) : undefined;
        if (again === undefined || wait === undefined) return response;
        await new Promise((resolve) => setTimeout(resolve, wait));
        request = again;
      }
    },
    refresh,
    token: () => accessToken,
    setToken(token) {
      accessToken = token;
    },
  };
}

function origin(): string {
  return typeof location !== 'undefined' && location.origin !== 'null' ? location.origin : 'http://localhost';
}

/** Hooks the session store plugs into (the transport is created before the store). */
export const sessionHooks: TransportOptions = {};

export const transport = createTransport({
  onSessionLost: () => sessionHooks.onSessionLost?.(),
  onSession: (session) => sessionHooks.onSession?.(session),
});

export const api = createClient<paths>({
  baseUrl: origin(),
  fetch: (request) => transport.fetch(request),
  headers: { Accept: 'application/json' },
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; throws a typed ApiError for anything else. */
export async function call<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (error) {
    throw toApiError(error);
  }
  if (!result.response.ok) throw errorFromBody(result.response, result.error);
  return result.data as T;
}
