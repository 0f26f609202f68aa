/**
 * The namespace cleanup script, run for real: by dash (Debian's sh) and by BusyBox's sh with only
 * BusyBox's tools on the PATH (as in the Alpine-based image the CronJob runs), against a stub
 * kubectl that serves fixture namespace lists and records what it is asked to delete.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { scriptsDirectory } from '../../lib/ops/scripts';
import { hasTool, scratchDir } from '../support/tools';

const STUBS = path.join(__dirname, 'stubs');
const CLEANUP_SCRIPT_PATH = path.join(scriptsDirectory(), 'cleanup-namespaces.sh');
const LABEL = 'ops-constructs/preview';
const EXPIRY = 'ops-constructs/expires-at';
const NOW = '2026-12-02T10:00:00Z';

/** A namespace as `kubectl get namespaces -o json` prints it. */
interface NamespaceFixture {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string; [k: string]: unknown };
  readonly spec: { finalizers: string[] };
  readonly status: { phase: string };
}

/** A namespace fixture: a preview (labelled) unless `label` says otherwise. */
function ns(name: string, options: { expiresAt?: string; label?: string | null; terminating?: boolean } = {}): NamespaceFixture {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  if (options.label !== null) labels[LABEL] = options.label ?? 'true';
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels,
      ...(options.expiresAt === undefined ? {} : { annotations: { [EXPIRY]: options.expiresAt } }),
      creationTimestamp: '2026-11-28T09:00:00Z',
      resourceVersion: '4711',
      uid: '2f6c3c2e-5b7a-4a59-9d0f-6a1b0c7d8e9f',
      ...(options.terminating === true ? { deletionTimestamp: '2026-12-02T09:59:00Z' } : {}),
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: options.terminating === true ? 'Terminating' : 'Active' },
  };
}

