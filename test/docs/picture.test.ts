import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PICTURE_SOURCE, PICTURE_SVG, pictureSource, stampedHash } from '../../.ci/gen-picture';
import { synthesizePlatform } from '../../lib';
import { platform as example } from '../../apps/platform';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

const ROOT = path.resolve(__dirname, '../..');

/** Mermaid's entity codes back to characters. */
const decode = (text: string): string => text.replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#quot;/g, '"').replace(/#35;/g, '#');

/** Every node of a flowchart source by id, as its label lines. */
function nodes(source: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const match of source.matchAll(/^\s*(file_\w+|svc_\w+)\["([^"]*)"\]$/gm)) {
    found.set(match[1], match[2].split('<br/>').map(decode));
  }
  return found;
}

/** The lines of the file node whose title is `title`. */
function fileNode(source: string, title: string): string[] {
  const node = [...nodes(source).values()].find((lines) => lines[0] === title);
  if (node === undefined) throw new Error(`no file node titled ${title} in:\n${source}`);
  return node.slice(1);
}

/** Every piece of label text of the source (nodes, subgraphs, edges), entities decoded. */
function labels(source: string): string[] {
  return [...source.matchAll(/"([^"]+)"/g)].flatMap((m) => m[1].split('<br/>')).map(decode);
}

/** The text an SVG shows, whitespace collapsed. */
function svgText(svg: string): string {
  const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
  return svg
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|amp|quot|#39);/g, (_, name: string) => entities[name])
    .replace(/\s+/g, ' ');
}

describe('the picture of what gets generated', () => {
  const committed = fs.readFileSync(path.join(ROOT, PICTURE_SOURCE), 'utf8');
  const svg = fs.readFileSync(path.join(ROOT, PICTURE_SVG), 'utf8');

  it('is the picture of the example platform as it synthesizes now (npm run picture redraws it)', () => {
    expect(committed).toBe(pictureSource());
  });

  it('was rendered from exactly that source: the SVG carries its SHA-256', () => {
    expect(stampedHash(svg)).toBe(createHash('sha256').update(committed).digest('hex'));
    expect(svg).toMatch(/^<!--[^\n]*-->\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('shows every label of the source as SVG text, none as HTML inside the SVG', () => {
    const shown = svgText(svg);
    const missing = labels(committed).filter((label) => !shown.includes(label.replace(/\s+/g, ' ')));
    expect(missing).toEqual([]);
    expect(svg).not.toContain('<foreignObject');
  });

  it('has a file node for every file the synthesis writes, and none for files it does not write', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-picture-test-'));
    const { files } = synthesizePlatform(example, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    // Titles are relative to their side's folder, `dist/<side>/`, given by the subgraph around them.
    const sides = [...committed.matchAll(/subgraph side_\w+\["dist\/([^"]*?)\/?"\]\n((?:\s+file_\w+\[.*\n)+)/g)];
    const patterns = sides.flatMap(([, side, body]) => [...nodes(body).values()].map((lines) => (side === '' ? lines[0] : `${side}/${lines[0]}`)));
    const matcher = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/<[a-z]+>/g, '[^/]+')}$`);
    expect(files.filter((file) => !patterns.some((p) => matcher(p).test(file)))).toEqual([]);
    expect(patterns.filter((p) => !files.some((file) => matcher(p).test(file)))).toEqual([]);
    expect(patterns.length).toBeGreaterThan(0);
  });

  it('has a node for every service, inside the subgraph of its namespace', () => {
    for (const service of example.services) {
      const block = new RegExp(`subgraph ns_${service.namespace}\\[[^\\n]*\\n(?:\\s+svc_\\w+\\[.*\\n)*\\s+svc_${service.name}\\["${service.name}<br/>`);
      expect(committed).toMatch(block);
    }
  });

  it('is embedded in the README, whose terminal version names every file the picture shows', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = /## What gets generated\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    expect(section).toContain(`](${PICTURE_SVG})`);
    const terminal = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const fileNames = [...nodes(committed).entries()].filter(([id]) => id.startsWith('file_')).map(([, lines]) => lines[0].split('/').pop() ?? '');
    expect(fileNames.filter((name) => !terminal.includes(name))).toEqual([]);
  });
});

describe('the picture drawn for other platforms', () => {
  it('says where an object is only in some environments', () => {
    const source = pictureSource(testPlatform({ ...BASE_SERVICE, environments: { dev: { autoscaling: false } } }));
    expect(fileNode(source, '<env>/<service>.k8s.yaml')).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler (prod)', 'Deployment']));
  });

  it('says which services hold an object that only some of them hold', () => {
    const source = pictureSource(testPlatform({ ...BASE_SERVICE, autoscaling: false }, { ...BASE_SERVICE, name: 'billing' }));
    const lines = fileNode(source, '<env>/<service>.k8s.yaml');
    expect(lines).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler (billing)', 'Deployment']));
    // Each service's own line: billing has one object more, its HorizontalPodAutoscaler.
    const objects = (service: string): number => Number(lines.find((line) => line.startsWith(`${service}: `))?.match(/^\w+: (\d+) objects$/)?.[1]);
    expect(objects('billing')).toBe(objects('orders') + 1);
  });

  it('gives services that get the same one line', () => {
    const lines = fileNode(pictureSource(testPlatform(BASE_SERVICE, { ...BASE_SERVICE, name: 'billing' })), '<env>/<service>.k8s.yaml');
    expect(lines.filter((line) => /^(billing|orders)\b/.test(line))).toEqual([expect.stringMatching(/^billing, orders: \d+ objects$/)]);
  });

  it('counts the files holding an object when neither environments nor services explain it', () => {
    const source = pictureSource(testPlatform({ ...BASE_SERVICE, environments: { dev: { autoscaling: false } } }, { ...BASE_SERVICE, name: 'billing' }));
    expect(fileNode(source, '<env>/<service>.k8s.yaml')).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler (3 of 4 files)']));
  });

  it('draws the same text for the same platform', () => {
    const platform = testPlatform(BASE_SERVICE);
    expect(pictureSource(platform)).toBe(pictureSource(platform));
  });

  it('refuses a service named like a namespace, which would make their files indistinguishable', () => {
    const platform = testPlatform(BASE_SERVICE, { ...BASE_SERVICE, name: 'billing', team: 'orders' });
    expect(() => pictureSource(platform)).toThrow('the picture cannot tell service orders from namespace orders');
  });
});
