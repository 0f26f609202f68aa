import { EffectiveService } from '../definition';
import { MANAGED_BY } from '../private/namespace-objects';

/** The value of `app.kubernetes.io/managed-by` on every object the library emits. */
export { MANAGED_BY };

/**
 * Labels that select a service's pods. Stable across versions: they never include the version,
 * so a selector never changes on upgrade.
 */
export function selectorLabels(service: Pick<EffectiveService, 'name'>): Record<string, string> {
  return { 'app.kubernetes.io/name': service.name };
}

/**
 * The recommended labels plus the owning team, on every object of a service.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function standardLabels(service: Pick<EffectiveService, 'name' | 'platform' | 'version' | 'component' | 'team'>): Record<string, string> {
  return {
    'app.kubernetes.io/component': service.component,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/name': service.name,
    'app.kubernetes.io/part-of': service.platform,
    'app.kubernetes.io/version': service.version,
    team: service.team,
  };
}
