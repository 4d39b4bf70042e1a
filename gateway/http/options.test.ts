import { describe, expect, it } from 'vitest';
import { httpOptions, isLoopbackHost } from './options.js';

const TOKEN = '0123456789abcdef0123';

describe('httpOptions', () => {
  it('defaults to loopback port 8080 without a token', () => {
    expect(httpOptions.parse({})).toEqual({ host: '127.0.0.1', port: 8080, public: false, stall_after_s: 600 });
  });

  it('refuses a public API or a non-loopback host without a token, in plain words', () => {
    for (const o of [{ public: true }, { host: '0.0.0.0' }, { host: '::' }, { host: '192.168.1.20' }]) {
      const r = httpOptions.safeParse(o);
      expect(r.success, JSON.stringify(o)).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['token']);
      expect(r.error?.issues[0]?.message).toMatch(/needs a token: set http\.token/);
    }
  });

  it('accepts them with a token', () => {
    expect(httpOptions.parse({ host: '0.0.0.0', public: true, token: TOKEN }).token).toBe(TOKEN);
  });

  it('refuses a short token or one that cannot go in a header, without repeating it', () => {
    for (const token of ['short-token', 'has space in it 0123456', 'line\nbreak0123456789']) {
      const r = httpOptions.safeParse({ token });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain(token);
    }
  });

  it('refuses unknown keys', () => {
    expect(httpOptions.safeParse({ tokn: TOKEN }).success).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['gateway.local', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
