import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SCALE_DOWN, SCALE_UP, autoscalerPlan, autoscalerProps } from '../../lib/k8s';
import { KubeObject, schemaProblems } from '../support/schema';

const AUTOSCALING = { minReplicas: 2, maxReplicas: 10, cpuTargetPercent: 60 };

describe('autoscalerPlan', () => {
  it('plans no autoscaler when autoscaling is off', () => {
    expect(autoscalerPlan(false)).toBeUndefined();
  });

  it('takes the bounds and CPU target of the definition', () => {
    expect(autoscalerPlan(AUTOSCALING)).toEqual({ minReplicas: 2, maxReplicas: 10, cpuUtilization: 60, scaleUp: SCALE_UP, scaleDown: SCALE_DOWN });
  });

  it('scales up at the Kubernetes pace: double or four more pods every 15 seconds, at once', () => {
    expect(SCALE_UP).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] });
  });

  it('scales down after five quiet minutes, by half at most once a minute', () => {
    expect(SCALE_DOWN).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] });
  });
});

describe('autoscalerProps', () => {
  it('gives a cdk8s-plus autoscaler the plan exactly, and takes the replica count from its target', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'orders', { metadata: { name: 'orders' }, containers: [{ image: 'orders:1', resources: { cpu: { request: kplus.Cpu.millis(100) } } }] });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { metadata: { name: 'orders' }, target: deployment, ...autoscalerProps(autoscalerPlan(AUTOSCALING)!) });
    const objects = Testing.synth(chart) as KubeObject[];
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.spec).toEqual({
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    });
    expect(schemaProblems(hpa)).toEqual([]);
    expect(objects.find((o) => o.kind === 'Deployment')!.spec).not.toHaveProperty('replicas');
  });
});
