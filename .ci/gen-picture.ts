/**
 * `npm run picture`: the README's picture of what the example platform generates. It
 * synthesizes `apps/platform.ts` exactly as `npm run synth` does, reads every file written,
 * and draws which files each service (or namespace, or the platform) produces and what is in
 * them, as Mermaid (`docs/generated.mmd`), then renders that with mermaid-cli and Debian's
 * chromium into `docs/generated.svg`, stamped with the SHA-256 of the source it was drawn
 * from. `test/docs/picture.test.ts` fails when either is stale.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { platform as examplePlatform } from '../apps/platform';
import { PlatformDefinition, synthesizePlatform } from '../lib';

const ROOT = path.resolve(__dirname, '..');
/** The Mermaid source, relative to the repository. */
export const PICTURE_SOURCE = 'docs/generated.mmd';
/** The rendered picture, relative to the repository. */
export const PICTURE_SVG = 'docs/generated.svg';

/** Who a file is written for: one service, one namespace, or the whole platform. */
type Owner = { readonly kind: 'service' | 'namespace'; readonly name: string } | { readonly kind: 'platform' };

/** One file written by the synthesis. */
interface Written {
  readonly path: string;
  readonly pattern: string;
  readonly environment: string;
  readonly owner: Owner;
  readonly content: string;
}

/** Files that differ only in environment and owner, like `k8s/<env>/<service>.k8s.yaml`. */
interface Pattern {
  readonly pattern: string;
  readonly side: string;
  readonly files: readonly Written[];
}

/** The environment of a file written once for the whole platform. */
const EVERY_ENVIRONMENT = 'every environment';
/** The id of the definition's subgraph, and the owner named for platform-wide files. */
const platformLabel = 'platform';
const ownerKey = (owner: Owner): string => (owner.kind === 'platform' ? 'platform' : `${owner.kind}:${owner.name}`);
const placeKey = (file: Written): string => `${ownerKey(file.owner)}@${file.environment}`;
const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

function range(values: readonly number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? `${min}` : `${min}–${max}`;
}

/** `3 tests`, `1 test`, `19–21 tests`: a count per file, as a range when files differ. */
function counted(values: readonly number[], noun: string): string {
  return `${range(values)} ${noun}${Math.max(...values) === 1 ? '' : 's'}`;
}