/** A list as `kubectl get namespaces -o json` prints it. */
function list(items: readonly NamespaceFixture[]): object {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** One decision line of the script. */
interface Decision {
  readonly action: 'delete' | 'would-delete' | 'keep' | 'skip' | 'error';
  readonly namespace: string;
  readonly reason: string;
  readonly dryRun: boolean;
  readonly expiresAt?: string;
}

/** The summary line of the script. */
interface Summary {
  readonly action: 'summary';
  readonly deleted: string[];
  readonly wouldDelete: string[];
  readonly kept: number;
  readonly skipped: number;
  readonly exitStatus: number;
  readonly dryRun: boolean;
  readonly failed?: string;
  readonly at: string;
}

interface Run {
  readonly status: number;
  readonly decisions: Decision[];
  readonly summary?: Summary;
  readonly lines: Record<string, unknown>[];
  /** What the stub deleted, in order. */
  readonly deleted: string[];
  /** Every kubectl call, as its arguments. */
  readonly calls: string[];
  readonly stderr: string;
}

interface RunOptions {
  readonly namespaces: readonly NamespaceFixture[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Calls of the stub that fail: `list`, `get <name>`, `delete <name>`. */
  readonly fail?: readonly string[];
  /** What a single get serves instead of the list's entry. */
  readonly gets?: readonly NamespaceFixture[];
  /** The clock; `real` for the machine's own `date`. */
  readonly now?: string | 'real';
}

/** The shells the script is run by: Debian's dash, and BusyBox's sh with only BusyBox tools. */
const SHELLS: readonly { name: string; available: boolean }[] = [
  { name: 'dash', available: hasTool('dash') },
  { name: 'busybox', available: hasTool('busybox') },
];

/** The BusyBox applets on the PATH of a BusyBox run: what the script and the stub use. */
const BUSYBOX_APPLETS = ['sh', 'date', 'sort', 'cat', 'grep'];

function which(tool: string): string {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
}

for (const shell of SHELLS) {
  const suite = shell.available ? describe : describe.skip;
  suite(`the cleanup script run by ${shell.name}`, () => {
    const scratch = scratchDir(`cleanup-${shell.name}`);
    let runs = 0;

    function run(options: RunOptions): Run {
      const dir = path.join(scratch(), `run-${runs++}`);
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(path.join(dir, 'get'), { recursive: true });
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(dir, 'namespaces.json'), JSON.stringify(list(options.namespaces), null, 4));
      for (const get of options.gets ?? []) fs.writeFileSync(path.join(dir, 'get', `${get.metadata.name}.json`), JSON.stringify(get, null, 4));
      if (options.fail !== undefined) fs.writeFileSync(path.join(dir, 'fail'), `${options.fail.join('\n')}\n`);
      fs.symlinkSync(path.join(STUBS, 'kubectl'), path.join(bin, 'kubectl'));
      if (options.now !== 'real') fs.symlinkSync(path.join(STUBS, 'date'), path.join(bin, 'date'));
      let PATH: string;
      let command: string[];
      if (shell.name === 'busybox') {
        const busybox = which('busybox');
        for (const applet of BUSYBOX_APPLETS) {
          if (!fs.existsSync(path.join(bin, applet))) fs.symlinkSync(busybox, path.join(bin, applet));
        }
        fs.symlinkSync(which('jq'), path.join(bin, 'jq'));
        PATH = bin;
        command = [busybox, 'sh', CLEANUP_SCRIPT_PATH];
      } else {
        PATH = `${bin}:${process.env.PATH}`;
        command = ['dash', CLEANUP_SCRIPT_PATH];
      }
      const env: Record<string, string> = {
        PATH,
        STUB_DIR: dir,
        STUB_NOW: options.now === undefined || options.now === 'real' ? NOW : options.now,
        PREVIEW_LABEL: LABEL,
        EXPIRY_ANNOTATION: EXPIRY,
        PROTECTED_NAMESPACES: 'default kube-node-lease kube-public kube-system monitoring payments',
        MAX_DELETIONS: '10',
        DRY_RUN: 'false',
      };
      for (const [key, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
      const result = spawnSync(command[0], command.slice(1), { env, encoding: 'utf8', timeout: 60_000 });
      const lines = result.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const read = (file: string): string[] => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l !== '') : []);
      return {
        status: result.status ?? -1,
        lines,
        decisions: lines.filter((l) => l.action !== 'summary') as unknown as Decision[],
        summary: lines.find((l) => l.action === 'summary') as unknown as Summary | undefined,
        deleted: read('deleted'),
        calls: read('calls'),
        stderr: result.stderr,
      };
    }

    const decisionOf = (r: Run, namespace: string): Decision | undefined => r.decisions.find((d) => d.namespace === namespace);

    it('deletes an expired preview namespace and keeps one that has not expired', () => {
      const r = run({ namespaces: [ns('preview-pr-1', { expiresAt: '2026-12-01T10:00:00Z' }), ns('preview-pr-2', { expiresAt: '2026-12-03T10:00:00Z' })] });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual(['preview-pr-1']);
      expect(decisionOf(r, 'preview-pr-1')).toEqual({ action: 'delete', namespace: 'preview-pr-1', reason: 'expired 86400s ago', dryRun: false, expiresAt: '2026-12-01T10:00:00Z' });
      expect(decisionOf(r, 'preview-pr-2')).toEqual({ action: 'keep', namespace: 'preview-pr-2', reason: 'expires in 86400s', dryRun: false, expiresAt: '2026-12-03T10:00:00Z' });
      expect(r.summary).toEqual({ action: 'summary', at: NOW, deleted: ['preview-pr-1'], wouldDelete: [], kept: 1, skipped: 0, exitStatus: 0, dryRun: false });
    });

    it('deletes a namespace at the very second it expires', () => {
      const r = run({ namespaces: [ns('preview-pr-1', { expiresAt: NOW }), ns('preview-pr-2', { expiresAt: '2026-12-02T10:00:01Z' })] });
      expect(r.deleted).toEqual(['preview-pr-1']);
      expect(decisionOf(r, 'preview-pr-2')?.action).toBe('keep');
    });

    it('asks only for labelled namespaces, reads each again before deleting it, and deletes without waiting', () => {
      const r = run({ namespaces: [ns('preview-pr-1', { expiresAt: '2026-12-01T10:00:00Z' })] });
      expect(r.calls).toEqual([`get namespaces -l ${LABEL}=true -o json`, 'get namespace preview-pr-1 -o json', 'delete namespace preview-pr-1 --wait=false']);
    });

    it('never touches a protected namespace, even labelled and long expired', () => {
      const r = run({ namespaces: [ns('kube-system', { expiresAt: '2020-01-01T00:00:00Z' }), ns('payments', { expiresAt: '2020-01-01T00:00:00Z' }), ns('default', { expiresAt: '2020-01-01T00:00:00Z' })] });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual([]);
      expect(r.calls).toEqual([`get namespaces -l ${LABEL}=true -o json`]);
      expect(r.decisions.map((d) => [d.namespace, d.action, d.reason])).toEqual([
        ['default', 'skip', 'protected namespace'],
        ['kube-system', 'skip', 'protected namespace'],
        ['payments', 'skip', 'protected namespace'],
      ]);
    });

    it('skips a namespace without the preview label, or with another value, although the list holds it', () => {
      const r = run({ namespaces: [ns('team-a', { expiresAt: '2020-01-01T00:00:00Z', label: null }), ns('team-b', { expiresAt: '2020-01-01T00:00:00Z', label: 'false' }), ns('team-c', { expiresAt: '2020-01-01T00:00:00Z', label: '' })] });
      expect(r.deleted).toEqual([]);
      expect(r.decisions.map((d) => [d.namespace, d.action, d.reason])).toEqual([
        ['team-a', 'skip', `not a preview namespace: label ${LABEL} is not "true"`],
        ['team-b', 'skip', `not a preview namespace: label ${LABEL} is not "true"`],
        ['team-c', 'skip', `not a preview namespace: label ${LABEL} is not "true"`],
      ]);
    });

    it('skips and logs a missing expiry, never deleting', () => {
      const r = run({ namespaces: [ns('preview-pr-1')] });
      expect(r.deleted).toEqual([]);
      expect(decisionOf(r, 'preview-pr-1')).toEqual({ action: 'skip', namespace: 'preview-pr-1', reason: `no expiry: annotation ${EXPIRY} is missing`, dryRun: false });
    });

    it('skips and logs every malformed expiry, never deleting', () => {
      const malformed = [
        '',
        'yesterday',
        '2026-12-01',
        '2026-12-01T10:00:00',
        '2026-12-01 10:00:00Z',
        '2026-12-01t10:00:00z',
        '2026-13-01T10:00:00Z',
        '2026-02-29T10:00:00Z',
        '2026-04-31T10:00:00Z',
        '2026-12-00T10:00:00Z',
        '2026-12-01T24:00:00Z',
        '2026-12-01T10:60:00Z',
        '2026-12-01T10:00:60Z',
        '2026-12-01T10:00:00+2:00',
        '2026-12-01T10:00:00+24:00',
        '2026-12-01T10:00:00+01:60',
        '2026-12-01T10:00:00.Z',
        '2026-12-01T10:00:00Z extra',
        '0000-01-01T00:00:00Z',
        '2026-12-01T10:00:00Z\n2026-12-01T10:00:00Z',
        '2026-12-01T10:00:00\t+01:00',
      ];
      const r = run({ namespaces: malformed.map((expiresAt, i) => ns(`preview-pr-${100 + i}`, { expiresAt })) });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual([]);
      expect(r.decisions).toHaveLength(malformed.length);
      for (const decision of r.decisions) {
        expect(decision).toMatchObject({ action: 'skip', reason: `malformed expiry: ${EXPIRY} is no RFC 3339 time` });
      }
      // The value is logged as read; tabs and newlines as @tsv escapes them, on one line.
      expect(decisionOf(r, 'preview-pr-119')?.expiresAt).toBe('2026-12-01T10:00:00Z\\n2026-12-01T10:00:00Z');
    });

    it('reads offsets: a time east of UTC may have passed, one west of it may not, across a day boundary too', () => {
      const r = run({
        namespaces: [
          // 11:30 at +02:00 is 09:30 UTC: expired, though 11:30 is later than now's 10:00.
          ns('preview-east', { expiresAt: '2026-12-02T11:30:00+02:00' }),
          // 08:30 at -02:00 is 10:30 UTC: not expired, though 08:30 is earlier than 10:00.
          ns('preview-west', { expiresAt: '2026-12-02T08:30:00-02:00' }),
          // 00:30 on the 3rd at +14:00 is 10:30 UTC on the 2nd: not expired.
          ns('preview-kiritimati', { expiresAt: '2026-12-03T00:30:00+14:00' }),
          // 23:00 on the 1st at -11:00 is 10:00 UTC on the 2nd: expired this very second.
          ns('preview-pago-pago', { expiresAt: '2026-12-01T23:00:00-11:00' }),
          // 15:29:59.999 at +05:30 is 09:59:59 UTC once the fraction is dropped: expired.
          ns('preview-india', { expiresAt: '2026-12-02T15:29:59.999+05:30' }),
          ns('preview-minus-zero', { expiresAt: '2026-12-02T10:00:01-00:00' }),
        ],
      });
      expect(r.status).toBe(0);
      expect(Object.fromEntries(r.decisions.map((d) => [d.namespace, d.reason]))).toEqual({
        'preview-east': 'expired 1800s ago',
        'preview-india': 'expired 1s ago',
        'preview-kiritimati': 'expires in 1800s',
        'preview-minus-zero': 'expires in 1s',
        'preview-pago-pago': 'expired 0s ago',
        'preview-west': 'expires in 1800s',
      });
      expect([...r.deleted].sort()).toEqual(['preview-east', 'preview-india', 'preview-pago-pago']);
    });

    it('agrees with JavaScript on when any timestamp, in any offset, has passed', () => {
      const nowSeconds = Date.parse(NOW) / 1000;
      const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
      const stamp = fc
        .record({
          delta: fc.integer({ min: -400 * 86400, max: 400 * 86400 }),
          offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
          fraction: fc.option(fc.integer({ min: 0, max: 999999 }), { nil: undefined }),
          zulu: fc.boolean(),
        })
        .map(({ delta, offsetMinutes, fraction, zulu }) => {
          const utc = nowSeconds + delta;
          const offset = zulu ? 0 : offsetMinutes;
          const local = new Date((utc + offset * 60) * 1000);
          const zone = zulu ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
          const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction === undefined ? '' : `.${fraction}`}${zone}`;
          return { text, utc };
        });
      const stamps = fc.sample(stamp, { numRuns: 80, seed: 20261202 });
      const r = run({ namespaces: stamps.map((s, i) => ns(`preview-pr-${1000 + i}`, { expiresAt: s.text })), env: { DRY_RUN: 'true', MAX_DELETIONS: '1000' } });
      expect(r.status).toBe(0);
      stamps.forEach((s, i) => {
        const expected = s.utc <= nowSeconds ? { action: 'would-delete', reason: `expired ${nowSeconds - s.utc}s ago` } : { action: 'keep', reason: `expires in ${s.utc - nowSeconds}s` };
        expect({ stamp: s.text, ...decisionOf(r, `preview-pr-${1000 + i}`) }).toMatchObject({ stamp: s.text, ...expected });
      });
    });

    it('in dry-run mode logs what it would delete and deletes nothing', () => {
      const r = run({ namespaces: [ns('preview-pr-1', { expiresAt: '2026-12-01T10:00:00Z' }), ns('preview-pr-2', { expiresAt: '2026-12-03T10:00:00Z' })], env: { DRY_RUN: 'true' } });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual([]);
      expect(r.calls).toEqual([`get namespaces -l ${LABEL}=true -o json`]);
      expect(decisionOf(r, 'preview-pr-1')).toEqual({ action: 'would-delete', namespace: 'preview-pr-1', reason: 'expired 86400s ago', dryRun: true, expiresAt: '2026-12-01T10:00:00Z' });
      expect(r.summary).toMatchObject({ deleted: [], wouldDelete: ['preview-pr-1'], kept: 1, dryRun: true, exitStatus: 0 });
    });

    it('runs dry when DRY_RUN is not set at all', () => {
      const r = run({ namespaces: [ns('preview-pr-1', { expiresAt: '2026-12-01T10:00:00Z' })], env: { DRY_RUN: undefined } });
      expect(r.deleted).toEqual([]);
      expect(r.summary).toMatchObject({ dryRun: true, wouldDelete: ['preview-pr-1'] });
    });

    it('deletes at most the cap per run, the longest expired first, and says why it left the rest', () => {
      const namespaces = [
        ns('preview-a', { expiresAt: '2026-12-02T09:00:00Z' }),
        ns('preview-b', { expiresAt: '2026-11-01T00:00:00Z' }),
        ns('preview-c', { expiresAt: '2026-12-02T09:59:00Z' }),
        ns('preview-d', { expiresAt: '2026-11-30T11:00:00+01:00' }),
        ns('preview-e', { expiresAt: '2026-12-02T08:00:00Z' }),
      ];
      const r = run({ namespaces, env: { MAX_DELETIONS: '2' } });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual(['preview-b', 'preview-d']);
      expect(r.decisions.filter((d) => d.action === 'skip').map((d) => [d.namespace, d.reason])).toEqual([
        ['preview-e', 'deletion cap reached: at most 2 per run'],
        ['preview-a', 'deletion cap reached: at most 2 per run'],
        ['preview-c', 'deletion cap reached: at most 2 per run'],
      ]);
      expect(r.summary).toMatchObject({ deleted: ['preview-b', 'preview-d'], skipped: 3 });
      // The cap holds in dry-run mode too, so a dry run shows what a real one would do.
      const dry = run({ namespaces, env: { MAX_DELETIONS: '2', DRY_RUN: 'true' } });
      expect(dry.summary).toMatchObject({ wouldDelete: ['preview-b', 'preview-d'], skipped: 3 });
    });

    it('exits non-zero when a deletion fails mid-run, and reports what it deleted before', () => {
      const namespaces = [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z' }), ns('preview-b', { expiresAt: '2026-11-02T00:00:00Z' }), ns('preview-c', { expiresAt: '2026-11-03T00:00:00Z' })];
      const r = run({ namespaces, fail: ['delete preview-b'] });
      expect(r.status).toBe(1);
      expect(r.deleted).toEqual(['preview-a']);
      expect(r.calls).not.toContain('delete namespace preview-c --wait=false');
      expect(decisionOf(r, 'preview-b')).toEqual({ action: 'error', namespace: 'preview-b', reason: 'kubectl delete namespace failed', dryRun: false, expiresAt: '2026-11-02T00:00:00Z' });
      expect(r.summary).toMatchObject({ deleted: ['preview-a'], failed: 'preview-b', exitStatus: 1 });
      expect(r.stderr).toContain('Error from server (InternalError)');
    });

    it('exits non-zero when reading a namespace again fails, having deleted nothing more', () => {
      const r = run({ namespaces: [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z' }), ns('preview-b', { expiresAt: '2026-11-02T00:00:00Z' })], fail: ['get preview-b'] });
      expect(r.status).toBe(1);
      expect(r.deleted).toEqual(['preview-a']);
      expect(r.summary).toMatchObject({ deleted: ['preview-a'], failed: 'preview-b', exitStatus: 1 });
    });

    it('exits non-zero when the namespaces cannot be listed, and deletes nothing', () => {
      const r = run({ namespaces: [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z' })], fail: ['list'] });
      expect(r.status).toBe(1);
      expect(r.deleted).toEqual([]);
      expect(r.lines[0]).toEqual({ action: 'error', reason: 'kubectl get namespaces failed', dryRun: false });
      expect(r.summary).toMatchObject({ deleted: [], exitStatus: 1 });
    });

    it('keeps a namespace whose expiry was extended, or label removed, after it was listed', () => {
      const r = run({
        namespaces: [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z' }), ns('preview-b', { expiresAt: '2026-11-01T00:00:00Z' })],
        gets: [ns('preview-a', { expiresAt: '2026-12-09T00:00:00Z' }), ns('preview-b', { expiresAt: '2026-11-01T00:00:00Z', label: null })],
      });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual([]);
      expect(r.decisions.map((d) => [d.namespace, d.action, d.reason])).toEqual([
        ['preview-a', 'skip', 'changed since listed: label, expiry or state differ now'],
        ['preview-b', 'skip', 'changed since listed: label, expiry or state differ now'],
      ]);
    });

    it('skips a namespace that is already terminating', () => {
      const r = run({ namespaces: [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z', terminating: true })] });
      expect(r.deleted).toEqual([]);
      expect(decisionOf(r, 'preview-a')).toMatchObject({ action: 'skip', reason: 'already terminating' });
    });

    it('writes one JSON line per namespace, each with the namespace, action and reason, and the summary last', () => {
      const r = run({ namespaces: [ns('kube-system'), ns('preview-a', { expiresAt: 'soon' }), ns('preview-b', { expiresAt: '2026-11-01T00:00:00Z' }), ns('preview-c', { expiresAt: '2027-01-01T00:00:00Z' })] });
      expect(r.lines).toHaveLength(5);
      for (const decision of r.decisions) expect(Object.keys(decision)).toEqual(expect.arrayContaining(['namespace', 'action', 'reason']));
      expect(r.lines[4].action).toBe('summary');
    });

    it('refuses bad settings before calling kubectl', () => {
      for (const [env, reason] of [
        [{ MAX_DELETIONS: '0' }, 'MAX_DELETIONS must be an integer from 1 (got "0")'],
        [{ MAX_DELETIONS: 'ten' }, 'MAX_DELETIONS must be an integer from 1 (got "ten")'],
        [{ MAX_DELETIONS: undefined }, 'MAX_DELETIONS must be an integer from 1 (got "")'],
        [{ DRY_RUN: 'maybe' }, 'DRY_RUN must be true or false (got "maybe")'],
        [{ PREVIEW_LABEL: '' }, 'PREVIEW_LABEL is not set'],
        [{ EXPIRY_ANNOTATION: undefined }, 'EXPIRY_ANNOTATION is not set'],
      ] as const) {
        const r = run({ namespaces: [ns('preview-a', { expiresAt: '2026-11-01T00:00:00Z' })], env });
        expect({ env, status: r.status, lines: r.lines, calls: r.calls }).toEqual({ env, status: 2, lines: [{ action: 'error', reason }], calls: [] });
      }
    });

    it("reads the machine's own clock: long past is expired, far future is not", () => {
      const r = run({ now: 'real', namespaces: [ns('preview-past', { expiresAt: '2001-09-09T01:46:40Z' }), ns('preview-future', { expiresAt: '2999-12-31T23:59:59-12:00' })] });
      expect(r.status).toBe(0);
      expect(r.deleted).toEqual(['preview-past']);
      expect(decisionOf(r, 'preview-future')?.action).toBe('keep');
      expect(r.summary?.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });
  });
}

describe('the shells the cleanup script is tested with', () => {
  it('are installed under CI', () => {
    if (process.env.CI !== 'true') return;
    expect(SHELLS.filter((s) => !s.available).map((s) => s.name)).toEqual([]);
  });
});
