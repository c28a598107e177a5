import { createMemo, createSignal, Show, type JSX } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';

/**
 * The top of a detail page: the backdrop bleeds to the edges of the content
 * column and fades into the canvas; without artwork, the title's generated
 * colours make a soft abstract backdrop instead.
 */
export function Hero(props: { title: string; backdropUrl?: string | null; children: JSX.Element }) {
  const [failed, setFailed] = createSignal(false);
  const art = createMemo(() => placeholderArt(props.title));
  return (
    <div class="relative -mx-5 -mt-10 mb-10 overflow-hidden sm:-mx-8 lg:-mx-12 lg:-mt-14">
      <div aria-hidden="true" class="absolute inset-0 [mask-image:linear-gradient(to_bottom,black_55%,transparent)]">
        <Show
          when={props.backdropUrl && !failed()}
          fallback={
            <div class="absolute inset-0 overflow-hidden">
              <div class="absolute inset-0 scale-110 opacity-90 blur-2xl" style={{ background: art().background }} />
              <div class="absolute -right-20 -top-32 size-[34rem] rounded-full bg-accent/15 blur-3xl" />
              <div class="absolute bottom-0 right-1/4 size-[26rem] rounded-full bg-secondary/25 blur-3xl" />
            </div>
          }
        >
          <img
            src={props.backdropUrl!}
            alt=""
            onError={() => setFailed(true)}
            class="absolute inset-0 size-full animate-fade-in object-cover object-top"
          />
        </Show>
        <div class="absolute inset-0 bg-linear-to-r from-canvas via-canvas/70 to-canvas/10" />
        <div class="absolute inset-0 bg-linear-to-t from-canvas via-canvas/30 to-transparent" />
      </div>
      <div class="relative px-5 pb-10 pt-14 sm:px-8 sm:pt-20 lg:px-12 lg:pb-12 lg:pt-24">{props.children}</div>
    </div>
  );
}
