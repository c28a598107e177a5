import { afterEach, describe, expect, it } from 'vitest';
import { actionForKey, isTypingTarget, stepPosition, stepVolume } from './shortcuts';

const key = (k: string, target: EventTarget | null = document.body, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

function element<T extends HTMLElement>(html: string): T {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  return host.firstElementChild as T;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('player shortcuts', () => {
  it('maps the documented keys', () => {
    expect(actionForKey(key(' '))).toBe('toggle-play');
    expect(actionForKey(key('ArrowLeft'))).toBe('seek-back');
    expect(actionForKey(key('ArrowRight'))).toBe('seek-forward');
    expect(actionForKey(key('ArrowUp'))).toBe('volume-up');
    expect(actionForKey(key('ArrowDown'))).toBe('volume-down');
    expect(actionForKey(key('g'))).toBe('subtitles-earlier'); // VLC's subtitle delay keys
    expect(actionForKey(key('H'))).toBe('subtitles-later');
    expect(actionForKey(key('f'))).toBe('fullscreen');
    expect(actionForKey(key('t'))).toBe('theater');
    expect(actionForKey(key('m'))).toBe('mute');
    expect(actionForKey(key('c'))).toBe('captions');
    expect(actionForKey(key('F'))).toBe('fullscreen'); // caps lock / shift
    expect(actionForKey(key('x'))).toBeUndefined();
  });

  it('leaves browser shortcuts alone', () => {
    expect(actionForKey(key('f', document.body, { ctrlKey: true }))).toBeUndefined();
    expect(actionForKey(key('t', document.body, { metaKey: true }))).toBeUndefined();
  });

  it('does not fire while typing in a field', () => {
    const search = element<HTMLInputElement>('<input type="search">');
    const area = element<HTMLTextAreaElement>('<textarea></textarea>');
    const editable = element<HTMLDivElement>('<div contenteditable="true"><span>x</span></div>');
    const combo = element<HTMLDivElement>('<div role="combobox"></div>');
    for (const target of [search, area, editable.firstElementChild, combo]) {
      expect(actionForKey(key('f', target))).toBeUndefined();
      expect(actionForKey(key(' ', target))).toBeUndefined();
    }
    expect(isTypingTarget(element('<input type="checkbox">'))).toBe(false);
  });

  it('lets a focused button take space itself, but not the letter keys', () => {
    const button = element<HTMLButtonElement>('<button>Theater mode</button>');
    expect(actionForKey(key(' ', button))).toBeUndefined();
    expect(actionForKey(key('m', button))).toBe('mute');
  });

  it('lets a slider keep its arrows', () => {
    const slider = element<HTMLInputElement>('<input type="range" aria-label="Seek">');
    expect(actionForKey(key('ArrowLeft', slider))).toBeUndefined();
    expect(actionForKey(key('f', slider))).toBe('fullscreen');
  });

  it('steps volume and position within bounds', () => {
    expect(stepVolume(0.2, 1)).toBe(0.3);
    expect(stepVolume(0.95, 1)).toBe(1);
    expect(stepVolume(0.05, -1)).toBe(0);
    expect(stepPosition(5, -1, 100)).toBe(0);
    expect(stepPosition(95, 1, 100)).toBe(100);
    expect(stepPosition(50, 1, Number.NaN)).toBe(60);
  });
});
