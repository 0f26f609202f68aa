/**
 * The runbooks of a platform as files: per service and environment its alert pages, index,
 * incident communication and post-mortem templates; per environment and for the platform an
 * index. Paths are relative to the runbook root (`RUNBOOKS_FOLDER` under the output folder),
 * which is served at `runbookBaseUrl`. Pure: the same definition gives the same bytes.
 */
import { EffectiveService, PlatformDefinition, SEVERITIES, effectiveServices } from '../definition';
import { PlatformOutputs, platformOutputs } from '../k8s/platform-outputs';
import { ServiceOutputs, serviceOutputs } from '../k8s/service-outputs';
import { mdCode, mdDocument, mdHeading, mdLink, mdList, mdTable, mdText } from '../private/markdown';
import { AlertPage, alertPages, platformAlerts, serviceAlerts } from './alerts';
import { renderAlertPage, renderPlatformAlertPage } from './alert-page';
import { PLATFORM_INDEX, environmentIndexPath, relativeLink, servicePagePath } from './layout';
import { renderIncidentTemplate, renderPostMortemTemplate, renderServiceIndex } from './service-pages';

/** A runbook file: its path under the runbook root and its Markdown. */
export interface RunbookFile {
  readonly path: string;
  readonly content: string;
}

/** What the indexes say of one service in one environment. */
export interface ServiceRunbookSummary {
  readonly name: string;
  readonly team: string;
  readonly tier: string;
  readonly namespace: string;
  readonly strategy: string;
  /** Its alert pages: path, alert names, severities. */
  readonly alerts: readonly { readonly path: string; readonly names: readonly string[]; readonly severities: readonly string[] }[];
}

/** The runbooks of one service in one environment, and what the indexes say of it. */
export interface ServiceRunbooks {
  /** Its alert pages, index, incident and post-mortem templates, sorted by path. */
  readonly files: readonly RunbookFile[];
  readonly summary: ServiceRunbookSummary;
}

/**
 * The runbooks of one service in one environment: a page per alert its rules and policies carry
 * a link to, its index, and its incident communication and post-mortem templates.
 * @param outputs the service's rule groups, as `serviceOutputs(platform, service)` builds them
 * @example
 * const service = resolveEnvironment(platform, 'checkout', 'prod');
 * const { files } = serviceRunbooks(platform, service, serviceOutputs(platform, service));
 */
export function serviceRunbooks(platform: PlatformDefinition, service: EffectiveService, outputs: ServiceOutputs): ServiceRunbooks {
  const pages = alertPages(platform, serviceAlerts(platform, service, outputs));
  const input = { platform, service, pages };
  const summary = summaryOf(service, pages);
  const files: RunbookFile[] = [
    ...pages.map((page) => ({ path: page.path, content: renderAlertPage({ platform, service, page, jobs: outputs.jobs }) })),
    { path: servicePagePath(service, 'index'), content: renderServiceIndex(input) },
    { path: servicePagePath(service, 'incident'), content: renderIncidentTemplate(input) },
    { path: servicePagePath(service, 'post-mortem'), content: renderPostMortemTemplate(input) },
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, summary };
}

function summaryOf(service: EffectiveService, pages: readonly AlertPage[]): ServiceRunbookSummary {
  return {
    name: service.name,
    team: service.team,
    tier: service.tier,
    namespace: service.namespace,
    strategy: service.delivery.strategy,
    alerts: pages.map((p) => ({ path: p.path, names: p.names, severities: SEVERITIES.filter((s) => p.alerts.some((a) => a.severity === s)) })),
  };
}

/** What the indexes say of one service in one environment, without rendering its pages. */
export function serviceRunbookSummary(platform: PlatformDefinition, service: EffectiveService, outputs: ServiceOutputs): ServiceRunbookSummary {
  return summaryOf(service, alertPages(platform, serviceAlerts(platform, service, outputs)));
}

/**
 * The runbooks of an environment itself: a page per alert of the platform's own (its scheduled
 * jobs, from `platformOutputs`), and the environment's index of its services and those alerts.
 * @param services what the environment's services' runbooks say of them (`serviceRunbooks(...).summary`)
 */
