import fc from 'fast-check';
import { goUrlError, httpUrlProblem } from '../../lib/private/go-url';

/**
 * Each expectation is what Go's `url.Parse` returns (the text of `(*url.Error).Err`), traced
 * through src/net/url/url.go; those in the first two tables hold for every Go since 1.19.
 */
const accepted: [string, string][] = [
  ['http://example.com/a%20b', 'a valid escape in the path'],
  ['https://[::1]:9090/x', 'a bracketed IPv6 host with a port'],
  ['http://user:pass@host/', 'a user and password'],
  ['http://host:/path', 'an empty port, which validOptionalPort allows'],
  ['http://a.b/c?q=%zz', 'a bad escape in the query, which Parse keeps raw and does not check'],
  ['http://example.com', 'no path at all'],
  ['HTTPS://Example.COM:443/', 'an upper-case scheme, which Go lower-cases'],
  ['http://[fe80::1%25en0]:8080/', 'an IPv6 zone introduced by %25'],
  ['http://[::ffff:192.0.2.1]/', 'an IPv4-mapped IPv6 address in brackets'],
  ['http://[::1]:/', 'an empty port after a bracketed host'],
  ['http://caf%C3%A9.example/', 'escapes of non-ASCII bytes in the host'],
  ['http://café.example/', 'raw non-ASCII bytes in the host'],
  ['http://host:99999/', 'a port above 65535: Parse checks digits only'],
  ['http://a%25b/', 'a %25 in a host, which unescape lets through'],
  ['http://a<b>/', 'the < and > that a host may hold'],
  ['http://host/#frag%20ment', 'a valid escape in the fragment'],
  ['http://host/#\u0000', 'a control byte after the "#", where Parse does not look for them'],
  ['http://host?', 'an empty query'],
  ['http://a@b@host/', 'an "@" inside the userinfo: the last one ends it'],
  ['http://user:p:w@host/', 'a colon inside the password'],
  ['http:///path', 'an empty host'],
  ['mongodb://h1:1,h2:2/db', 'a list of hosts under a scheme other than http(s)'],
  ['mailto:%zz', 'opaque data, which is not unescaped'],
  ['localhost:8080', 'a scheme "localhost" with opaque data "8080"'],
  ['*', 'the asterisk of OPTIONS requests'],
  ['', 'the empty reference'],
  ['/relative/path?%zz', 'a relative path'],
];

const rejected: [string, string][] = [
  ['http://host/%zz', 'invalid URL escape "%zz"'],
  ['http://host/%4', 'invalid URL escape "%4"'],
  ['http://host/a%', 'invalid URL escape "%"'],
  ['http://host/#%zz', 'invalid URL escape "%zz"'],
  ['http://[::1/', "missing ']' in host"],
  ['http://host:abc/', 'invalid port ":abc" after host'],
  ['http://[::1]x/', 'invalid port "x" after host'],
  ['http://[::1]:8o/', 'invalid port ":8o" after host'],
  ['http://ho st/', 'invalid character " " in host name'],
  ['http://host{/', 'invalid character "{" in host name'],
  ['http://ho%41st/', 'invalid URL escape "%41"'],
  ['http://[fe80::1%en0]/', 'invalid URL escape "%en"'],
  ['http://[fe80::1%25%2F]/', 'invalid URL escape "%2F"'],
  ['http://host/\u0000', 'net/url: invalid control character in URL'],
  ['http://host/\u007f', 'net/url: invalid control character in URL'],
  ['http://host\n/', 'net/url: invalid control character in URL'],
  [':foo', 'missing protocol scheme'],
  ['1http://x', 'first path segment in URL cannot contain colon'],
  ['192.168.0.1:80', 'first path segment in URL cannot contain colon'],
  ['http://user name@host/', 'net/url: invalid userinfo'],
  ['http://é@host/', 'net/url: invalid userinfo'],
  ['http://us%zzer@host/', 'invalid URL escape "%zz"'],
  ['http://a%:b@host/', 'invalid URL escape "%"'],
];

