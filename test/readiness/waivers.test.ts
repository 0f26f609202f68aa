import { ServiceDefinitionInput } from '../../lib/definition';
import { assertReady, readinessIssues, readinessReport } from '../../lib/readiness';
import { definitionErrorOf } from '../support/tools';
import { READY, buildOf, itemOf, readinessOf, readinessPlatform } from './fixtures';

const REASON = 'the on-call rota for orders starts on 4 January (SHOP-311)';

/** The ready service, but with no escalation contacts, waived until the last day of 2026. */
const WAIVED: ServiceDefinitionInput = {
  ...READY,
  contacts: { owners: ['shop-team@example.com'] },
  readiness: { waivers: [{ item: 'alerting.escalation', reason: REASON, expires: '2026-12-31' }] },
};

describe('readiness waivers', () => {
  const platform = readinessPlatform([WAIVED]);
  const build = buildOf(platform, 'orders');

  it('hold a failing item through the expiry day: still a fail, but not blocking', () => {
    for (const today of ['2026-12-02', '2026-12-31']) {
      const item = itemOf(readinessOf(platform, build, today), 'alerting.escalation');
      expect(item).toMatchObject({
        status: 'fail',
        blocking: false,
        field: 'orders.contacts.escalation',
        reason: `no escalation contacts: when on-call does not answer, nobody is next; waived until 2026-12-31: ${REASON}`,
        waiver: { reason: REASON, expires: '2026-12-31', expired: false },
      });
    }
  });

  it('stop holding it the day after the expiry, and the item blocks again', () => {
    const item = itemOf(readinessOf(platform, build, '2027-01-01'), 'alerting.escalation');
    expect(item).toMatchObject({
      status: 'fail',
      blocking: true,
      reason: 'no escalation contacts: when on-call does not answer, nobody is next; the waiver expired on 2026-12-31',
      waiver: { expired: true },
    });
  });

  it('warn while no longer needed, and fail once expired: a waiver of a met item is to be removed', () => {
    const met = readinessPlatform([{ ...READY, readiness: { waivers: [{ item: 'operations.autoscaling', reason: 'was a singleton', expires: '2026-12-31' }] } }]);
    const metBuild = buildOf(met, 'orders');
    expect(itemOf(readinessOf(met, metBuild, '2026-12-02'), 'operations.autoscaling')).toMatchObject({
      status: 'warn',
      blocking: false,
      field: 'orders.readiness.waivers[0]',
      reason: 'HorizontalPodAutoscaler orders scales Rollout orders from 3 to 12 replicas at 70% CPU; the waiver (until 2026-12-31) is no longer needed: remove it',
    });
    expect(itemOf(readinessOf(met, metBuild, '2027-01-01'), 'operations.autoscaling')).toMatchObject({
      status: 'fail',
      blocking: true,
      field: 'orders.readiness.waivers[0]',
      reason: 'HorizontalPodAutoscaler orders scales Rollout orders from 3 to 12 replicas at 70% CPU; the waiver expired on 2026-12-31 and is no longer needed: remove it',
    });
  });

  it('name the waiver where the definition wrote it, whatever the order of the normalized list', () => {
    const two = readinessPlatform([
      {
        ...READY,
        readiness: {
          waivers: [
            { item: 'operations.autoscaling', reason: 'was a singleton', expires: '2026-12-31' },
            { item: 'alerting.escalation', reason: REASON, expires: '2026-12-31' },
          ],
        },
      },
    ]);
    expect(itemOf(readinessOf(two, buildOf(two, 'orders')), 'alerting.escalation').field).toBe('orders.readiness.waivers[1]');
  });

  it('leave a production synthesis with no issue while they hold, and list every expired one after', () => {
    expect(readinessIssues(readinessReport(platform, { today: '2026-12-31' }))).toEqual([]);
    expect(() => assertReady(readinessReport(platform, { today: '2026-12-31' }))).not.toThrow();
    expect(definitionErrorOf(() => assertReady(readinessReport(platform, { today: '2027-01-01' })))).toBe(
      [
        'Invalid production readiness of platform "acme" (1 problem):',
        '  - orders.contacts.escalation: fails readiness item alerting.escalation (escalation contacts are named) in prod: no escalation contacts: when on-call does not answer, nobody is next; the waiver expired on 2026-12-31; fix it, or renew the waiver with a new expiry date (got [])',
      ].join('\n'),
    );
  });
});
