import * as kplus from 'cdk8s-plus-28';
import { normalizeDelivery } from '../../lib/definition';
import { STEPLESS_ROLLOUT, containerSecurityContext, cpu, httpProbe, imagePullPolicy, memory, podSecurityContext, rollout, topologySpread } from '../../lib/k8s';

describe('rollout', () => {
  it('keeps the surge and unavailability of a rolling delivery', () => {
    expect(rollout({ strategy: 'rolling', maxSurge: '1', maxUnavailable: '10%' })).toEqual({ maxSurge: '1', maxUnavailable: '10%' });
  });

  it('rolls canary and blue-green out by surging 25% and losing no pod', () => {
    expect(rollout(normalizeDelivery({ strategy: 'canary', steps: [10, 100] }))).toEqual({ maxSurge: '25%', maxUnavailable: '0' });
    expect(rollout(normalizeDelivery({ strategy: 'blue-green', autoPromote: false }))).toBe(STEPLESS_ROLLOUT);
  });
});

describe('imagePullPolicy', () => {
  it('pulls a latest tag on every start and anything pinned only when missing', () => {
    expect(imagePullPolicy('registry.example.com/shop/orders:latest')).toBe('Always');
    expect(imagePullPolicy('registry.example.com/shop/orders:2.0.1')).toBe('IfNotPresent');
    expect(imagePullPolicy(`registry.example.com/shop/orders@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
  });
});

describe('quantities', () => {
  it('writes whole cores as units and the rest as millicores', () => {
    expect([cpu('2').amount, cpu('1500m').amount, cpu('0.25').amount, cpu('1000m').amount]).toEqual(['2', '1500m', '250m', '1']);
  });

  it('reads binary memory units into sizes', () => {
    expect([memory('512Mi'), memory('2Gi'), memory('2048Ki')].map((size) => size.toMebibytes())).toEqual([512, 2048, 2]);
  });
});

describe('httpProbe', () => {
  it('probes the path and port of the definition with its timings, and nothing without one', () => {
    expect(httpProbe(undefined)).toBeUndefined();
    expect(httpProbe({ path: '/healthz', port: 8080, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 })).toBeInstanceOf(kplus.Probe);
  });
});

describe('security contexts', () => {
  it('runs the pod as the user, its group owning the volumes, never as root', () => {
    expect(podSecurityContext(1000)).toEqual({ ensureNonRoot: true, user: 1000, group: 1000, fsGroup: 1000 });
  });

  it('drops every capability, forbids escalation and uses the runtime seccomp profile', () => {
    expect(containerSecurityContext(1000, false)).toEqual({
      ensureNonRoot: true,
      user: 1000,
      group: 1000,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

describe('topologySpread', () => {
  const labels = { 'app.kubernetes.io/name': 'orders' };

  it('spreads across the key and then nodes, softly and per revision', () => {
    expect(topologySpread(labels, 'topology.kubernetes.io/zone')).toEqual(
      ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: labels },
        matchLabelKeys: ['pod-template-hash'],
      })),
    );
  });

  it('writes one constraint when the key is the hostname, which Kubernetes requires', () => {
    expect(topologySpread(labels, 'kubernetes.io/hostname').map((c) => c.topologyKey)).toEqual(['kubernetes.io/hostname']);
  });
});
