/**
 * The files of a platform's game days: per environment, service and experiment, the Chaos Mesh
 * object to apply (`gamedays/<env>/<service>/<experiment>.k8s.yaml`) and its runbook (`.md`).
 * They live apart from `k8s/`, which a GitOps controller syncs: an experiment runs as soon as
 * it is applied, so it is applied by hand, on the day.
 */
import { App, Chart } from 'cdk8s';
import { EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { toYamlDocuments } from '../private/yaml';
import { GameDayExperiment } from './game-day-experiment';
import { gameDayPlans } from './game-day-plan';
import { gameDayRunbook } from './game-day-runbook';

/** A file to write, relative to the output folder. */
export interface GameDayFile {
  readonly path: string;
  readonly content: string;
}

/** The game-day files of one service in one environment: per experiment, its Chaos Mesh object and its runbook. */
export function serviceGameDayFiles(platform: PlatformDefinition, service: EffectiveService): GameDayFile[] {
  return gameDayPlans(service).flatMap((plan) => {
    const chart = new Chart(new App(), plan.objectName, { disableResourceNameHashes: true });
    new GameDayExperiment(chart, plan.objectName, { plan });
    return [
      { path: plan.files.manifest, content: toYamlDocuments(chart.toJson()) },
      { path: plan.files.runbook, content: gameDayRunbook(platform, service, plan) },
    ];
  });
}

/** Every game-day file of a platform, in a stable order: environments as listed, services by name, experiments as defined. */
export function gameDayFiles(platform: PlatformDefinition): GameDayFile[] {
  return platform.environments.flatMap((env) => effectiveServices(platform, env.name).flatMap((service) => serviceGameDayFiles(platform, service)));
}
