/**
 * Where each runbook page lives under the runbook root (the `runbooks/` output folder, served at
 * the platform's `runbookBaseUrl`). Alert pages are placed by `runbookPath` in
 * lib/definition/naming.ts, the same function their links are built with:
 *
 * ```
 * index.md                                        the platform: environments and services
 * <env>/index.md                                  an environment: its services and their alerts
 * <env>/services/<service>/index.md               a service: its alerts, SLOs, contacts, templates
 * <env>/services/<service>/alerts/<alert>.md      one alert (runbookPath)
 * <env>/services/<service>/incident.md            incident communication: initial, update, resolved
 * <env>/services/<service>/post-mortem.md         the blameless post-mortem template
 * <env>/platform/alerts/<alert>.md                an alert of the platform itself (platformRunbookPath)
 * ```
 *
 * Service names are DNS labels and alert pages sit under `alerts/`, so no name can meet an index
 * or template page.
 */
import * as path from 'path';
import { EffectiveService, serviceRunbookFolder } from '../definition';

/** The output folder of the runbooks, under the synthesis output folder. */
export const RUNBOOKS_FOLDER = 'runbooks';

/** The platform's index page. */
export const PLATFORM_INDEX = 'index.md';

/** An environment's index page: `<env>/index.md`. */
export function environmentIndexPath(environment: string): string {
  return `${environment}/index.md`;
}

/** The pages of a service besides its alerts. */
export type ServicePage = 'index' | 'incident' | 'post-mortem';

/** A page of a service in one environment: `<env>/services/<service>/<page>.md`. */
export function servicePagePath(service: Pick<EffectiveService, 'environment' | 'name'>, page: ServicePage): string {
  return `${serviceRunbookFolder(service)}/${page}.md`;
}

/** A relative link from one page to another, both given relative to the runbook root. */
export function relativeLink(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}
