import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../core/reading.js';
import { durationMs, InfluxOutputOptionsSchema, redactUrl, resolveTarget } from './options.js';

const parse = (input: unknown) => InfluxOutputOptionsSchema.parse(input);

describe('InfluxOutputOptionsSchema', () => {
  it('fills the documented defaults', () => {
    expect(parse({})).toEqual({
      url: 'http://127.0.0.1:8086/airlane',
      batch_size: 5000,
      flush_interval_ms: 1000,
      create_database: true,
      timeout_ms: 10_000,
    });
  });

  it('refuses unknown keys, a non-http scheme, a nested path and a query string', () => {
    expect(InfluxOutputOptionsSchema.safeParse({ batchsize: 10 }).success).toBe(false);
    for (const url of ['udp://h:8089/db', 'http://h:8086/a/b', 'http://h:8086/db?rp=x', 'not a url', 'http://h/bad%20name']) {
      expect(InfluxOutputOptionsSchema.safeParse({ url }).success, url).toBe(false);
    }
  });

  it('never echoes the password in a validation message', () => {
    const r = InfluxOutputOptionsSchema.safeParse({ url: 'http://bob:s3cret@h:8086/a/b' });
    expect(r.success).toBe(false);
    const text = r.success ? '' : describeIssues(r.error);
    expect(text).toContain('url: http://bob:***@h:8086/a/b path must be just the database name');
    expect(text).not.toContain('s3cret');
  });
});

describe('retention_policy option', () => {
  it('fills replication 1 and default true', () => {
    expect(parse({ retention_policy: { name: 'one_year', duration: '52w' } }).retention_policy).toEqual({
      name: 'one_year',
      duration: '52w',
      replication: 1,
      default: true,
    });
  });

  it('accepts InfluxQL durations and INF, refuses others and anything under 1h', () => {
    for (const duration of ['52w', '90d', '1h', '1h30m', '60m', 'INF']) {
      expect(InfluxOutputOptionsSchema.safeParse({ retention_policy: { name: 'r', duration } }).success, duration).toBe(true);
    }
    for (const duration of ['30m', '59m59s', 'inf', '52 w', '1y', '', 'forever', '1.5h', 'INF; DROP DATABASE x']) {
      expect(InfluxOutputOptionsSchema.safeParse({ retention_policy: { name: 'r', duration } }).success, duration).toBe(false);
    }
  });

  it('refuses names that could break out of the InfluxQL quotes', () => {
    expect(InfluxOutputOptionsSchema.safeParse({ retention_policy: { name: 'a" ON x', duration: '1d' } }).success).toBe(false);
  });

  it('durationMs converts the literal', () => {
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('2w')).toBe(1_209_600_000);
    expect(durationMs('INF')).toBe(Infinity);
    expect(durationMs('3y')).toBeUndefined();
  });
});

describe('resolveTarget', () => {
  it('takes the database from the path, airlane otherwise', () => {
    expect(resolveTarget(parse({ url: 'http://127.0.0.1:8086/street' }))).toEqual({
      protocol: 'http',
      host: '127.0.0.1',
      port: 8086,
      database: 'street',
      safeUrl: 'http://127.0.0.1:8086/street',
    });
    expect(resolveTarget(parse({ url: 'http://127.0.0.1:8086' })).database).toBe('airlane');
    expect(resolveTarget(parse({ url: 'http://127.0.0.1:8086/' })).database).toBe('airlane');
  });

  it('reads percent-encoded credentials from the URL and hides the password in safeUrl', () => {
    const t = resolveTarget(parse({ url: 'https://gw%40a:p%3Ass@influx.example.org/aq' }));
    expect(t).toEqual({
      protocol: 'https',
      host: 'influx.example.org',
      port: 443,
      database: 'aq',
      username: 'gw@a',
      password: 'p:ss',
      safeUrl: 'https://gw%40a@influx.example.org/aq',
    });
  });

  it('lets username/password options win over the URL', () => {
    const t = resolveTarget(parse({ url: 'http://a:b@h:8086/db', username: 'writer', password: 'pw' }));
    expect([t.username, t.password, t.safeUrl]).toEqual(['writer', 'pw', 'http://writer@h:8086/db']);
  });

  it('handles IPv6 hosts and the default http port', () => {
    const t = resolveTarget(parse({ url: 'http://[::1]/x' }));
    expect([t.host, t.port, t.database]).toEqual(['::1', 80, 'x']);
  });
});

describe('redactUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(redactUrl('http://u:secret@h:8086/db')).toBe('http://u:***@h:8086/db');
    expect(redactUrl('http://h:8086')).toBe('http://h:8086');
    expect(redactUrl('garbage //u:secret@h')).toBe('garbage //***@h');
  });
});
