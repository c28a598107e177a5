import { beforeEach, describe, expect, it } from 'vitest';
import { playback, PLAYBACK_STORAGE_KEY } from './playback';

beforeEach(() => {
  localStorage.clear();
  playback.reload();
});

describe('playback preferences', () => {
  it('hides the app shell only while a player page is open in theater mode', () => {
    playback.setTheater(true);
    expect(playback.shellHidden()).toBe(false); // theater is a preference; no player is on screen
    const leave = playback.enterPlayer();
    expect(playback.shellHidden()).toBe(true);
    playback.setTheater(false);
    expect(playback.shellHidden()).toBe(false);
    playback.setTheater(true);
    leave();
    leave(); // twice is once
    expect(playback.shellHidden()).toBe(false);
    expect(JSON.parse(localStorage.getItem(PLAYBACK_STORAGE_KEY)!)).toMatchObject({ theater: true });
  });

  it('keeps the shell hidden while the next player page mounts before the last one left', () => {
    playback.setTheater(true);
    const first = playback.enterPlayer();
    const second = playback.enterPlayer();
    first();
    expect(playback.shellHidden()).toBe(true);
    second();
    expect(playback.shellHidden()).toBe(false);
  });
});
