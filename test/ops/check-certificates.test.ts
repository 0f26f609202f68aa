import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tls from 'tls';
import { scriptsDirectory } from '../../lib/ops';
import { freePort } from '../support/servers';
import { describeWithTool, scratchDir } from '../support/tools';

const SCRIPT = path.join(scriptsDirectory(), 'check-certificates.sh');
const DAY = 86_400;
/** The threshold of the checks: 10 days. */
const THRESHOLD = 10 * DAY;

interface HostResult {
  readonly host: string;
  readonly address: string;
  readonly result: string;
  readonly not_after: string;
  readonly detail: string;
}

/** Runs openssl, failing the test with its output when it fails. */
function openssl(cwd: string, ...args: string[]): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

/** Writes the config of a minimal CA that signs with given start and end dates. */
function caConfig(dir: string): string {
  fs.mkdirSync(path.join(dir, 'issued'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  const config = path.join(dir, 'ca.cnf');
  fs.writeFileSync(
    config,
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir/issued',
      'certificate = $dir/ca.pem',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'copy_extensions = copy',
      '[any]',
      'commonName = supplied',
    ].join('\n'),
  );
  return config;
}

/** Issues a leaf certificate for `name`, valid from `start` to `end` (openssl's YYYYMMDDHHMMSSZ). */
function issue(dir: string, config: string, file: string, name: string, start: string, end: string): void {
  openssl(dir, 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`);
  openssl(dir, 'ca', '-batch', '-config', config, '-in', `${file}.csr`, '-out', `${file}.pem`, '-startdate', start, '-enddate', end, '-notext');
}

/** An openssl date `days` from now. */
function opensslDate(days: number): string {
  return new Date(Date.now() + days * DAY * 1000).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z').slice(2);
}

describeWithTool('openssl', 'check-certificates.sh against a real TLS server', () => {
  const dir = scratchDir('tls');
  let server: tls.Server;
  let port: number;
  let refusedPort: number;

  beforeAll(async () => {
    const d = dir();
    openssl(d, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Test CA');
    const config = caConfig(d);
    issue(d, config, 'valid', 'valid.example.test', opensslDate(-1), opensslDate(90));
    issue(d, config, 'expiring', 'expiring.example.test', opensslDate(-80), opensslDate(5));
    issue(d, config, 'expired', 'expired.example.test', opensslDate(-90), opensslDate(-2));
    issue(d, config, 'other', 'other.example.test', opensslDate(-1), opensslDate(90));
    const context = (file: string): tls.SecureContext => tls.createSecureContext({ key: fs.readFileSync(path.join(d, `${file}.key`)), cert: fs.readFileSync(path.join(d, `${file}.pem`)) });
    // One server, a certificate per SNI name: only a client that sends the name gets its certificate.
    const byName: Record<string, tls.SecureContext> = {
      'valid.example.test': context('valid'),
      'expiring.example.test': context('expiring'),
      'expired.example.test': context('expired'),
      'wrong.example.test': context('other'),
    };
    server = tls.createServer({ ...{ key: fs.readFileSync(path.join(d, 'other.key')), cert: fs.readFileSync(path.join(d, 'other.pem')) }, SNICallback: (name, done) => done(null, byName[name]) }, (socket) => socket.end());
    port = await freePort();
    refusedPort = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });

  /** Runs the script on hosts `name=127.0.0.1:<port>`; resolves with its exit status and JSON lines. */
  const check = (hosts: readonly string[], env: Record<string, string> = {}): Promise<{ status: number; results: HostResult[]; output: string }> =>
    new Promise((resolve) => {
      const environment = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: dir(), CERT_HOSTS: hosts.join(' '), CERT_MIN_VALID_SECONDS: String(THRESHOLD), CERT_CA_FILE: path.join(dir(), 'ca.pem'), CERT_TIMEOUT_SECONDS: '5', ...env };
      execFile('sh', [SCRIPT], { env: environment, timeout: 30_000 }, (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        const results = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as HostResult);
        resolve({ status, results, output: `${stdout}${stderr}` });
      });
    });
  const at = (name: string, p: number = port): string => `${name}=127.0.0.1:${p}`;

  it('passes a trusted certificate for the name that is valid beyond the threshold', async () => {
    const { status, results } = await check([at('valid.example.test')]);
    expect(results).toEqual([expect.objectContaining({ host: 'valid.example.test', address: `127.0.0.1:${port}`, result: 'ok', detail: 'valid for more than 864000s' })]);
    expect(results[0].not_after).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(status).toBe(0);
  });

  it('fails a certificate that expires within the threshold, and passes it under a shorter one', async () => {
    const expiring = await check([at('expiring.example.test')]);
    expect(expiring.results.map((r) => r.result)).toEqual(['expiring']);
    expect(expiring.results[0].detail).toContain('expires within 864000s');
    expect(expiring.status).toBe(1);
    const shorter = await check([at('expiring.example.test')], { CERT_MIN_VALID_SECONDS: String(3 * DAY) });
    expect(shorter.results.map((r) => r.result)).toEqual(['ok']);
    expect(shorter.status).toBe(0);
  });

  it('fails an expired certificate as expired', async () => {
    const { status, results } = await check([at('expired.example.test')]);
    expect(results).toEqual([expect.objectContaining({ host: 'expired.example.test', result: 'expired', detail: 'the served certificate has expired' })]);
    expect(status).toBe(1);
  });

  it('fails a certificate for another name, saying which name it is for', async () => {
    const { status, results } = await check([at('wrong.example.test')]);
    expect(results[0].result).toBe('name-mismatch');
    expect(results[0].detail).toContain('the served certificate is not for wrong.example.test');
    expect(results[0].detail).toContain('other.example.test');
    expect(status).toBe(1);
  });

  it('fails a certificate no trusted CA signed', async () => {
    const { status, results } = await check([at('valid.example.test')], { CERT_CA_FILE: path.join(dir(), 'other.pem') });
    expect(results[0].result).toBe('untrusted');
    expect(results[0].detail).toContain('verification failed: ');
    expect(status).toBe(1);
  });

  it('fails a host that refuses the connection', async () => {
    const { status, results } = await check([at('valid.example.test', refusedPort)]);
    expect(results).toEqual([expect.objectContaining({ host: 'valid.example.test', address: `127.0.0.1:${refusedPort}`, result: 'unreachable' })]);
    expect(results[0].detail).toMatch(/^no certificate received: /);
    expect(status).toBe(1);
  });

  it('checks every host and fails when one of them fails', async () => {
    const { status, results } = await check([at('valid.example.test'), at('expired.example.test'), at('valid.example.test', refusedPort)]);
    expect(results.map((r) => [r.host, r.result])).toEqual([
      ['valid.example.test', 'ok'],
      ['expired.example.test', 'expired'],
      ['valid.example.test', 'unreachable'],
    ]);
    expect(status).toBe(1);
  });

  it('refuses to run without hosts or with a threshold that is no number', async () => {
    expect(await check([])).toEqual(expect.objectContaining({ status: 2, results: [{ result: 'usage', detail: 'CERT_HOSTS names no host' }] }));
    expect((await check([at('valid.example.test')], { CERT_MIN_VALID_SECONDS: '10d' })).status).toBe(2);
  });
});
