/**
 * Which pods a Chaos Mesh selector selects, as the controller reads the parts the generated
 * experiments use: `namespaces` (none given: every namespace) and `labelSelectors` (every label
 * equal). Any other part of a selector is refused, so an experiment that starts using one fails
 * the tests instead of being guessed at.
 * @see https://chaos-mesh.org/docs/define-chaos-experiment-scope/
 */
import { KubeObject } from './schema';

/** A pod as the selector sees it: where it runs and its labels. */
export interface PodIdentity {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** What made it, for failure messages: `Deployment shop/orders`. */
  readonly from: string;
}

/** The selector of a Chaos Mesh experiment. */
export interface ChaosSelector {
  readonly namespaces?: readonly string[];
  readonly labelSelectors?: Readonly<Record<string, string>>;
  readonly [other: string]: unknown;
}

/** Whether a selector selects a pod. */
export function selects(selector: ChaosSelector, pod: PodIdentity): boolean {
  const other = Object.keys(selector).filter((k) => k !== 'namespaces' && k !== 'labelSelectors');
  if (other.length > 0) throw new Error(`selector parts not modelled: ${other.join(', ')}`);
  const namespaces = selector.namespaces ?? [];
  if (namespaces.length > 0 && !namespaces.includes(pod.namespace)) return false;
  return Object.entries(selector.labelSelectors ?? {}).every(([k, v]) => pod.labels[k] === v);
}

/** A pod template of an object, with the namespace its pods run in. */
function templates(object: KubeObject): { labels: Record<string, string>; where: string }[] {
  const spec = object.spec as Record<string, unknown> | undefined;
  const labelsOf = (template: unknown): Record<string, string> => ((template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels ?? {});
  switch (object.kind) {
    case 'Deployment':
    case 'Rollout':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return [{ labels: labelsOf(spec?.template), where: object.kind }];
    case 'CronJob':
      return [{ labels: labelsOf((spec?.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template), where: 'CronJob' }];
    case 'AnalysisTemplate':
      return ((spec?.metrics as { provider?: { job?: { spec?: { template?: unknown } } } }[] | undefined) ?? [])
        .filter((m) => m.provider?.job !== undefined)
        .map((m) => ({ labels: labelsOf(m.provider?.job?.spec?.template), where: 'AnalysisTemplate Job' }));
    default:
      return [];
  }
}

/** Every pod template among synthesized objects: each workload's, the CronJobs' and the analysis Jobs'. */
export function podsOf(objects: readonly KubeObject[]): PodIdentity[] {
  return objects.flatMap((o) => templates(o).map((t) => ({ namespace: o.metadata.namespace ?? 'default', labels: t.labels, from: `${t.where} ${o.metadata.namespace}/${o.metadata.name}` })));
}