/** Mermaid text inside double quotes: entity codes for what Mermaid would read as markup. */
function text(value: string): string {
  return value.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

const nodeId = (prefix: string, name: string): string => `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, '_')}`;

/**
 * Replaces the names in a written path by placeholders and tells whose file it is. A service
 * name and a namespace name that are the same would make the two undistinguishable: refused.
 */
function classify(platform: PlatformDefinition, file: string): { pattern: string; environment: string; owner: Owner } {
  const environments = platform.environments.map((e) => e.name);
  const services = platform.services.map((s) => s.name);
  const namespaces = unique(platform.services.map((s) => s.namespace));
  const previews = (platform.previews?.instances ?? []).map((p) => p.namespace);
  const clash = services.find((s) => namespaces.includes(s));
  if (clash !== undefined) throw new Error(`the picture cannot tell service ${clash} from namespace ${clash}`);
  let environment: string | undefined;
  let owner: Owner = { kind: 'platform' };
  const parts = file.split('/');
  const segments = parts.map((segment, i) => {
    const [stem, ...rest] = segment.split('.');
    const suffix = rest.map((r) => `.${r}`).join('');
    // A runbook page per alert: one pattern for all of them.
    if (parts[0] === 'runbooks' && parts[i - 1] === 'alerts' && i === parts.length - 1) return `<alert>${suffix}`;
    const env = environments.find((e) => stem === e || stem === `${platform.name}-${e}`);
    if (env !== undefined) {
      environment = env;
      return `${stem === env ? '<env>' : '<platform>-<env>'}${suffix}`;
    }
    if (services.includes(stem)) {
      owner = { kind: 'service', name: stem };
      return `<service>${suffix}`;
    }
    if (namespaces.includes(stem)) {
      owner = { kind: 'namespace', name: stem };
      return `<namespace>${suffix}`;
    }
    if (previews.includes(stem)) return `<preview>${suffix}`;
    const service = owner.kind === 'service' ? platform.services.find((s) => s.name === (owner as { name: string }).name) : undefined;
    if (file.startsWith('gamedays/') && service?.gameDays.experiments.some((e) => e.name === stem)) return `<experiment>${suffix}`;
    return segment;
  });
  return { pattern: segments.join('/'), environment: environment ?? EVERY_ENVIRONMENT, owner };
}

/** Object kinds of a Kubernetes manifest, one entry per object. */
function kubernetesKinds(content: string): string[] {
  return parseAllDocuments(content).map((doc) => String((doc.toJS() as { kind?: unknown } | null)?.kind ?? 'unknown'));
}

interface RuleFile {
  groups?: { rules?: { record?: string; alert?: string }[] }[];
}

function ruleCounts(content: string): { recording: number; alerting: number } {
  const rules = ((parseAllDocuments(content)[0]?.toJS() as RuleFile | null)?.groups ?? []).flatMap((g) => g.rules ?? []);
  return { recording: rules.filter((r) => r.record !== undefined).length, alerting: rules.filter((r) => r.alert !== undefined).length };
}

function testCount(content: string): number {
  return ((parseAllDocuments(content)[0]?.toJS() as { tests?: unknown[] } | null)?.tests ?? []).length;
}

interface TerraformResource {
  readonly '//'?: { metadata?: { path?: string } };
}

/** Terraform resources of a stack: type and the second construct path segment (its owner). */
function terraformResources(content: string): { type: string; owner: string }[] {
  const stack = JSON.parse(content) as { resource?: Record<string, Record<string, TerraformResource>> };
  return Object.entries(stack.resource ?? {}).flatMap(([type, resources]) =>
    Object.values(resources).map((resource) => ({ type, owner: resource['//']?.metadata?.path?.split('/')[1] ?? 'unknown' })),
  );
}

/** The second-level headings of a Markdown page, with a section per alert of a kind, or `## ` lines outside code. */
function markdownSections(content: string): string[] {
  let fenced = false;
  const sections: string[] = [];
  for (const line of content.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && line.startsWith('## ')) sections.push(`§ ${line.slice(3).trim()}`);
  }
  return sections;
}

/** Top-level keys of a YAML or JSON document, with the number of entries of lists and maps. */
function topLevelKeys(content: string): string[] {
  const value: unknown = parseAllDocuments(content)[0]?.toJS();
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).map(([key, entry]) => {
    if (key === 'route') return `route: ${countRoutes(entry)} routes`;
    return Array.isArray(entry) ? `${key}: ${entry.length}` : key;
  });
}

function countRoutes(route: unknown): number {
  const children = typeof route === 'object' && route !== null ? (route as { routes?: unknown }).routes : undefined;
  return 1 + (Array.isArray(children) ? children.reduce((sum: number, child: unknown) => sum + countRoutes(child), 0) : 0);
}

/** Where an item is not in every file of its pattern, says where it is. */
function qualifier(where: ReadonlySet<string>, files: readonly Written[]): string {
  if (files.every((f) => where.has(placeKey(f)))) return '';
  const environments = unique(files.map((f) => f.environment));
  const owners = unique(files.map((f) => ownerKey(f.owner)));
  const inEnvs = environments.filter((env) => files.filter((f) => f.environment === env).every((f) => where.has(placeKey(f))));
  const noneElsewhere = files.every((f) => where.has(placeKey(f)) === inEnvs.includes(f.environment));
  if (noneElsewhere) return ` (${inEnvs.join(', ')})`;
  const inOwners = owners.filter((o) => files.filter((f) => ownerKey(f.owner) === o).every((f) => where.has(placeKey(f))));
  if (files.every((f) => where.has(placeKey(f)) === inOwners.includes(ownerKey(f.owner)))) {
    return ` (${inOwners.map((o) => o.replace(/^[a-z]+:/, '')).join(', ')})`;
  }
  return ` (${files.filter((f) => where.has(placeKey(f))).length} of ${files.length} files)`;
}

