export type StatusTone = 'ok' | 'warn' | 'danger' | 'pending';

const toneClass: Record<StatusTone, string> = {
  ok: 'bg-ok',
  warn: 'bg-warn',
  danger: 'bg-danger',
  pending: 'bg-ink-subtle animate-shimmer',
};

/** A coloured dot; always pair it with text, colour alone is not the message. */
export function StatusDot(props: { tone: StatusTone; pulse?: boolean; class?: string }) {
  return (
    <span
      aria-hidden="true"
      data-tone={props.tone}
      class={`relative inline-flex size-2.5 shrink-0 ${props.class ?? ''}`}
    >
      {props.pulse && (
        <span class={`absolute inset-0 animate-ping rounded-full opacity-40 ${toneClass[props.tone]}`} />
      )}
      <span class={`relative inline-flex size-full rounded-full ${toneClass[props.tone]}`} />
    </span>
  );
}
