import RefreshCw from 'lucide-solid/icons/refresh-cw';
import TriangleAlert from 'lucide-solid/icons/triangle-alert';
import { createEffect, ErrorBoundary, on, type JSX } from 'solid-js';
import { reportClientError } from '../../api/health';
import { buttonStyles } from './button';

const reported = new Set<string>();

/**
 * Where a render error goes: the browser console, and the server log (`POST /client-errors`, once per part
 * and message in this tab: a Retry that fails the same way is not a second report). Reporting never throws.
 */
export function reportRenderError(where: string, error: unknown): void {
  console.error(`[seen] ${where} failed to render`, error);
  const message = error instanceof Error ? error.message : String(error);
  const key = `${where}\n${message}`;
  if (reported.has(key)) return;
  reported.add(key);
  const stack = error instanceof Error ? error.stack : undefined;
  const body = {
    where: where.slice(0, 120) || 'app',
    message: message.slice(0, 2000),
    stack: stack?.slice(0, 8000),
    path: typeof location === 'undefined' ? undefined : location.pathname.slice(0, 500),
  };
  reportClientError(body);
}

/** Tests: reports start again, as in a new tab. */
export function forgetReportedErrors(): void {
  reported.clear();
}

/**
 * Keeps a render error inside one part of the screen (a page, a dashboard widget): that part says
 * "This part couldn't load." with Retry, the error goes to the log, and the rest keeps working.
 * Retry renders the part again, after `onRetry` (e.g. a refetch) when one is given; so does a change of
 * `resetOn` (a page's path: the next page gets a fresh try).
 */
export function PartBoundary(props: {
  name: string;
  /** Runs before the part renders again; a promise (a refetch) is waited for. */
  onRetry?: () => unknown;
  resetOn?: () => unknown;
  page?: boolean;
  children: JSX.Element;
}) {
  return (
    <ErrorBoundary
      fallback={(error, reset) => {
        reportRenderError(props.name, error);
        if (props.resetOn) createEffect(on(props.resetOn, () => reset(), { defer: true }));
        return (
          <PartFailed
            page={props.page}
            onRetry={async () => {
              try {
                await props.onRetry?.();
              } finally {
                reset();
              }
            }}
          />
        );
      }}
    >
      {props.children}
    </ErrorBoundary>
  );
}

function PartFailed(props: { page?: boolean; onRetry: () => void }) {
  return (
    <div
      role="alert"
      data-testid="part-failed"
      class="flex flex-col items-start gap-4 rounded-2xl border border-dashed border-line-strong bg-surface sm:flex-row sm:items-center"
      classList={{ 'p-6': props.page, 'p-4': !props.page }}
    >
      <span class="grid size-10 shrink-0 place-items-center rounded-xl bg-raised text-warn">
        <TriangleAlert class="size-5" strokeWidth={1.75} />
      </span>
      <div class="min-w-0 flex-1">
        <p class="font-medium text-ink">{props.page ? "This page couldn't load." : "This part couldn't load."}</p>
        <p class="mt-1 text-sm text-ink-muted">
          Something on our side went wrong while showing it{props.page ? '' : '; the rest of the page is fine'}. Try again, or come back
          in a moment.
        </p>
      </div>
      <button type="button" class={buttonStyles.secondary} onClick={() => props.onRetry()}>
        <RefreshCw class="size-4" strokeWidth={1.75} />
        Retry
      </button>
    </div>
  );
}
