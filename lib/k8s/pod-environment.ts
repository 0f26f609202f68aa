/**
 * The environment variables of a service's container, as plain data: the OpenTelemetry SDK's
 * own variables (service name, resource attributes, the environment's collector), then the
 * definition's `env` and `secretEnv`, sorted by name.
 * @see https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
import { EffectiveService, SecretKeyRef } from '../definition';
import { byName } from '../private/data';

/** A variable with a literal value. */
export interface PlainEnvVar {
  readonly name: string;
  readonly value: string;
}

/** A variable read from a key of a Secret. */
export interface SecretEnvVar {
  readonly name: string;
  readonly secret: SecretKeyRef;
}

/** One environment variable of the container. */
export type PodEnvVar = PlainEnvVar | SecretEnvVar;

/**
 * The container's environment: `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` (environment,
 * namespace, version), `OTEL_EXPORTER_OTLP_ENDPOINT` when the environment has a collector, and
 * the definition's variables, sorted by name.
 */
export function podEnvironment(service: EffectiveService): PodEnvVar[] {
  const resourceAttributes = [`deployment.environment=${service.environment}`, `service.namespace=${service.namespace}`, `service.version=${service.version}`].join(',');
  const variables: PodEnvVar[] = [
    { name: 'OTEL_SERVICE_NAME', value: service.name },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: resourceAttributes },
    ...(service.otlpEndpoint !== undefined ? [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: service.otlpEndpoint }] : []),
    ...Object.entries(service.env).map(([name, value]) => ({ name, value })),
    ...Object.entries(service.secretEnv).map(([name, secret]) => ({ name, secret })),
  ];
  return variables.sort(byName);
}
