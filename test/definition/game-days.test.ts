import { DefinitionError, GAME_DAYS_DEFAULTS, GameDaysInput, ServiceDefinitionInput, defineService, isCalendarDate } from '../../lib/definition';
import { availability, bad, service } from '../fixtures/definitions';

const SLOS: ServiceDefinitionInput['slos'] = [availability(), { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }];

function gameDays(input: GameDaysInput, changes: Partial<ServiceDefinitionInput> = {}) {
  return defineService(service({ slos: SLOS, ...changes, gameDays: input })).gameDays;
}

function problems(input: unknown, changes: Partial<ServiceDefinitionInput> = {}): readonly string[] {
  try {
    defineService(service({ slos: SLOS, ...changes, gameDays: bad<GameDaysInput>(input) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

describe('gameDays defaults', () => {
  it('has no experiments and no game day held by default', () => {
    expect(defineService(service({ slos: SLOS })).gameDays).toEqual({ experiments: [] });
  });

  it('runs one pod for 5m, watching every SLO of the service, with a sentence for the runbook', () => {
    expect(gameDays({ experiments: [{ kind: 'pod-kill', name: 'kill' }] }).experiments).toEqual([
      { kind: 'pod-kill', name: 'kill', description: GAME_DAYS_DEFAULTS.descriptions['pod-kill'], duration: '5m', slos: ['availability', 'latency'] },
    ]);
    expect(GAME_DAYS_DEFAULTS).toMatchObject({ duration: '5m', jitter: '0ms', minRequests: 100 });
  });

  it('keeps what is given, and the network faults their settings, a delay without jitter by default', () => {
    const days = gameDays({
      experiments: [
        { kind: 'network-delay', name: 'slow', latency: '200ms', duration: '10m', podPercent: 50, slos: ['latency'], description: 'Does the cache hide a slow network?' },
        { kind: 'network-loss', name: 'lossy', lossPercent: 12.5 },
        { kind: 'pod-failure', name: 'fail' },
      ],
      lastHeld: '2025-10-14',
    });
    expect(days.lastHeld).toBe('2025-10-14');
    expect(days.experiments[0]).toEqual({ kind: 'network-delay', name: 'slow', latency: '200ms', jitter: '0ms', description: 'Does the cache hide a slow network?', duration: '10m', podPercent: 50, slos: ['latency'] });
    expect(days.experiments[1]).toMatchObject({ kind: 'network-loss', lossPercent: 12.5 });
    expect(days.experiments[2]).toMatchObject({ kind: 'pod-failure', duration: '5m' });
  });
});

describe('gameDays rules', () => {
  it('refuses names that are no DNS label, repeat, or make the object name too long', () => {
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'Kill' }] })).toEqual([
      'checkout.gameDays.experiments[0].name: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Kill")',
    ]);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'kill' }, { kind: 'pod-failure', name: 'kill' }] })).toEqual([
      'checkout.gameDays.experiments[1].name: duplicates gameDays.experiments[0]: experiment names must be unique (got "kill")',
    ]);
    const long = 'k'.repeat(60);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: long }] })).toEqual([`checkout.gameDays.experiments[0].name: makes the object name checkout-${long} longer than 63 characters (got "${long}")`]);
  });

  it('refuses a duration that is no duration, shorter than 4 scrapes or a minute, or longer than an hour', () => {
    expect(problems({ experiments: [{ kind: 'pod-failure', name: 'f', duration: 'long' }] })).toEqual(['checkout.gameDays.experiments[0].duration: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "long")']);
    expect(problems({ experiments: [{ kind: 'pod-failure', name: 'f', duration: '90s' }] })).toEqual([
      'checkout.gameDays.experiments[0].duration: must be from 120s (4 scrape intervals, at least a minute: the hypothesis needs samples) to 1h (got "90s")',
    ]);
    expect(problems({ experiments: [{ kind: 'pod-failure', name: 'f', duration: '2h' }] })[0]).toMatch(/ to 1h \(got "2h"\)$/);
    expect(gameDays({ experiments: [{ kind: 'pod-failure', name: 'f', duration: '1m' }] }, { metrics: { scrapeInterval: '15s' } }).experiments[0].duration).toBe('1m');
  });

  it('refuses a pod share that is no whole percentage', () => {
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', podPercent: 0 }] })).toEqual(['checkout.gameDays.experiments[0].podPercent: must be a whole percentage from 1 to 100 (got 0)']);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', podPercent: 33.3 }] })[0]).toMatch(/\(got 33\.3\)$/);
  });

  it('refuses SLOs the service does not have, an empty list, and experiments on a service without SLOs', () => {
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', slos: ['availability', 'freshness'] }] })).toEqual([
      'checkout.gameDays.experiments[0].slos[1]: must name an SLO of the service (availability, latency) (got "freshness")',
    ]);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', slos: [] }] })).toEqual(['checkout.gameDays.experiments[0].slos: must name at least one SLO, or be left out to watch them all (got [])']);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k' }] }, { slos: [] })).toEqual([
      'checkout.gameDays.experiments: need an SLO in slos: each experiment is judged by the steady state of the service\'s SLOs (got ["k"])',
    ]);
  });

  it('refuses a latency that is no duration or out of range, and a jitter above it', () => {
    expect(problems({ experiments: [{ kind: 'network-delay', name: 'd', latency: 'slow' }] })).toEqual(['checkout.gameDays.experiments[0].latency: must be a duration such as 200ms, 1s or 1500ms (got "slow")']);
    expect(problems({ experiments: [{ kind: 'network-delay', name: 'd', latency: '1m' }] })).toEqual(['checkout.gameDays.experiments[0].latency: must be from 1ms to 10s (got "1m")']);
    expect(problems({ experiments: [{ kind: 'network-delay', name: 'd', latency: '100ms', jitter: '200ms' }] })).toEqual(['checkout.gameDays.experiments[0].jitter: must be at most the latency (100ms) (got "200ms")']);
  });

  it('refuses a loss that is no percentage above 0', () => {
    expect(problems({ experiments: [{ kind: 'network-loss', name: 'l', lossPercent: 0 }] })).toEqual(['checkout.gameDays.experiments[0].lossPercent: must be a percentage above 0 and at most 100 (got 0)']);
    expect(problems({ experiments: [{ kind: 'network-loss', name: 'l', lossPercent: 101 }] })[0]).toMatch(/\(got 101\)$/);
  });

  it('refuses a date that is not a day of the calendar written YYYY-MM-DD', () => {
    expect(problems({ lastHeld: '2025-02-30' })).toEqual(['checkout.gameDays.lastHeld: must be a date written YYYY-MM-DD (got "2025-02-30")']);
    expect(problems({ lastHeld: '14.10.2025' })[0]).toMatch(/\(got "14\.10\.2025"\)$/);
    expect(['2024-02-29', '2025-12-31'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', ''].map(isCalendarDate)).toEqual([false, false, false, false]);
  });

  it('refuses an unknown kind, and a fault field on the wrong kind', () => {
    expect(problems({ experiments: [{ kind: 'cpu-stress', name: 's' }] })).toEqual(['checkout.gameDays.experiments[0].kind: must be one of pod-kill, pod-failure, network-delay, network-loss (got "cpu-stress")']);
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', latency: '1s' }] })[0]).toMatch(/^checkout\.gameDays\.experiments\[0\]\.latency: is not a known field/);
  });

  it('checks the SLO names of each environment against that environment\'s SLOs', () => {
    expect(problems({ experiments: [{ kind: 'pod-kill', name: 'k', slos: ['latency'] }] }, { environments: { dev: { slos: [availability()] } } })).toEqual([
      'checkout.environments.dev.gameDays.experiments[0].slos[0]: must name an SLO of the service (availability) (got "latency")',
    ]);
  });
});
