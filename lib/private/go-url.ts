/**
 * Go's `net/url.Parse`, reduced to the one question a configuration check asks: does it fail,
 * and with which error. Prometheus and Alertmanager read every URL of their configuration with
 * it, so a URL this module accepts is one they accept.
 *
 * The code follows `src/net/url/url.go` function by function (`Parse`, `parse`, `getScheme`,
 * `parseAuthority`, `parseHost`, `unescape`, `shouldEscape`, `validUserinfo`,
 * `validOptionalPort`) and `net/netip.ParseAddr` for bracketed hosts, as of Go 1.26 with its
 * security releases: only an IPv6 address may stand in brackets (CVE-2025-47912), brackets must
 * open the host (CVE-2026-25679), and an http or https host has at most one colon
 * (`urlstrictcolons`). Each of those only rejects more, so what passes here passes older Go
 * releases as well.
 *
 * Go's strings are bytes, so the text is first turned into its UTF-8 bytes, held one byte per
 * character in a "binary" string; every index and slice below is a byte index, as in Go.
 *
 * @see https://pkg.go.dev/net/url#Parse
 * @see https://pkg.go.dev/net/netip#ParseAddr
 */

/** A failed parse; `message` is the text of Go's error. */
class GoError extends Error {}

/** Go's `strconv.Quote` of a byte string: UTF-8 runes kept when printable, the rest escaped. */
function quote(bytes: string): string {
  const b = Buffer.from(bytes, 'latin1');
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const width = b[i] >= 0xf0 ? 4 : b[i] >= 0xe0 ? 3 : b[i] >= 0xc0 ? 2 : 1;
    let rune = b[i] < 0x80 ? b[i] : -1;
    if (rune < 0) {
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(i, i + width));
        rune = text.codePointAt(0) ?? -1;
      } catch {
        // Not valid UTF-8: Go writes the byte as \xHH.
      }
    }
    if (rune < 0) {
      out += `\\x${hex(b[i], 2)}`;
      i += 1;
      continue;
    }
    i += rune < 0x80 ? 1 : width;
    const ch = String.fromCodePoint(rune);
    if (named[rune] !== undefined) out += named[rune];
    else if (rune === 0x20 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else if (rune < 0x20 || rune === 0x7f) out += `\\x${hex(rune, 2)}`;
    else out += rune < 0x10000 ? `\\u${hex(rune, 4)}` : `\\U${hex(rune, 8)}`;
  }
  return `${out}"`;
}

type Mode = 'path' | 'host' | 'zone' | 'userinfo' | 'fragment';

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** `shouldEscape(c, encodeHost)` (and `encodeZone`, the same set): false for the bytes a host may hold. */
const isHostByte = (c: string): boolean => /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]$/.test(c);

/**
 * Go's `unescape`: checks that every `%` is followed by two hex digits and, in a host, that
 * escapes stand only for non-ASCII bytes (or `%25`) and every other byte is a host byte.
 */
function unescape(s: string, mode: Mode): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new GoError(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      const three = s.slice(i, i + 3);
      const v = parseInt(three.slice(1), 16);
      // RFC 3986 lets a host %-encode only non-ASCII bytes; RFC 6874 adds %25 for the zone.
      if (mode === 'host' && (v >> 4) < 8 && three !== '%25') throw new GoError(`invalid URL escape ${quote(three)}`);
      // A zone may escape only what it could hold as it is, and a space (Windows names).
      if (mode === 'zone' && three !== '%25' && v !== 0x20 && !isHostByte(String.fromCharCode(v))) {
        throw new GoError(`invalid URL escape ${quote(three)}`);
      }
      out += String.fromCharCode(v);
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && s.charCodeAt(i) < 0x80 && !isHostByte(s[i])) {
        throw new GoError(`invalid character ${quote(s[i])} in host name`);
      }
      out += s[i];
      i += 1;
    }
  }
  return out;
}

