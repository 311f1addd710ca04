/**
 * The machine a build ran on, recorded beside its timings so that measured
 * compute time can be read against the hardware that took it.
 */
import os from 'node:os';

export interface Hardware {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  arch: string;
}

export function hardwareInfo(): Hardware {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
  };
}
