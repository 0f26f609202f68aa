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
      // A worker without HTTP cannot run canary analysis, which measures request SLOs.
      ['notifier', 'deployment.progressive-delivery', 'warn'],
    ]);
  });

  it('still passes years from now: no item of it fails on a date', () => {
    expect(readinessIssues(readinessReport(platform, { today: '2031-12-02' }))).toEqual([]);
  });
});
