import type { Plugin } from 'vite';

export function precacheList(bundleFiles: string[], publicFiles: string[]): string[];
export function renderServiceWorker(template: string, paths: string[], fingerprint: string): string;
export function serviceWorker(): Plugin;
