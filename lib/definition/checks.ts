/**
 * Field checks shared by the definition's concepts, and the collector that gathers their
 * issues. Each check follows the consumer's own rules: Kubernetes API limits, Go's URL parser,
 * Prometheus durations. Not exported from the package.
 */
import { goUrlError } from '../private/go-url';
import { parseDuration } from '../promql/duration';
import { DefinitionIssue } from './errors';

/** DNS-1123 label: lower-case alphanumerics and '-', starting with a letter. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes label value (at most 63 characters). */
export const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A Prometheus metric name. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** A Secret data key: letters, digits, '-', '_' or '.'. @see https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Longest URL accepted: what browsers and proxies reliably carry. */
export const MAX_URL_LENGTH = 2048;

/** The largest value of a Kubernetes int32 field (replicas, ports, probe timings). */
export const INT32_MAX = 2147483647;

/** Longest DNS-1123 subdomain (Secret names). */
export const MAX_SUBDOMAIN = 253;

/**
 * Characters a Go text or YAML value must not hold: C0 controls but tab and newline, DEL, C1
 * controls, the line and paragraph separators, non-characters and lone surrogates.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Collects issues under a path prefix. */
export class IssueCollector {
  private readonly found: DefinitionIssue[] = [];

  constructor(public readonly root: string) {}

  /** Records a problem at `field` (relative to the root). */
  public add(field: string, problem: string, value: unknown): void {
    const path = field === '' ? this.root : field.startsWith('[') ? `${this.root}${field}` : `${this.root}.${field}`;
    this.found.push({ path, problem, value });
  }

  /** Adds issues found elsewhere as they are. */
  public addAll(issues: readonly DefinitionIssue[]): void {
    this.found.push(...issues);
  }

  public get issues(): readonly DefinitionIssue[] {
    return this.found;
  }

  public get count(): number {
    return this.found.length;
  }
}

/** The message of a DNS-1123 label check. */
export const DNS_LABEL_PROBLEM = 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
/** The message of a Kubernetes label value check. */
export const LABEL_VALUE_PROBLEM = 'must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
/** The message of a Kubernetes label key check. */
export const LABEL_KEY_PROBLEM = 'must be a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."';
/** The library's own label keys, which a definition may not set. */
const RESERVED_LABEL_PREFIXES = ['app.kubernetes.io/', 'kubernetes.io/', 'k8s.io/'];

/** The message of an HTTP URL check. */
export const URL_PROBLEM = 'must be an http:// or https:// URL';
/** The message of a Secret key reference check. */
export const SECRET_REF_PROBLEM = 'must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "."';
/** The message of a Prometheus duration check. */
export const DURATION_PROBLEM = 'must be a Prometheus duration such as 30s, 5m, 1h or 1d';
/** The message of a port check. */
export const PORT_PROBLEM = 'must be an integer from 1 to 65535';
/** The message of an HTTP path check. */
export const PATH_PROBLEM = 'must be an HTTP path starting with "/" and without spaces';

/** The problem with an HTTP(S) URL by Go's `url.Parse` and our own needs, or undefined. */
export function urlProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > MAX_URL_LENGTH) {
    return `must be at most ${MAX_URL_LENGTH} characters long (has ${value.length})`;
  }
  if (typeof value !== 'string' || !/^https?:\/\/[^/?#@\s]*@?[^/?#\s]+([/?#]|$)/.test(value)) {
    return URL_PROBLEM;
  }
  const go = goUrlError(value);
  if (go !== undefined) {
    return `must be a URL that Go's url.Parse accepts: ${go}`;
  }
  return undefined;
}

/** Query parameters that carry credentials. */
const SECRET_QUERY = /[?&](access[-_]?token|api[-_]?key|apikey|auth|key|password|secret|sig|signature|token|code)=/i;

/** Whether a URL carries credentials: a user (and password) before the host, or a token parameter. */
export function hasCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url) || SECRET_QUERY.test(url);
}

/** Field checks on values whose type the shape check has already proven. */
export class Checks {
  constructor(readonly c: IssueCollector) {}