/** The lines of a file node: each label once, with where it is when not in every file. */
function items(files: readonly Written[], labelsOf: (file: Written) => readonly string[]): string[] {
  const where = new Map<string, Set<string>>();
  for (const file of files) {
    for (const label of labelsOf(file)) {
      if (!where.has(label)) where.set(label, new Set());
      where.get(label)?.add(placeKey(file));
    }
  }
  return [...where.keys()].sort().map((label) => `${label}${qualifier(where.get(label) ?? new Set(), files)}`);
}

/** What a file node says the files of a pattern hold, and what each owner gets from them. */
interface FileContents {
  /** What is in the files, each line once, qualified where not in all of them. */
  readonly holds: readonly string[];
  /** What one owner's files hold, for its line in the node; `''` for none. */
  readonly perOwner: (files: readonly Written[]) => string;
}

/** The readiness report's services, from its JSON. */
function readinessServices(content: string): { service: string; environment: string; counts: Record<string, number>; items: unknown[] }[] {
  return (JSON.parse(content) as { services: { service: string; environment: string; counts: Record<string, number>; items: unknown[] }[] }).services;
}

function contents(group: Pattern): FileContents {
  const { pattern, files } = group;
  if (pattern === 'readiness.json' || pattern === 'readiness.md') {
    const services = files.flatMap((f) => (f.path.endsWith('.json') ? readinessServices(f.content) : []));
    const items = unique(services.map((s) => s.items.length));
    return {
      holds: pattern.endsWith('.md') ? ['a table per production service'] : [`${items.join(', ')} checklist items per production service`, ...services.map((s) => `${s.environment}/${s.service}: ${s.counts.pass} pass, ${s.counts.warn} warn, ${s.counts.fail} fail`)],
      perOwner: () => '',
    };
  }
  if (pattern.endsWith('.k8s.yaml')) {
    return {
      holds: items(files, (f) => unique(kubernetesKinds(f.content))),
      perOwner: (own) => counted(own.map((f) => kubernetesKinds(f.content).length), 'object'),
    };
  }
  if (pattern.endsWith('.rules.yaml')) {
    return {
      holds: [],
      perOwner: (own) => {
        const counts = own.map((f) => ruleCounts(f.content));
        return `${range(counts.map((c) => c.recording))} recording, ${range(counts.map((c) => c.alerting))} alerting rules`;
      },
    };
  }
  if (pattern.endsWith('.test.yaml')) {
    return { holds: ['promtool unit tests'], perOwner: (own) => counted(own.map((f) => testCount(f.content)), 'test') };
  }
  if (pattern.endsWith('cdk.tf.json')) {
    return { holds: items(files, (f) => unique(terraformResources(f.content).map((r) => r.type))), perOwner: () => '' };
  }
  if (pattern.endsWith('.md')) {
    if (!pattern.startsWith('runbooks/')) return { holds: ['Markdown'], perOwner: () => '' };
    // Runbook pages: their sections; a page per alert counts its pages per owner.
    const perAlert = pattern.endsWith('/<alert>.md');
    return {
      holds: items(files, (f) => unique(markdownSections(f.content))),
      perOwner: (own) => (perAlert ? counted(unique(own.map((f) => f.environment)).map((env) => own.filter((f) => f.environment === env).length), 'page') : ''),
    };
  }
  return { holds: items(files, (f) => topLevelKeys(f.content)), perOwner: () => '' };
}

