/**
 * Writes lib/private/time-zones.ts: every time-zone name of the IANA tz database, the names
 * Go's `time.LoadLocation` loads from its embedded copy of that database.
 *
 * Reads the compact source that Debian's tzdata package installs (by default
 * /usr/share/zoneinfo/tzdata.zi; another path may be given as the first argument). Its first
 * line is `# version 2025b`; a line `Z <name> ...` opens a zone and `L <target> <name>` makes
 * a link (an old or alternative name such as US/Pacific). Both kinds of name load in Go.
 *
 * Run with `npx tsx .ci/gen-time-zones.ts`.
 *
 * @see https://data.iana.org/time-zones/tz-link.html
 * @see https://pkg.go.dev/time#LoadLocation
 */
import * as fs from 'fs';
import * as path from 'path';

/** Where the tzdata package puts the compact source. */
export const TZDATA_ZI = '/usr/share/zoneinfo/tzdata.zi';

/** The version and the sorted zone and link names of a tzdata.zi text. */
export interface TzData {
  readonly version: string;
  readonly names: readonly string[];
}

/** Parses tzdata.zi: the version from its first line, the names from its `Z` and `L` lines. */
export function parseTzdataZi(text: string): TzData {
  const lines = text.split('\n');
  const version = /^# version (\S+)$/.exec(lines[0] ?? '')?.[1];
  if (version === undefined) {
    throw new Error(`tzdata.zi should start with "# version <release>", not ${JSON.stringify(lines[0])}`);
  }
  const names = new Set<string>();
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'Z' && fields.length >= 2) names.add(fields[1]);
    if (fields[0] === 'L' && fields.length >= 3) names.add(fields[2]);
  }
  return { version, names: [...names].sort() };
}

/** The text of lib/private/time-zones.ts for `data`. */
export function renderTimeZones(data: TzData): string {
  return [
    `// Generated from IANA tzdata version ${data.version} by .ci/gen-time-zones.ts. Do not edit.`,
    '',
    '/** The IANA tzdata release that {@link TIME_ZONES} lists. */',
    `export const TZDATA_VERSION = '${data.version}';`,
    '',
    '/** Every zone and link name of that release, as Go\'s `time.LoadLocation` accepts them (case-sensitive). */',
    'export const TIME_ZONES: ReadonlySet<string> = new Set([',
    ...data.names.map((name) => `  '${name}',`),
    ']);',
    '',
  ].join('\n');
}

function main(): void {
  const source = process.argv[2] ?? TZDATA_ZI;
  const data = parseTzdataZi(fs.readFileSync(source, 'utf8'));
  const target = path.join(__dirname, '..', 'lib', 'private', 'time-zones.ts');
  fs.writeFileSync(target, renderTimeZones(data));
  console.log(`${path.relative(process.cwd(), target)}: ${data.names.length} names from tzdata ${data.version}`);
}

if (require.main === module) {
  main();
}