  label(field: string, value: unknown, max = 63): boolean {
    if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
      this.c.add(field, DNS_LABEL_PROBLEM, value);
      return false;
    }
    if (value.length > max) {
      this.c.add(field, `must be at most ${max} characters long (has ${value.length})`, value);
      return false;
    }
    return true;
  }

  port(field: string, value: unknown): boolean {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) {
      this.c.add(field, PORT_PROBLEM, value);
      return false;
    }
    return true;
  }

  /** An integer from `min` to `max`; by default a Kubernetes int32. */
  int(field: string, value: unknown, min: number, max = INT32_MAX): boolean {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      this.c.add(field, `must be an integer from ${min} to ${max}`, value);
      return false;
    }
    return true;
  }

  path(field: string, value: unknown): boolean {
    if (typeof value !== 'string' || !value.startsWith('/') || /[\s\u0000-\u001f\u007f]/.test(value) || value.length > 1024) {
      this.c.add(field, PATH_PROBLEM, value);
      return false;
    }
    return true;
  }

  duration(field: string, value: unknown): number | undefined {
    const seconds = typeof value === 'string' ? parseDuration(value) : undefined;
    if (seconds === undefined) {
      this.c.add(field, DURATION_PROBLEM, value);
    }
    return seconds;
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): boolean {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.c.add(field, `must be one of ${allowed.join(', ')}`, value);
      return false;
    }
    return true;
  }

  url(field: string, value: unknown): boolean {
    const problem = urlProblem(value);
    if (problem !== undefined) {
      this.c.add(field, problem, value);
      return false;
    }
    return true;
  }

  /** A URL written in plain text into outputs: it must carry no credentials. */
  plainUrl(field: string, value: unknown): boolean {
    if (!this.url(field, value)) return false;
    if (hasCredentials(value as string)) {
      this.c.add(field, 'must not carry credentials: a user, password or token in the URL would be written in plain text into every output', '<redacted>');
      return false;
    }
    return true;
  }

  secretRef(field: string, value: unknown): boolean {
    const ref = value as { name?: unknown; key?: unknown } | undefined;
    const ok =
      typeof ref?.name === 'string' &&
      DNS_SUBDOMAIN.test(ref.name) &&
      ref.name.length <= MAX_SUBDOMAIN &&
      typeof ref.key === 'string' &&
      SECRET_KEY.test(ref.key) &&
      // Kubernetes refuses "." and "..", and keys starting with ".." clash with its own files.
      ref.key !== '.' &&
      !ref.key.startsWith('..') &&
      ref.key.length <= MAX_SUBDOMAIN;
    if (!ok) {
      this.c.add(field, SECRET_REF_PROBLEM, value);
    }
    return ok;
  }

  /** A Kubernetes label key, not one the library or Kubernetes sets. */
  labelKey(field: string, key: string): boolean {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    const ok = (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= MAX_SUBDOMAIN)) && LABEL_VALUE.test(name) && name.length <= 63;
    if (!ok) {
      this.c.add(field, LABEL_KEY_PROBLEM, key);
      return false;
    }
    if (RESERVED_LABEL_PREFIXES.some((p) => key.startsWith(p)) || key === 'team') {
      this.c.add(field, 'is a label the library or Kubernetes sets; choose another key', key);
      return false;
    }
    return true;
  }

  /** A Kubernetes label value (may be empty). */
  labelValue(field: string, value: string): boolean {
    if (value !== '' && (!LABEL_VALUE.test(value) || value.length > 63)) {
      this.c.add(field, LABEL_VALUE_PROBLEM, value);
      return false;
    }
    return true;
  }

  /** Free text: no control characters, at most `max` characters. */
  text(field: string, value: unknown, max: number): boolean {
    if (typeof value !== 'string') {
      this.c.add(field, 'must be a string', value);
      return false;
    }
    if (CONTROL_CHARACTERS.test(value)) {
      this.c.add(field, 'must not contain control characters (NUL, escape sequences and the like)', value);
      return false;
    }
    if (value.length > max) {
      this.c.add(field, `must be at most ${max} characters long (has ${value.length})`, value);
      return false;
    }
    return true;
  }
}

/** A Secret key reference's schema and type live with the env concept; the shape is `{ name, key }`. */
export interface SecretKeyRef {
  /** Name of the Secret, a DNS-1123 subdomain. */
  readonly name: string;
  /** Key in the Secret's data. */
  readonly key: string;
}