/** One line per group of owners that get the same from a pattern: `catalog, checkout: 8 objects`. */
function ownerLines(group: Pattern, perOwner: (files: readonly Written[]) => string): string[] {
  const byLabel = new Map<string, string[]>();
  const add = (label: string, owner: string): void => {
    if (label === '') return;
    byLabel.set(label, [...(byLabel.get(label) ?? []), owner]);
  };
  if (group.pattern.endsWith('cdk.tf.json')) {
    // A stack is the platform's; its resources belong to services or to platform-wide parts.
    const environments = group.files.map((f) => f.environment);
    for (const owner of unique(group.files.flatMap((f) => terraformResources(f.content).map((r) => r.owner))).sort()) {
      const counts = group.files.map((f) => terraformResources(f.content).filter((r) => r.owner === owner).length);
      const present = environments.filter((_, i) => counts[i] > 0);
      const where = present.length === environments.length ? '' : ` (${present.join(', ')})`;
      add(`${counted(counts.filter((n) => n > 0), 'resource')}${where}`, owner);
    }
  } else {
    for (const key of unique(group.files.map((f) => ownerKey(f.owner)))) {
      const own = group.files.filter((f) => ownerKey(f.owner) === key);
      const owner = own[0].owner;
      add(perOwner(own), owner.kind === 'platform' ? platformLabel : owner.name);
    }
  }
  return [...byLabel.entries()].map(([label, owners]) => `${owners.join(', ')}: ${label}`);
}

/** How many files a pattern stands for, as the label of its edge. */
function multiplicity(group: Pattern): string {
  const [first] = group.files;
  const perEnvironment = group.files.some((f) => f.environment !== EVERY_ENVIRONMENT);
  const per: string[] = [
    ...(group.pattern.includes('<experiment>') ? ['experiment'] : []),
    ...(group.pattern.endsWith('/<alert>.md') ? ['alert'] : []),
    ...(first.owner.kind === 'platform' ? [] : [first.owner.kind]),
  ];
  if (perEnvironment) per.push('environment');
  return per.length === 0 ? 'once' : `one per ${[per.slice(0, -1).join(', '), per[per.length - 1]].filter((p) => p !== '').join(' and ')}`;
}

/** The day the picture's readiness report is made for. */
const PICTURE_DAY = '2026-12-02';

/**
 * The Mermaid source of the picture, from the files the synthesis of `platform` writes.
 * Deterministic: the same platform gives the same text.
 */
