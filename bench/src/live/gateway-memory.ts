import { readFileSync } from 'node:fs';

/** VmRSS and VmHWM of a live process, in bytes, from /proc (Linux); 0 where unreadable. */
export function residentBytes(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    };
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}
