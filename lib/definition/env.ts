/**
 * Environment variables of a service: plain values, and values read from Secrets. Anything that
 * looks like a secret must come from a Secret, never from the manifest.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
 */
import { sortedRecord } from '../private/data';
import { CONTROL_CHARACTERS, Checks, SECRET_REF_PROBLEM, SecretKeyRef } from './checks';
import { map, obj, str } from './shape';

export type { SecretKeyRef } from './checks';

/** Names the library sets itself; a definition may not set them. */
export const RESERVED_ENV: readonly string[] = Object.freeze(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME']);

/** Limits that keep a pod spec far below the API server's object size limit. */
export const ENV_LIMITS = Object.freeze({ variables: 200, valueLength: 32768, totalLength: 262144 });

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_PROBLEM = 'must be a name of letters, digits and "_", not starting with a digit';

/** Variable names that say they hold a secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|(^|_)(PASS|PWD)($|_))/i;

/** Values that are secrets whatever the variable is called, with the reason shown to the user. */
const SECRET_VALUES: readonly (readonly [RegExp, string])[] = [
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, 'a URL with a password'],
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/"private_key"\s*:/, 'a service account key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[rs]k_live_[A-Za-z0-9]{16,}\b/, 'a Stripe key'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/hooks\.slack\.com\/services\//i, 'a Slack webhook URL'],
  [/discord(?:app)?\.com\/api\/webhooks\//i, 'a Discord webhook URL'],
  [/(?:^|[\s;&?])(?:password|passwd|pwd)=[^\s;&]+/i, 'a connection string with a password'],
];

/** Why a value looks like a secret, or undefined. */
export function secretValueReason(value: string): string | undefined {
  return SECRET_VALUES.find(([pattern]) => pattern.test(value))?.[1];
}

/** Schema of `env`. */
export const envSchema = map(str('must be a string'));

/** Schema of a Secret key reference. */
export const secretRefSchema = obj({ name: str(SECRET_REF_PROBLEM), key: str(SECRET_REF_PROBLEM) }, SECRET_REF_PROBLEM);

/** Schema of `secretEnv`. */
export const secretEnvSchema = map(secretRefSchema);

/** Checks plain and Secret-backed variables: names, reserved names, secrets in plain text, sizes. */
export function checkEnv(k: Checks, env: Readonly<Record<string, string>> | undefined, secretEnv: Readonly<Record<string, SecretKeyRef>> | undefined): void {
  const entries = Object.entries(env ?? {});
  let total = 0;
  for (const [name, value] of entries) {
    total += name.length + value.length;
    const reason = secretValueReason(value);
    if (!ENV_NAME.test(name)) {
      k.c.add(`env.${name}`, ENV_NAME_PROBLEM, name);
    } else if (RESERVED_ENV.includes(name)) {
      k.c.add(`env.${name}`, 'is set by the library from the definition and the environment; remove it', value);
    } else if (SECRET_NAME.test(name)) {
      k.c.add(`env.${name}`, 'looks like a secret: move it to secretEnv as a Secret reference instead of plain text', '<redacted>');
    } else if (reason !== undefined) {
      k.c.add(`env.${name}`, `holds ${reason}: move it to secretEnv as a Secret reference instead of plain text`, '<redacted>');
    } else if (value.includes('\u0000') || CONTROL_CHARACTERS.test(value)) {
      k.c.add(`env.${name}`, 'must not contain NUL or other control characters (tab and newline are allowed)', value);
    } else if (value.length > ENV_LIMITS.valueLength) {
      k.c.add(`env.${name}`, `must be at most ${ENV_LIMITS.valueLength} characters long (has ${value.length}); mount large values from a ConfigMap`, `<${value.length} characters>`);
    }
  }
  const count = entries.length + Object.keys(secretEnv ?? {}).length;
  if (count > ENV_LIMITS.variables) {
    k.c.add('env', `must hold at most ${ENV_LIMITS.variables} variables with secretEnv (has ${count})`, `<${count} variables>`);
  }
  if (total > ENV_LIMITS.totalLength) {
    k.c.add('env', `must hold at most ${ENV_LIMITS.totalLength} characters in all (has ${total}); mount large values from a ConfigMap`, `<${total} characters>`);
  }
  for (const [name, ref] of Object.entries(secretEnv ?? {})) {
    if (!ENV_NAME.test(name)) {
      k.c.add(`secretEnv.${name}`, ENV_NAME_PROBLEM, name);
    } else if (RESERVED_ENV.includes(name)) {
      k.c.add(`secretEnv.${name}`, 'is set by the library from the definition and the environment; remove it', name);
    } else if (env !== undefined && Object.prototype.hasOwnProperty.call(env, name)) {
      k.c.add(`secretEnv.${name}`, 'is also set in env; keep one', name);
    }
    k.secretRef(`secretEnv.${name}`, ref);
  }
}

/** Sorts variables by name. */
export function normalizeEnv<V>(env: Readonly<Record<string, V>> | undefined): Record<string, V> {
  return sortedRecord(env);
}
