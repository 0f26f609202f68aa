import { LogAlertInput, PlatformDefinition, ServiceDefinitionInput, defineService, definePlatform, resolveEnvironment, EffectiveService } from '../../lib/definition';
import { platform, service, worker } from '../fixtures/definitions';

/** A log alert on panics in the checkout's logs, with a summary that reads like a template. */
export const PANICS: LogAlertInput = {
  alert: 'CheckoutPanics',
  expr: 'sum(count_over_time({namespace="payments", app="checkout"} |= "panic" [5m])) > 0',
  severity: 'high',
  summary: 'checkout panicked {{ $value }} times',
};

/** A log alert on failed payments, held for 10 minutes, multi-line. */
export const PAYMENT_FAILURES: LogAlertInput = {
  alert: 'CheckoutPaymentFailures',
  expr: 'sum by (provider) (\n  rate({app="checkout"} | json | event="payment_failed" [10m])\n) > 0.5',
  for: '10m',
  severity: 'medium',
  summary: 'checkout: payments fail at one provider',
};

/** The shop platform with a Loki datasource: checkout with two log alerts, a notifier worker without any. */
export function lokiPlatform(checkout: Partial<ServiceDefinitionInput> = {}, changes: Record<string, unknown> = {}): PlatformDefinition {
  return definePlatform(
    platform({
      loki: { datasource: 'loki' },
      services: [defineService(service({ logAlerts: [PANICS, PAYMENT_FAILURES], ...checkout })), defineService(worker())],
      ...changes,
    }),
  );
}

/** One service of a platform in one environment. */
export function resolved(p: PlatformDefinition, name = 'checkout', environment = 'prod'): EffectiveService {
  return resolveEnvironment(p, name, environment);
}
