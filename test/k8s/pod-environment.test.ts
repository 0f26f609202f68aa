import { podEnvironment } from '../../lib/k8s';
import { platformService } from '../fixtures/k8s-services';

describe('podEnvironment', () => {
  it('names the service and its environment for OpenTelemetry, with the collector where there is one', () => {
    expect(podEnvironment(platformService({}, 'dev').service)).toEqual([
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'deployment.environment=dev,service.namespace=shop,service.version=2.0.1' },
      { name: 'OTEL_SERVICE_NAME', value: 'orders' },
    ]);
    expect(podEnvironment(platformService().service).map((v) => v.name)).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME']);
  });

  it('adds the definition variables, secrets by reference, all sorted by name', () => {
    const service = platformService({ env: { ZONE: 'eu', A_FLAG: 'on' }, secretEnv: { DB_PASSWORD: { name: 'orders-db', key: 'password' } } }, 'dev').service;
    expect(podEnvironment(service).map((v) => ('secret' in v ? `${v.name}<-${v.secret.name}/${v.secret.key}` : `${v.name}=${v.value}`))).toEqual([
      'A_FLAG=on',
      'DB_PASSWORD<-orders-db/password',
      'OTEL_RESOURCE_ATTRIBUTES=deployment.environment=dev,service.namespace=shop,service.version=2.0.1',
      'OTEL_SERVICE_NAME=orders',
      'ZONE=eu',
    ]);
  });
});