/** Refused by Go's security releases of 2025 and 2026; older Go accepted them. */
const rejectedSinceGo125: [string, string][] = [
  ['http://[1.2.3.4]/', 'invalid IP-literal'],
  ['http://[localhost]/', 'invalid host: ParseAddr("localhost"): unable to parse IP'],
  ['http://[example.com]:80/', 'invalid host: ParseAddr("example.com"): unexpected character (at "example.com")'],
  ['http://[]/', 'invalid host: ParseAddr(""): unable to parse IP'],
  ['http://[fe80::1%25]/', 'invalid host: ParseAddr("fe80::1%"): zone must be a non-empty string'],
  ['http://[::1]]/', 'invalid host: ParseAddr("::1]"): unexpected character, want colon (at "]")'],
  ['http://[1:2:3:4:5:6:7:8:9]/', 'invalid host: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")'],
  ['http://[::1.2.3.256]/', 'invalid host: ParseAddr("::1.2.3.256"): IPv4 field has value >255'],
  ['http://[00001::]/', 'invalid host: ParseAddr("00001::"): each group must have 4 or less digits (at "00001::")'],
  ['http://x[::1]/', 'invalid IP-literal'],
  ['http://::1/', 'invalid port "::1" after host'],
  ['http://host:80:80/', 'invalid port ":80:80" after host'],
];

describe("Go's url.Parse", () => {
  it.each(accepted)('accepts %j (%s)', (text) => {
    expect(goUrlError(text)).toBeUndefined();
  });

  it.each(rejected)('rejects %j with %j', (text, error) => {
    expect(goUrlError(text)).toBe(error);
  });

  it.each(rejectedSinceGo125)('rejects %j with %j as Go 1.26 does', (text, error) => {
    expect(goUrlError(text)).toBe(error);
  });

  it('quotes bytes in its errors as strconv.Quote does', () => {
    expect(goUrlError('http://ho\u00a0st/%é')).toBe('invalid URL escape "%é"');
    expect(goUrlError('http://host/%aé')).toBe('invalid URL escape "%a\\xc3"');
    expect(goUrlError('http://[%C3%A9]/')).toBe('invalid host: ParseAddr("é"): unable to parse IP');
    expect(goUrlError('http://h\\/')).toBe('invalid character "\\\\" in host name');
    expect(goUrlError('http://h"/#%"')).toBe('invalid URL escape "%\\""');
  });

  it('checks the host before the userinfo, as parseAuthority does', () => {
    expect(goUrlError('http://us er@ho st/')).toBe('invalid character " " in host name');
  });

  it('answers for any text without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const error = goUrlError(text);
        return error === undefined || (typeof error === 'string' && error.length > 0);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('an HTTP endpoint URL', () => {
  it.each([
    'http://alertmanager:9093/api/v2/alerts',
    'https://hooks.example.com/services/T000/B000?token=%zz',
    'HTTPS://[2001:db8::1]:8443/',
    'http://user:secret@example.com/',
  ])('accepts %j', (text) => {
    expect(httpUrlProblem(text)).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [42, 'must be a string (got a number)'],
    [null, 'must be a string (got null)'],
    [undefined, 'must be a string (got undefined)'],
    [['http://a/'], 'must be a string (got an array)'],
    ['http://host/%zz', 'must be a URL that Go\'s url.Parse accepts (it fails with: invalid URL escape "%zz")'],
    ['example.com/path', 'must be an absolute URL starting with http:// or https://'],
    ['', 'must be an absolute URL starting with http:// or https://'],
    ['ftp://example.com/', 'must use the http or https scheme, not "ftp"'],
    ['localhost:8080', 'must use the http or https scheme, not "localhost"'],
    ['http:///path', 'must name a host after the scheme, as in https://example.com/'],
    ['http:example.com', 'must name a host after the scheme, as in https://example.com/'],
    ['http://:9093/', 'must name a host after the scheme, as in https://example.com/'],
    ['http://user@/', 'must name a host after the scheme, as in https://example.com/'],
  ])('reports %j as %j', (value, problem) => {
    expect(httpUrlProblem(value)).toBe(problem);
  });
});
