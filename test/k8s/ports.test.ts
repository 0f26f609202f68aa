import { containerPorts, servicePorts } from '../../lib/k8s';
import { platformService } from '../fixtures/k8s-services';

describe('ports', () => {
  it('names the HTTP and metrics container ports, and the Service targets them by name', () => {
    const service = platformService().service;
    expect(containerPorts(service)).toEqual([{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }]);
    expect(servicePorts(service, 80).map((p) => [p.name, p.port, p.targetPort?.value, p.protocol])).toEqual([['http', 80, 'http', 'TCP'], ['metrics', 9090, 'metrics', 'TCP']]);
  });

  it('has only the metrics port for a worker', () => {
    const worker = platformService({ port: undefined, component: 'worker', metrics: { port: 9100 } }).service;
    expect(servicePorts(worker, 80).map((p) => [p.name, p.port])).toEqual([['metrics', 9100]]);
  });
});
