import type { LucideIcon } from 'lucide-solid';
import Activity from 'lucide-solid/icons/activity';
import CloudOff from 'lucide-solid/icons/cloud-off';
import Database from 'lucide-solid/icons/database';
import HardDrive from 'lucide-solid/icons/hard-drive';
import Inbox from 'lucide-solid/icons/inbox';
import RefreshCw from 'lucide-solid/icons/refresh-cw';
import Server from 'lucide-solid/icons/server';
import Zap from 'lucide-solid/icons/zap';
import { For, Index, Match, Show, Switch } from 'solid-js';
import type { ApiError } from '../../api/client';
import { useHealth, type HealthComponent, type HealthReport, type HealthStore } from '../../stores/health';
import { buttonStyles } from '../ui/button';
import { StatusDot } from '../ui/StatusDot';

interface ComponentInfo {
  label: string;
  tech: string;
  icon: LucideIcon;
}

/** Known components in the order people think about them; unknown ones follow. */
const KNOWN: Record<string, ComponentInfo> = {
  postgres: { label: 'Database', tech: 'Postgres', icon: Database },
  redis: { label: 'Cache', tech: 'Redis', icon: Zap },
  s3: { label: 'Object storage', tech: 'S3', icon: HardDrive },
  sqs: { label: 'Queues', tech: 'SQS', icon: Inbox },
  dynamodb: { label: 'Telemetry', tech: 'DynamoDB', icon: Activity },
};
const KNOWN_ORDER = Object.keys(KNOWN);

export function orderedComponents(report: HealthReport): [string, HealthComponent][] {
  const rank = (name: string) => {
    const index = KNOWN_ORDER.indexOf(name);
    return index === -1 ? KNOWN_ORDER.length : index;
  };
  return Object.entries(report.components).sort(
    ([a], [b]) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

const infoFor = (name: string): ComponentInfo => KNOWN[name] ?? { label: name, tech: name, icon: Server };

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function ComponentTile(props: { name: string; component: HealthComponent }) {
  const info = () => infoFor(props.name);
  const Icon = info().icon;
  return (
    <li
      data-component={props.name}
      data-ok={String(props.component.ok)}
      class={`flex flex-col gap-4 rounded-2xl border bg-surface p-5 transition-colors duration-200 ${
        props.component.ok ? 'border-line hover:border-line-strong' : 'border-danger/40'
      }`}
    >
      <div class="flex items-center justify-between">
        <span class="grid size-9 place-items-center rounded-xl bg-raised text-ink-muted">
          <Icon class="size-[18px]" strokeWidth={1.75} />
        </span>
        <span class="inline-flex items-center gap-2 text-xs font-medium text-ink-muted">
          <StatusDot tone={props.component.ok ? 'ok' : 'danger'} pulse={!props.component.ok} />
          {props.component.ok ? 'Operational' : 'Down'}
        </span>
      </div>
      <div class="min-w-0">
        <p class="font-medium text-ink">{info().label}</p>
        <p class="text-xs text-ink-subtle">{info().tech}</p>
      </div>
      <Show when={props.component.detail}>
        {(detail) => (
          <p class="line-clamp-2 break-words text-xs leading-relaxed text-ink-muted" title={detail()}>
            {detail()}
          </p>
        )}
      </Show>
    </li>
  );
}

function LoadingTiles() {
  return (
    <>
      <p role="status" class="sr-only">
        Checking services…
      </p>
      <ul aria-busy="true" aria-label="Service components" class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        <Index each={KNOWN_ORDER}>
          {() => (
            <li aria-hidden="true" class="h-[9.5rem] animate-shimmer rounded-2xl border border-line bg-surface" />
          )}
        </Index>
      </ul>
    </>
  );
}

function Unreachable(props: { error: ApiError; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" class="flex flex-col items-start gap-5 rounded-2xl border border-danger/30 bg-surface p-6 sm:flex-row sm:items-center">
      <span class="grid size-11 shrink-0 place-items-center rounded-xl bg-raised text-danger">
        <CloudOff class="size-5" strokeWidth={1.75} />
      </span>
      <div class="min-w-0 flex-1">
        <p class="font-medium text-ink">Can't check on your services</p>
        <p class="mt-1 text-sm text-ink-muted">{props.error.message}</p>
        <p class="mt-1 font-mono text-xs text-ink-subtle">
          {props.error.code}
          {props.error.status ? ` · HTTP ${props.error.status}` : ''}
        </p>
      </div>
      <button type="button" class={buttonStyles.secondary} onClick={() => props.onRetry()} disabled={props.retrying}>
        <RefreshCw class={`size-4 ${props.retrying ? 'animate-spin' : ''}`} strokeWidth={1.75} />
        Try again
      </button>
    </div>
  );
}

export interface ServiceHealthViewProps {
  report: HealthReport | undefined;
  error: ApiError | undefined;
  loading: boolean;
  checkedAt: Date | undefined;
  onRetry: () => void;
}

/** Pure view of the readiness report: loading, error, or one tile per component. */
export function ServiceHealthView(props: ServiceHealthViewProps) {
  const down = () => (props.report ? orderedComponents(props.report).filter(([, c]) => !c.ok).length : 0);
  const total = () => (props.report ? Object.keys(props.report.components).length : 0);

  return (
    <Switch fallback={<LoadingTiles />}>
      <Match when={props.report}>
        {(report) => (
          <div class="flex flex-col gap-4">
            <div class="flex flex-wrap items-center justify-between gap-3">
              <p class="inline-flex items-center gap-2.5 text-sm text-ink-muted" data-testid="health-summary">
                <StatusDot tone={report().status === 'ok' ? 'ok' : 'warn'} />
                {report().status === 'ok'
                  ? 'All services running'
                  : `${down()} of ${total()} services down — the app keeps working where it can`}
              </p>
              <div class="flex items-center gap-2 text-xs text-ink-subtle">
                <Show when={props.checkedAt}>{(at) => <span>Checked {timeFormat.format(at())}</span>}</Show>
                <button
                  type="button"
                  class={buttonStyles.ghost}
                  onClick={() => props.onRetry()}
                  disabled={props.loading}
                  aria-label="Check services again"
                >
                  <RefreshCw class={`size-4 ${props.loading ? 'animate-spin' : ''}`} strokeWidth={1.75} />
                </button>
              </div>
            </div>
            <ul aria-label="Service components" class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
              <For each={orderedComponents(report())}>
                {([name, component]) => <ComponentTile name={name} component={component} />}
              </For>
            </ul>
          </div>
        )}
      </Match>
      <Match when={props.error}>
        {(error) => <Unreachable error={error()} onRetry={props.onRetry} retrying={props.loading} />}
      </Match>
    </Switch>
  );
}

/** The readiness panel wired to the shared health store. */
export function ServiceHealth(props: { store?: HealthStore }) {
  const health = useHealth(props.store);
  return (
    <ServiceHealthView
      report={health.report()}
      error={health.error()}
      loading={health.loading()}
      checkedAt={health.checkedAt()}
      onRetry={() => void health.refresh()}
    />
  );
}
