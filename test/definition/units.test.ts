import { parseCpu, parseImage, parseMemory } from '../../lib/definition';
import { parseDuration } from '../../lib/promql/duration';

describe('parseDuration', () => {
  it.each([
    ['5m', 300],
    ['30s', 30],
    ['1h', 3600],
    ['1d', 86400],
    ['1w', 604800],
    ['1y', 31536000],
    ['1h30m', 5400],
    ['1d2h', 93600],
    ['100ms', 0.1],
    ['0h5m', 300],
  ])('parses %s into %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '5', '0s', '0m0s', '1.5h', '5M', '5 m', ' 5m', '5m ', '-5m', '+5m', '5min', 'm', '1h-30m', '30m1h', '1h1h', '5s1m'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('rejects a value that is not a string', () => {
    expect(parseDuration(300 as unknown as string)).toBeUndefined();
  });
});

describe('parseCpu', () => {
  it.each([
    ['250m', 250],
    ['1m', 1],
    ['1', 1000],
    ['2', 2000],
    ['0.5', 500],
    ['1.5', 1500],
    ['0.001', 1],
    ['2000m', 2000],
  ])('parses %s into %d millicores', (text, millis) => {
    expect(parseCpu(text)).toBe(millis);
  });

  it.each(['', '0', '0m', '0.0', '0.0005', '1.2345', '0.5m', '-1', '1e3', '1 ', '1Ki', '500M', 'one', '1.'])('rejects %j', (text) => {
    expect(parseCpu(text)).toBeUndefined();
  });

  it('rejects a number given instead of a string', () => {
    expect(parseCpu(1 as unknown as string)).toBeUndefined();
  });
});

describe('parseMemory', () => {
  it.each([
    ['1Ki', 1],
    ['128Mi', 131072],
    ['512Mi', 524288],
    ['1Gi', 1048576],
    ['2Gi', 2097152],
    ['1Ti', 1073741824],
  ])('parses %s into %d kibibytes', (text, kibibytes) => {
    expect(parseMemory(text)).toBe(kibibytes);
  });

  it.each(['', '0Mi', '512', '512M', '512MB', '1G', '1.5Gi', '512mi', '-1Gi', ' 1Gi', '1Gi ', '1Pi'])('rejects %j', (text) => {
    expect(parseMemory(text)).toBeUndefined();
  });
});

describe('parseImage', () => {
  it('splits a repository and a tag', () => {
    expect(parseImage('registry.example.com/payments/checkout:1.4.2')).toEqual({
      repository: 'registry.example.com/payments/checkout',
      tag: '1.4.2',
    });
  });

  it('reads a bare name as a repository without tag or digest', () => {
    expect(parseImage('nginx')).toEqual({ repository: 'nginx' });
  });

  it('does not take a registry port for a tag', () => {
    expect(parseImage('registry.example.com:5000/payments/checkout')).toEqual({ repository: 'registry.example.com:5000/payments/checkout' });
  });

  it('reads a tag after a registry port', () => {
    expect(parseImage('registry.example.com:5000/payments/checkout:1.0')).toEqual({
      repository: 'registry.example.com:5000/payments/checkout',
      tag: '1.0',
    });
  });

  it('splits a digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImage(`registry.example.com/app@${digest}`)).toEqual({ repository: 'registry.example.com/app', digest });
  });

  it('keeps both a tag and a digest', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(parseImage(`app:1.0@${digest}`)).toEqual({ repository: 'app', tag: '1.0', digest });
  });

  it('keeps everything after the first "@" in the digest, so that trailing text is not silently dropped', () => {
    expect(parseImage('app@sha256:abc@extra').digest).toBe('sha256:abc@extra');
  });

  it('reads an empty tag after a trailing colon', () => {
    expect(parseImage('app:')).toEqual({ repository: 'app', tag: '' });
  });
});
