import { spawnSync } from 'child_process';

/** Debian package that provides each external tool the checks run. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  prometheus: 'prometheus',
};

/** Whether a command is on the PATH. */
export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', tool], { encoding: 'utf8' }).status === 0;
}

/** The command that installs a tool on Debian. */
export function installHint(tool: string): string {
  return `apt-get install -y ${TOOL_PACKAGES[tool] ?? tool}`;
}

/**
 * Runs a tool and returns its exit status and output (stdout, then stderr).
 * @param timeoutMs how long it may run; a tool that runs longer is stopped and reported with status -1
 */
export function runTool(tool: string, args: readonly string[], cwd?: string, timeoutMs = 60_000): { status: number; output: string } {
  const result = spawnSync(tool, [...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
