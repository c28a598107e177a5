import { Index } from 'solid-js';

/** Placeholder shapes while data loads; hidden from screen readers, which hear the status line. */
export function Skeleton(props: { class: string }) {
  return <div aria-hidden="true" class={`animate-shimmer rounded-lg bg-raised ${props.class}`} />;
}

export function LoadingLabel(props: { label: string }) {
  return (
    <p role="status" class="sr-only">
      {props.label}
    </p>
  );
}

export function PosterSkeleton() {
  return (
    <div aria-hidden="true" class="w-full">
      <div class="aspect-[2/3] w-full animate-shimmer rounded-xl bg-raised" />
      <div class="mt-3 h-3.5 w-4/5 animate-shimmer rounded bg-raised" />
      <div class="mt-2 h-3 w-1/3 animate-shimmer rounded bg-raised" />
    </div>
  );
}

export function GridSkeleton(props: { count?: number; label?: string }) {
  return (
    <>
      <LoadingLabel label={props.label ?? 'Loading titles…'} />
      <div class="grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-5 xl:grid-cols-6">
        <Index each={Array.from({ length: props.count ?? 12 })}>{() => <PosterSkeleton />}</Index>
      </div>
    </>
  );
}

export function RowSkeleton(props: { label?: string }) {
  return (
    <div>
      <LoadingLabel label={props.label ?? 'Loading…'} />
      <Skeleton class="mb-5 h-5 w-44" />
      <div class="flex gap-4 overflow-hidden">
        <Index each={Array.from({ length: 8 })}>{() => <div class="w-36 shrink-0 sm:w-40 lg:w-44"><PosterSkeleton /></div>}</Index>
      </div>
    </div>
  );
}

export function ListSkeleton(props: { rows?: number; label?: string }) {
  return (
    <>
      <LoadingLabel label={props.label ?? 'Loading…'} />
      <ul aria-hidden="true" class="flex flex-col gap-3">
        <Index each={Array.from({ length: props.rows ?? 5 })}>
          {() => (
            <li class="flex items-center gap-4 rounded-2xl border border-line bg-surface p-3">
              <div class="h-16 w-11 animate-shimmer rounded-md bg-raised" />
              <div class="flex-1 space-y-2">
                <div class="h-3.5 w-1/3 animate-shimmer rounded bg-raised" />
                <div class="h-3 w-1/5 animate-shimmer rounded bg-raised" />
              </div>
            </li>
          )}
        </Index>
      </ul>
    </>
  );
}
