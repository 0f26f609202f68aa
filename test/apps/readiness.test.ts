import { platform } from '../../apps/platform';
import { readinessIssues, readinessReport } from '../../lib/readiness';

describe('the example platform in production', () => {
  const report = readinessReport(platform, { today: '2026-12-02' });

  it('passes the readiness checklist without a waiver', () => {
    expect(readinessIssues(report)).toEqual([]);
    expect(platform.services.flatMap((s) => s.readiness.waivers)).toEqual([]);
    expect(report.services.map((s) => `${s.environment}/${s.service}`)).toEqual(['prod/catalog', 'prod/checkout', 'prod/notifier']);
  });

  it('warns only where its definition knowingly falls short', () => {
    const warnings = report.services.flatMap((s) => s.items.filter((i) => i.status !== 'pass').map((i) => [s.service, i.item, i.status]));
    expect(warnings).toEqual([
      // The catalog keeps the library's default requests and limits.
      ['catalog', 'operations.requests-limits', 'warn'],
      // The catalog, of the medium tier, has held no game day: advised, not required.
      ['catalog', 'operations.game-day', 'warn'],
      // A worker without HTTP cannot run canary analysis, which measures request SLOs.
      ['notifier', 'deployment.progressive-delivery', 'warn'],
    ]);
  });

  it('never starts failing on a later day: a quarter after its last game days, they only warn', () => {
    const lastHeld = platform.services.map((s) => [s.name, s.gameDays.lastHeld]);
    expect(lastHeld).toEqual([['checkout', '2026-11-17'], ['catalog', undefined], ['notifier', '2026-11-17']]);
    const gameDays = (today: string) =>
      readinessReport(platform, { today }).services.map((s) => {
        const item = s.items.find((i) => i.item === 'operations.game-day');
        return [s.service, item?.status, item?.reason];
      });
    // 92 days after 2026-11-17 is 2027-02-17: the game days still count then, and no longer the day after.
    expect(gameDays('2027-02-17').map(([service, status]) => [service, status])).toEqual([['catalog', 'warn'], ['checkout', 'pass'], ['notifier', 'pass']]);
    const later = readinessReport(platform, { today: '2031-12-02' });
    expect(readinessIssues(later)).toEqual([]);
    const [, checkout] = gameDays('2031-12-02');
    expect(checkout[1]).toBe('warn');
    expect(checkout[2]).toContain('on 2026-11-17, 1841 days before 2031-12-02: more than 92 days ago');
  });
});
