/**
 * Runs a command as a child process and measures it: wall time, and memory of its whole process tree
 * (the command, npm, node, jest workers, esbuild...) sampled from /proc every 100 ms: the peak of the
 * tree's summed RSS and the peak RSS of its largest single process (what `/usr/bin/time -v` reports as
 * "Maximum resident set size"). Without /proc (not Linux) memory reads as undefined.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';

export interface ProcessRun {
  readonly command: string;
  readonly exitCode: number | null;
  readonly wallSeconds: number;
  /** Peak of the summed RSS of every process of the tree, in MiB. */
  readonly peakTreeMiB?: number;
  /** Peak RSS of the largest single process of the tree, in MiB. */
  readonly peakProcessMiB?: number;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const PROC = '/proc';

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) { continue; }
    try {
      const stat = fs.readFileSync(`${PROC}/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1], 10);
      const list = byParent.get(ppid) ?? [];
      list.push(parseInt(entry, 10));
      byParent.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  return byParent;
}

function rssKiB(pid: number): number {
  try {
    const status = fs.readFileSync(`${PROC}/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? parseInt(match[1], 10) : 0;
  } catch {
    return 0;
  }
}

function sampleTree(root: number): { total: number; largest: number } {
  const byParent = children();
  let total = 0;
  let largest = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const rss = rssKiB(pid);
    total += rss;
    largest = Math.max(largest, rss);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return { total, largest };
}

/** Runs `command` through the shell in `cwd` with `env` added, killing its process group after `timeoutSeconds`. */
export function runMeasured(command: string, options: { cwd: string; env?: Record<string, string>; timeoutSeconds: number }): Promise<ProcessRun> {
  const canSample = fs.existsSync(`${PROC}/self/status`);
  return new Promise(resolve => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true, // its own process group, so a timeout ends the whole tree
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    let peakTree = 0;
    let peakProcess = 0;
    const sampler = setInterval(() => {
      if (!canSample || child.pid === undefined) { return; }
      const { total, largest } = sampleTree(child.pid);
      peakTree = Math.max(peakTree, total);
      peakProcess = Math.max(peakProcess, largest);
    }, 100);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.timeoutSeconds * 1000);
    child.on('close', code => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({
        command,
        exitCode: code,
        wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakTreeMiB: canSample ? peakTree / 1024 : undefined,
        peakProcessMiB: canSample ? peakProcess / 1024 : undefined,
        timedOut,
        stdout,
        stderr,
      });
    });
  });
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
