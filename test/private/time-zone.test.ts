import * as fs from 'fs';
import { parseTzdataZi, renderTimeZones, TZDATA_ZI } from '../../.ci/gen-time-zones';
import { isGoTimeZone } from '../../lib/private/time-zone';
import { TIME_ZONES, TZDATA_VERSION } from '../../lib/private/time-zones';

describe("Go's time.LoadLocation", () => {
  it.each([
    ['Europe/Berlin', 'a zone'],
    ['America/Argentina/Buenos_Aires', 'a zone three levels deep'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'the zone UTC links to'],
    ['Etc/GMT+5', 'a fixed offset, with a sign'],
    ['Etc/GMT-14', 'the furthest fixed offset east'],
    ['US/Pacific', 'a link kept for old names'],
    ['Asia/Calcutta', 'a link from a renamed zone'],
    ['Asia/Kolkata', 'the renamed zone'],
    ['Europe/Kyiv', 'a zone renamed in 2022'],
    ['EST5EDT', 'a POSIX-style name that is in the database'],
  ])('accepts %j (%s)', (name) => {
    expect(isGoTimeZone(name)).toBe(true);
  });

  it.each([
    ['europe/berlin', 'the wrong case'],
    ['EUROPE/BERLIN', 'the wrong case'],
    ['Mars/Olympus', 'a zone that does not exist'],
    ['', 'the empty string, which Go reads as UTC'],
    ['Local', "the zone of the machine that runs Prometheus"],
    ['../etc/passwd', 'a path out of the zoneinfo directory'],
    ['/etc/localtime', 'an absolute path'],
    ['\\Windows', 'a path starting with a backslash'],
    ['Europe/Berlin ', 'a trailing space'],
    [' Europe/Berlin', 'a leading space'],
    ['Europe', 'a directory of the database'],
    ['posixrules', 'a file of the zoneinfo directory that is not a zone name'],
    ['UTC+1', 'an offset that is not a name'],
  ])('rejects %j (%s)', (name) => {
    expect(isGoTimeZone(name)).toBe(false);
  });

  it('rejects values that are not strings', () => {
    for (const value of [undefined, null, 0, ['UTC'], { name: 'UTC' }]) {
      expect(isGoTimeZone(value)).toBe(false);
    }
  });
});

describe('the generated list of time zones', () => {
  it('names its tzdata release and holds several hundred sorted names', () => {
    expect(TZDATA_VERSION).toMatch(/^\d{4}[a-z]$/);
    const names = [...TIME_ZONES];
    expect(names.length).toBeGreaterThan(500);
    expect(names).toEqual([...names].sort());
  });

  it('equals a fresh parse of the installed tzdata.zi of the same release', () => {
    // Only where the tzdata package is installed, at the release the list was generated from;
    // elsewhere there is nothing to compare with.
    if (!fs.existsSync(TZDATA_ZI)) return;
    const fresh = parseTzdataZi(fs.readFileSync(TZDATA_ZI, 'utf8'));
    if (fresh.version !== TZDATA_VERSION) return;
    expect(fresh.names).toEqual([...TIME_ZONES]);
  });

  it('is parsed from zone and link lines and written back as the generated file', () => {
    const data = parseTzdataZi(
      ['# version 2099z', '# comment', 'R d 1916 o - Jun 14 23s 1 S', 'Z Europe/Berlin 0:53:28 - LMT 1893 Ap', '1 c CE%sT 1945 May 24 2', 'L Etc/UTC UTC', 'Z Etc/UTC 0 - UTC', ''].join('\n'),
    );
    expect(data).toEqual({ version: '2099z', names: ['Etc/UTC', 'Europe/Berlin', 'UTC'] });
    expect(renderTimeZones(data)).toContain("export const TZDATA_VERSION = '2099z';");
    expect(renderTimeZones(data)).toContain("  'Europe/Berlin',\n");
  });

  it('refuses a tzdata.zi without its version line', () => {
    expect(() => parseTzdataZi('Z Europe/Berlin 1 - CET\n')).toThrow('# version');
  });
});