export function environmentRunbooks(platform: PlatformDefinition, environment: string, outputs: PlatformOutputs, services: readonly ServiceRunbookSummary[]): RunbookFile[] {
  const pages = alertPages(platform, platformAlerts(outputs));
  const from = environmentIndexPath(environment);
  const link = (path: string, text: string): string => mdLink(text, relativeLink(from, path));
  const env = platform.environments.find((e) => e.name === environment);
  const rows = [...services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => [
      link(servicePagePath({ environment, name: s.name }, 'index'), s.name),
      mdCode(s.team),
      s.tier,
      mdCode(s.namespace),
      s.strategy,
      s.alerts.map((a) => link(a.path, a.names.join(' / '))).join(', '),
    ]);
  const index: RunbookFile = {
    path: from,
    content: mdDocument([
      mdHeading(1, `Runbooks of ${platform.name} in ${environment}`),
      `${env?.production === true ? 'A production environment. ' : ''}Every alert of a service in ${mdCode(environment)} links its page here; each service also has an incident communication and a post-mortem template.`,
      mdHeading(2, 'Services'),
      rows.length === 0 ? 'No service runs in this environment.' : mdTable(['service', 'team', 'tier', 'namespace', 'delivery', 'alerts'], rows),
      mdHeading(2, 'Alerts of the platform itself'),
      pages.length === 0 ? 'None: the platform runs no job of its own in this environment.' : mdList(pages.map((p) => `${link(p.path, p.names.join(' / '))}: ${SEVERITIES.filter((sev) => p.alerts.some((a) => a.severity === sev)).join(', ')}`)),
      '---',
      `${link(PLATFORM_INDEX, `All environments of ${platform.name}`)}. Generated from the platform definition by ops-constructs: change the definition, not this page.`,
    ]),
  };
  return [...pages.map((page) => ({ path: page.path, content: renderPlatformAlertPage({ platform, environment, page, jobs: outputs.jobs }) })), index];
}

/**
 * The platform's index: its environments, and each service's runbooks per environment.
 * @param services what each environment's services' runbooks say of them, by environment: the
 * environments listed, in the platform's order (a synthesis of selected environments names only those)
 */
export function platformIndex(platform: PlatformDefinition, services: Readonly<Record<string, readonly ServiceRunbookSummary[]>>): RunbookFile {
  const link = (path: string, text: string): string => mdLink(text, relativeLink(PLATFORM_INDEX, path));
  const listed = platform.environments.filter((e) => Object.prototype.hasOwnProperty.call(services, e.name));
  const environments = listed.map((e) => e.name);
  const names = [...new Set(Object.values(services).flatMap((list) => list.map((s) => s.name)))].sort();
  return {
    path: PLATFORM_INDEX,
    content: mdDocument([
      mdHeading(1, `Runbooks of ${platform.name}`),
      `Generated runbooks for every alert of the platform, one page per alert, service and environment, at the address each alert's ${mdCode('runbook_url')} names (${mdCode(`${platform.runbookBaseUrl}/<env>/services/<service>/alerts/<alert>.md`)}).`,
      mdHeading(2, 'Environments'),
      mdList(listed.map((e) => `${link(environmentIndexPath(e.name), e.name)}${e.production ? ' (production)' : ''}: ${services[e.name].length} services`)),
      mdHeading(2, 'Services'),
      names.length === 0
        ? 'The platform has no services.'
        : mdTable(
            ['service', ...environments],
            names.map((name) => [mdCode(name), ...environments.map((env) => ((services[env] ?? []).some((s) => s.name === name) ? link(servicePagePath({ environment: env, name }, 'index'), env) : mdText('-')))]),
          ),
      '---',
      'Generated from the platform definition by ops-constructs: change the definition, not these pages.',
    ]),
  };
}

/**
 * Every runbook file of a platform: each service's in each environment, each environment's own
 * alerts and index, and the platform's index, sorted by path. Builds each service's rule groups; synthesis, which
 * has them already, writes the same files service by service.
 * @example
 * for (const file of platformRunbooks(platform)) writeFileSync(join('dist/runbooks', file.path), file.content);
 */
export function platformRunbooks(platform: PlatformDefinition): RunbookFile[] {
  const files: RunbookFile[] = [];
  const summaries: Record<string, ServiceRunbookSummary[]> = {};
  for (const env of platform.environments) {
    summaries[env.name] = [];
    for (const service of effectiveServices(platform, env.name)) {
      const built = serviceRunbooks(platform, service, serviceOutputs(platform, service));
      files.push(...built.files);
      summaries[env.name].push(built.summary);
    }
    files.push(...environmentRunbooks(platform, env.name, platformOutputs(platform, env.name), summaries[env.name]));
  }
  files.push(platformIndex(platform, summaries));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
