/** Shared button looks, for <button> and router links alike. */
const base =
  'inline-flex items-center justify-center gap-2 rounded-full text-sm font-medium transition-colors duration-200 disabled:cursor-not-allowed disabled:opacity-50';

export const buttonStyles = {
  primary: `${base} h-10 px-5 bg-accent text-on-accent hover:bg-accent/85`,
  secondary: `${base} h-10 px-5 border border-line-strong bg-raised text-ink hover:bg-hover`,
  ghost: `${base} h-9 px-3 text-ink-muted hover:bg-hover hover:text-ink`,
  icon: `${base} size-10 text-ink-muted hover:bg-hover hover:text-ink`,
} as const;
