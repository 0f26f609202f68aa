import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { ServiceChart } from '../k8s/service-chart';
import { resolveEnvironment } from '../spec/define';
import { PlatformDefinition } from '../spec/types';

/** The cdk8s apps of a platform, one per environment, each with one chart per service. */
export interface PlatformApps {
  /** Environment name → app writing to `<outdir>/<environment>`. */
  readonly apps: ReadonlyMap<string, App>;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Builds one cdk8s `App` per environment of the platform, writing `<outdir>/<env>/<service>.k8s.yaml`.
 * Call `app.synth()` on each to write the files.
 */
export function buildPlatformApps(platform: PlatformDefinition, outdir: string): PlatformApps {
  const apps = new Map<string, App>();
  for (const env of platform.environments) {
    const app = new App({ outdir: path.join(outdir, env.name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const definition of [...platform.services].sort(byName)) {
      const service = resolveEnvironment(platform, definition, env.name);
      new ServiceChart(app, service.name, { platform, service });
    }
    apps.set(env.name, app);
  }
  return { apps };
}

/** The charts of an app, in file order. */
export function chartsOf(app: App): Chart[] {
  return app.charts;
}
