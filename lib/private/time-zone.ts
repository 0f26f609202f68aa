/**
 * Time-zone names as Go's `time.LoadLocation` takes them, which is how Prometheus and
 * Alertmanager read the time zone of a time interval, for instance.
 *
 * @see https://pkg.go.dev/time#LoadLocation
 */
import { TIME_ZONES } from './time-zones';

/**
 * Whether Go's `time.LoadLocation(name)` loads `name` from the IANA tz database (the release
 * in {@link TIME_ZONES}, which Go embeds with `time/tzdata` or finds in /usr/share/zoneinfo).
 *
 * The match is exact and case-sensitive (`Europe/Berlin`, not `europe/berlin`), as it is in
 * Go's embedded copy of the database. `UTC` is always accepted. Two names that Go does accept
 * are refused: the empty string (Go reads it as UTC, which is better written out) and `Local`
 * (the zone of whichever machine runs the program). Like Go, names containing `..` or
 * starting with `/` or `\` are refused before any lookup, so no file path can pass.
 *
 * @see https://pkg.go.dev/time#LoadLocation
 */
export function isGoTimeZone(name: unknown): boolean {
  if (typeof name !== 'string') return false;
  if (name === 'UTC') return true;
  if (name === '' || name === 'Local') return false;
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return false;
  return TIME_ZONES.has(name);
}