export function pictureSource(platform: PlatformDefinition = examplePlatform): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-picture-'));
  try {
    // The picture shows what is written, ready for production or not, on a fixed day: the
    // example's game days count for a quarter, and the picture must not change with the clock.
    const { files } = synthesizePlatform(platform, outdir, { enforceReadiness: false, today: PICTURE_DAY });
    // Sides in the order they are written; within one, environments in the platform's order,
    // so that qualifiers read `(staging, prod)`.
    const sides = unique(files.map(sideOf));
    const environments = platform.environments.map((e) => e.name);
    const rank = (w: Written): number => sides.indexOf(sideOf(w.path)) * (environments.length + 1) + environments.indexOf(w.environment);
    const written = files
      .map((file) => ({ path: file, ...classify(platform, file), content: fs.readFileSync(path.join(outdir, file), 'utf8') }))
      .sort((a, b) => rank(a) - rank(b));
    return render(platform, written);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The folder under `dist/` a file is in: `''` for the files at its top (the readiness report). */
function sideOf(file: string): string {
  return file.includes('/') ? file.split('/')[0] : '';
}

function render(platform: PlatformDefinition, written: readonly Written[]): string {
  const groups: Pattern[] = unique(written.map((w) => w.pattern)).map((pattern) => ({
    pattern,
    side: sideOf(pattern),
    files: written.filter((w) => w.pattern === pattern),
  }));
  const lines = [
    '%% Generated by `npm run picture` (.ci/gen-picture.ts) from the files `npm run synth` writes',
    '%% for apps/platform.ts. Do not edit: test/docs/picture.test.ts compares it with a fresh run.',
    'flowchart LR',
  ];
  const environments = platform.environments.map((e) => e.name).join(', ');
  lines.push(`  subgraph ${platformLabel}["${text(`apps/platform.ts: platform ${platform.name}, environments ${environments}`)}"]`, '    direction TB');
  for (const namespace of unique(platform.services.map((s) => s.namespace)).sort()) {
    lines.push(`    subgraph ${nodeId('ns', namespace)}["${text(`namespace ${namespace}`)}"]`);
    for (const service of platform.services.filter((s) => s.namespace === namespace)) {
      lines.push(`      ${nodeId('svc', service.name)}["${text(service.name)}<br/>${text(`team ${service.team}, tier ${service.tier}`)}"]`);
    }
    lines.push('    end');
  }
  lines.push('  end');
  const edges: string[] = [];
  for (const side of unique(groups.map((g) => g.side))) {
    lines.push(`  subgraph ${nodeId('side', side === '' ? 'dist' : side)}["${text(side === '' ? 'dist/' : `dist/${side}/`)}"]`);
    for (const group of groups.filter((g) => g.side === side)) {
      const id = nodeId('file', group.pattern);
      const { holds, perOwner } = contents(group);
      const title = side === '' ? group.pattern : group.pattern.slice(side.length + 1);
      lines.push(`    ${id}["${[title, ...holds, ...ownerLines(group, perOwner)].map(text).join('<br/>')}"]`);
      edges.push(`  ${platformLabel} -->|"${text(multiplicity(group))}"| ${id}`);
    }
    lines.push('  end');
  }
  return `${[...lines, ...edges].join('\n')}\n`;
}

/** The comment that opens the SVG: which source, by SHA-256, it was rendered from. */
export function sourceStamp(source: string): string {
  return `<!-- rendered from ${PICTURE_SOURCE} by npm run picture; sha256 ${createHash('sha256').update(source).digest('hex')} -->`;
}

/** The SHA-256 an SVG says its source had, if it carries the stamp. */
export function stampedHash(svg: string): string | undefined {
  return /^<!-- rendered from \S+ by npm run picture; sha256 ([0-9a-f]{64}) -->\n/.exec(svg)?.[1];
}

/** Browser flags for a headless render with nothing fetched in the background. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-sync',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];

/** Mermaid settings: labels as SVG text (no HTML inside the picture), fonts of the system. */
const MERMAID_CONFIG = {
  theme: 'neutral',
  htmlLabels: false,
  flowchart: { htmlLabels: false, wrappingWidth: 600 },
  themeVariables: { fontFamily: '"DejaVu Sans", Verdana, Arial, sans-serif' },
};

/** Renders Mermaid source to SVG with mermaid-cli in the installed chromium. */
export function renderSvg(source: string): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-picture-render-'));
  try {
    const puppeteer = path.join(work, 'puppeteer.json');
    const mermaid = path.join(work, 'mermaid.json');
    const input = path.join(work, 'picture.mmd');
    const output = path.join(work, 'picture.svg');
    fs.writeFileSync(puppeteer, JSON.stringify({ executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS }));
    fs.writeFileSync(mermaid, JSON.stringify(MERMAID_CONFIG));
    fs.writeFileSync(input, source);
    const mmdc = path.join(ROOT, 'node_modules/.bin/mmdc');
    execFileSync(mmdc, ['--quiet', '--puppeteerConfigFile', puppeteer, '--configFile', mermaid, '--no-font-embed', '--input', input, '--output', output], { stdio: 'inherit' });
    return fs.readFileSync(output, 'utf8');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const source = pictureSource();
  fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, PICTURE_SOURCE), source);
  fs.writeFileSync(path.join(ROOT, PICTURE_SVG), `${sourceStamp(source)}\n${renderSvg(source).trim()}\n`);
  console.log(`wrote ${PICTURE_SOURCE} and ${PICTURE_SVG}`);
}
