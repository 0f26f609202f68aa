import { AlertRoutingInput, BusinessHoursInput, PlatformDefinition, ReceiverInput, ServiceDefinitionInput, defineService, definePlatform } from '../../lib/definition';

/** Receivers of the routing fixtures: one of each kind, plus one no route uses. */
export const RECEIVERS: Readonly<Record<string, ReceiverInput>> = {
  pager: { type: 'pagerduty', routingKeySecret: { name: 'pagerduty', key: 'routing-key' } },
  chat: { type: 'slack', channel: '#alerts', apiUrlSecret: { name: 'slack', key: 'url' } },
  tickets: { type: 'webhook', url: 'https://tickets.example.com/hook' },
  mail: { type: 'email', to: 'ops@example.com', smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com' },
  unused: { type: 'webhook', url: 'https://unused.example.com/hook' },
};

/** A service input of the routing fixtures. */
export function service(name: string, namespace: string, alertRouting?: AlertRoutingInput, extra: Partial<ServiceDefinitionInput> = {}): ServiceDefinitionInput {
  return { name, team: namespace, namespace, tier: 'high', image: `registry.example.com/${namespace}/${name}:1.0.0`, port: 8080, alertRouting, ...extra };
}

/** A platform with dev and prod, the fixture receivers and the given services. */
export function routingPlatform(
  services: readonly ServiceDefinitionInput[],
  options: { defaultAlertRouting?: AlertRoutingInput; businessHours?: BusinessHoursInput; receivers?: Readonly<Record<string, ReceiverInput>> } = {},
): PlatformDefinition {
  return definePlatform({
    name: 'acme',
    environments: ['dev', 'prod'],
    runbookBaseUrl: 'https://runbooks.example.com',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus.monitoring:9090',
    receivers: options.receivers ?? RECEIVERS,
    defaultAlertRouting: options.defaultAlertRouting ?? { critical: 'pager', high: 'pager', highOutsideBusinessHours: 'chat', medium: 'tickets', low: 'none' },
    businessHours: options.businessHours,
    services: services.map(defineService),
  });
}