/** `validOptionalPort`: empty, or `:` followed by digits only (none is fine too). */
const validOptionalPort = (port: string): boolean => /^(:[0-9]*)?$/.test(port);

/** `netip.parseIPv4Fields` over `s`, a part of `input` (the address the error names). */
function parseIPv4Fields(input: string, s: string): void {
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] >= '0' && s[i] <= '9') {
      if (digits === 1 && val === 0) throw addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + Number(s[i]);
      digits += 1;
      if (val > 255) throw addrError(input, 'IPv4 field has value >255');
    } else if (s[i] === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
        throw addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      }
      if (pos === 3) throw addrError(input, 'IPv4 address too long');
      pos += 1;
      val = 0;
      digits = 0;
    } else {
      throw addrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (pos < 3) throw addrError(input, 'IPv4 address too short');
}

/** `netip.parseIPv6`: colon-separated hex groups, one `::`, an IPv4 tail and a `%zone` allowed. */
function parseIPv6(input: string): void {
  const percent = input.indexOf('%');
  let s = percent < 0 ? input : input.slice(0, percent);
  if (percent >= 0 && percent === input.length - 1) throw addrError(input, 'zone must be a non-empty string');
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length && isHex(s[off]); off++) {
      acc = acc * 16 + parseInt(s[off], 16);
      if (off > 3) throw addrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw addrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw addrError(input, 'each colon-separated field must have at least one digit', s);
    if (s[off] === '.') {
      if (ellipsis < 0 && i !== 12) throw addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) throw addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      parseIPv4Fields(input, s);
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') throw addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw addrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') throw addrError(input, 'trailing garbage after address', s);
  if (i < 16 && ellipsis < 0) throw addrError(input, 'address string too short');
  if (i === 16 && ellipsis >= 0) throw addrError(input, 'the :: must expand to at least one field of zeros');
}

/** `netip.parseAddrError`, wrapped as `parseHost` wraps it. */
function addrError(input: string, msg: string, at = ''): GoError {
  return new GoError(`invalid host: ParseAddr(${quote(input)}): ${msg}${at === '' ? '' : ` (at ${quote(at)})`}`);
}

/** `netip.ParseAddr`: the first `.`, `:` or `%` decides what the text must be. Returns the IP version. */
function parseAddr(s: string): 4 | 6 {
  for (const c of s) {
    if (c === '.') {
      parseIPv4Fields(s, s);
      return 4;
    }
    if (c === ':') {
      parseIPv6(s);
      return 6;
    }
    if (c === '%') throw addrError(s, 'missing IPv6 address');
  }
  throw addrError(s, 'unable to parse IP');
}

