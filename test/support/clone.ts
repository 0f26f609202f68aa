import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A copy of the repository as a fresh clone has it (its tracked and unignored files, this
 * checkout's node_modules linked in) in a new git work tree, every file committed on `main`,
 * and an empty home folder.
 */
export function cloneLikeCopy(): { repo: string; home: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-cli-'));
  const repo = path.join(work, 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const file of files.filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)))) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(repo, file));
    fs.chmodSync(path.join(repo, file), fs.statSync(path.join(ROOT, file)).mode);
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('-c', 'user.name=clone', '-c', 'user.email=clone@example.com', 'commit', '--quiet', '--no-gpg-sign', '--no-verify', '-m', 'clone');
  const home = path.join(work, 'home');
  fs.mkdirSync(home);
  return { repo, home };
}

