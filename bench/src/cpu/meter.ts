import { runningServicePids } from '@platform/stack';
import { clockTicksPerSecond, processName, readAllProcStats } from './proc-reader.js';
import { cpuMsPerRequest, ticksByGroup } from './proc-stat.js';
import { summarizeCpu, type CpuPerRequest, type MeasuredProcess } from './per-request.js';

/**
 * The local stack's processes, found through @platform/stack's pid files: the MongoDB-wire server
 * (named after its executable, FerretDB today), PostgreSQL (the postmaster and every backend
 * below it, FerretDB's included), Redis and Kafka. None under Docker: they are not our children.
 */
export function stackProcesses(): MeasuredProcess[] {
  const pids = runningServicePids();
  const store = (service: string, name: string, inTotal = true): MeasuredProcess[] => {
    const pid = pids[service];
    return pid === undefined ? [] : [{ name, role: 'store', roots: [pid], inTotal }];
  };
  const mongoPid = pids.mongo;
  const mongoName = mongoPid === undefined ? undefined : processName(mongoPid);
  return [
    ...store('mongo', mongoName ? `mongo (${mongoName})` : 'mongo'),
    ...store('postgres', 'postgres'),
    ...store('redis', 'redis'),
    ...store('kafka', 'kafka', false),
  ];
}

/**
 * Reads the CPU time of every measured process tree now; `finish` reads it again and divides what
 * each spent by the requests completed in between.
 */
export function startCpuWindow(measured: MeasuredProcess[]): {
  finish: (requests: number) => CpuPerRequest;
} {
  const groups = Object.fromEntries(measured.map(({ name, roots }) => [name, roots]));
  const ticksPerSecond = clockTicksPerSecond();
  const before = ticksByGroup(groups, readAllProcStats());
  return {
    finish: (requests) => {
      const after = ticksByGroup(groups, readAllProcStats());
      return summarizeCpu(measured, cpuMsPerRequest(before, after, { requests, ticksPerSecond }));
    },
  };
}