/** `parseHost`: `host[:port]` or `[ipv6[%25zone]][:port]`. Returns the unescaped host. */
function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new GoError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${quote(colonPort)} after host`);
    // RFC 6874: %25 starts the zone, which has its own escaping rules.
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf('%25');
    const unescaped = zone < 0 ? unescape(hostname, 'host') : unescape(hostname.slice(0, zone), 'host') + unescape(hostname.slice(zone), 'zone');
    // RFC 3986: only an IPv6 address goes in brackets (an IPv4-mapped one included).
    if (parseAddr(unescaped) === 4) throw new GoError('invalid IP-literal');
    return `[${unescaped}]${colonPort}`;
  }
  let colon = host.indexOf(':');
  if (colon >= 0) {
    // Other schemes (database URLs) may list hosts; http and https have one host and one port.
    if (scheme !== 'http' && scheme !== 'https') colon = host.lastIndexOf(':');
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${quote(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

/** `parseAuthority`: `[userinfo@]host`, the host checked first. */
function parseAuthority(scheme: string, authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, authority.slice(at + 1));
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    // validUserinfo: RFC 3986 unreserved, sub-delims, ':', plus '%' and '@'; no non-ASCII rune.
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new GoError('net/url: invalid userinfo');
    const colon = userinfo.indexOf(':');
    for (const part of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) unescape(part, 'userinfo');
  }
  return host;
}

/** `getScheme`: `[a-zA-Z][a-zA-Z0-9+-.]*` before a colon, else no scheme at all. */
function getScheme(raw: string): [string, string] {
  const match = /^[a-zA-Z][a-zA-Z0-9+\-.]*:/.exec(raw);
  if (match) return [match[0].slice(0, -1), raw.slice(match[0].length)];
  if (raw.startsWith(':')) throw new GoError('missing protocol scheme');
  return ['', raw];
}

/** Go's `url.Parse`, keeping only the scheme and host. Throws a {@link GoError}. */
function parse(text: string): { scheme: string; host: string } {
  const raw = Buffer.from(text, 'utf8').toString('latin1');
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  // parse(u): control bytes are looked for before the '#' only.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(u)) throw new GoError('net/url: invalid control character in URL');
  const url = u === '*' ? { scheme: '', host: '' } : parseReference(u);
  // setFragment: only the escapes of the fragment are checked.
  if (hash >= 0) unescape(raw.slice(hash + 1), 'fragment');
  return url;
}

/** Go's `parse` of the text before any `#` (already free of control bytes and not `*`). */
function parseReference(u: string): { scheme: string; host: string } {
  const [name, afterScheme] = getScheme(u);
  const scheme = name.toLowerCase();
  // The query is kept raw (RawQuery): its escapes are not checked.
  const question = afterScheme.indexOf('?');
  let rest = question < 0 ? afterScheme : afterScheme.slice(0, question);
  let host = '';
  if (!rest.startsWith('/')) {
    // A rootless path after a scheme is opaque data, and is not checked either.
    if (scheme !== '') return { scheme, host };
    if (rest.split('/')[0].includes(':')) throw new GoError('first path segment in URL cannot contain colon');
  }
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    host = parseAuthority(scheme, rest.slice(2, slash < 0 ? undefined : slash));
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  unescape(rest, 'path');
  return { scheme, host };
}

/**
 * The error Go's `url.Parse(text)` returns, or undefined when it parses. The text is that of
 * the wrapped error (`(*url.Error).Err`), e.g. `invalid URL escape "%zz"` or
 * `net/url: invalid control character in URL`; Go itself prints it as `parse "<text>": <error>`.
 *
 * @see https://pkg.go.dev/net/url#Parse
 */
export function goUrlError(text: string): string | undefined {
  try {
    parse(text);
    return undefined;
  } catch (e) {
    if (e instanceof GoError) return e.message;
    throw e;
  }
}

/** The host name of a parsed host, as Go's `URL.Hostname` gives it: no port, no brackets. */
function hostname(host: string): string {
  const colon = host.lastIndexOf(':');
  const name = colon >= 0 && validOptionalPort(host.slice(colon)) ? host.slice(0, colon) : host;
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/**
 * What is wrong with `text` as the URL of an HTTP endpoint, as a phrase that follows a field
 * name ("must be a string (got a number)"), or undefined when it is fine: a string that Go's
 * `url.Parse` accepts, with the http or https scheme (any case, as Go lower-cases it) and a
 * non-empty host name (`http://:9093/` has only a port, so it is refused).
 *
 * @see https://pkg.go.dev/net/url#Parse
 */
export function httpUrlProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') {
    const kind = text === null || text === undefined ? String(text) : Array.isArray(text) ? 'an array' : `a ${typeof text}`;
    return `must be a string (got ${kind})`;
  }
  let url: { scheme: string; host: string };
  try {
    url = parse(text);
  } catch (e) {
    if (e instanceof GoError) return `must be a URL that Go's url.Parse accepts (it fails with: ${e.message})`;
    throw e;
  }
  if (url.scheme === '') return 'must be an absolute URL starting with http:// or https://';
  if (url.scheme !== 'http' && url.scheme !== 'https') return `must use the http or https scheme, not ${JSON.stringify(url.scheme)}`;
  if (hostname(url.host) === '') return 'must name a host after the scheme, as in https://example.com/';
  return undefined;
}
