/**
 * What the bench reads from Linux's /proc: CPU time of processes and threads, resident
 * memory, sockets, and the kernel's UDP drop counters.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** USER_HZ: /proc times are in 1/100 s on Linux. */
export const TICKS_PER_SECOND = 100;

/** Fields after the command name, which is in parentheses and may contain spaces. */
function statFields(file: string): string[] | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime in ticks (fields 14 and 15 of stat): of every thread, for /proc/PID/stat. */
export function cpuTicks(pid: number, tid?: number): number {
  const f = statFields(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
  return f ? Number(f[11]) + Number(f[12]) : NaN;
}

/** utime + stime of each thread of a process, by thread id, and each thread's name. */
export function threadTicks(pid: number): Map<number, { ticks: number; name: string }> {
  const out = new Map<number, { ticks: number; name: string }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { ticks: Number(f[11]) + Number(f[12]), name });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Nanoseconds a thread has spent runnable but waiting for a CPU (schedstat's second field). */
export function runQueueWaitNs(pid: number, tid = pid): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}

/** Busy ticks of the whole machine, all cores (everything but idle and iowait). */
export function machineBusyTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return all - (f[3] ?? 0) - (f[4] ?? 0);
}

/** Resident memory (VmRSS), MB; 0 if the process is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Inodes of the sockets a process holds. */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** Datagrams dropped so far by each UDP (IPv4) socket, by inode (the last column of /proc/net/udp). */
export function udpDropsByInode(): Map<number, number> {
  const out = new Map<number, number>();
  const lines = readFileSync('/proc/net/udp', 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 13) continue;
    out.set(Number(f[9]), Number(f[f.length - 1]));
  }
  return out;
}

/** Datagrams dropped by the sockets among `inodes` (those still open). */
export function dropsOf(inodes: ReadonlySet<number>, table = udpDropsByInode()): number {
  let n = 0;
  for (const inode of inodes) n += table.get(inode) ?? 0;
  return n;
}

/** The machine's UDP counters from /proc/net/snmp (InErrors, RcvbufErrors, NoPorts…). */
export function udpCounters(): Map<string, number> {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/).slice(1);
  const values = (lines[1] ?? '').split(/\s+/).slice(1).map(Number);
  return new Map(names.map((n, i) => [n, values[i] ?? NaN]));
}

/** The pid of a child of `parent` with the given command name (e.g. the sipp that `timeout` runs). */
export function childNamed(parent: number, name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm === name) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** Raw IPv4 sockets open on the machine (sipp's pcap play sends through raw sockets). */
export function rawSocketCount(): number {
  try {
    return readFileSync('/proc/net/raw', 'utf8').trim().split('\n').length - 1;
  } catch {
    return NaN;
  }
}
