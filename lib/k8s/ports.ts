/**
 * The ports of a service: the container's named `http` (when it serves HTTP) and `metrics`
 * ports, and the Service's ports in front of them, which target the container ports by name.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
 */
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { EffectiveService } from '../definition';

/** The container's ports: `http` when the service has a port, then `metrics`. */
export function containerPorts(service: Pick<EffectiveService, 'port' | 'metrics'>): kplus.ContainerPort[] {
  return [...(service.port !== undefined ? [{ number: service.port, name: 'http' }] : []), { number: service.metrics.port, name: 'metrics' }];
}

/** The Service's ports: `http` on `servicePort`, `metrics` on the container's metrics port. */
export function servicePorts(service: Pick<EffectiveService, 'port' | 'metrics'>, servicePort: number): k8s.ServicePort[] {
  return containerPorts(service).map(({ number, name }) => ({
    name,
    port: name === 'http' ? servicePort : number,
    targetPort: k8s.IntOrString.fromString(name as string),
    protocol: 'TCP',
  }));
}
