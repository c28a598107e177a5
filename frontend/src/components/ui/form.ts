/** Shared looks for form controls (native elements: accessible and light). */
export const fieldStyles = {
  label: 'mb-1.5 block text-sm font-medium text-ink',
  input:
    'h-11 w-full rounded-xl border border-line bg-surface px-3.5 text-sm text-ink placeholder:text-ink-subtle transition-[border-color,box-shadow] duration-200 hover:border-line-strong focus:border-accent/60 focus:outline-none focus-visible:ring-4 focus-visible:ring-accent/15 aria-[invalid=true]:border-danger/60',
  textarea:
    'w-full rounded-xl border border-line bg-surface px-3.5 py-3 text-sm text-ink placeholder:text-ink-subtle transition-[border-color,box-shadow] duration-200 hover:border-line-strong focus:border-accent/60 focus:outline-none focus-visible:ring-4 focus-visible:ring-accent/15',
  select:
    'h-10 appearance-none rounded-full border border-line bg-surface bg-[length:14px] bg-[right_0.85rem_center] bg-no-repeat pl-4 pr-9 text-sm text-ink transition-colors hover:border-line-strong focus:border-accent/60 focus:outline-none [background-image:url("data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27 viewBox=%270 0 24 24%27 fill=%27none%27 stroke=%27%238a8a8a%27 stroke-width=%272%27 stroke-linecap=%27round%27 stroke-linejoin=%27round%27%3E%3Cpath d=%27m6 9 6 6 6-6%27/%3E%3C/svg%3E")]',
  error: 'mt-1.5 text-sm text-danger',
  hint: 'mt-1.5 text-xs text-ink-subtle',
} as const;

/** A pill that toggles (genre chips, type filters). */
export const chipStyles = (active: boolean) =>
  `inline-flex h-9 shrink-0 items-center gap-2 rounded-full border px-4 text-sm transition-colors duration-200 ${
    active
      ? 'border-accent/50 bg-accent-soft text-ink'
      : 'border-line text-ink-muted hover:border-line-strong hover:text-ink'
  }`;
