import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The repository's `rover.yaml`, the one place that lists the subgraphs of the supergraph. */
export const DEFAULT_ROVER_CONFIG_PATH = fileURLToPath(
  new URL('../../../rover.yaml', import.meta.url),
);

export interface SubgraphSource {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's schema file. */
  schemaFile: string;
}

export interface RoverConfig {
  federationVersion: string;
  subgraphs: SubgraphSource[];
}

/** A `rover.yaml` this composer cannot read; the message names the offending key. */
export class RoverConfigError extends Error {
  constructor(configPath: string, problem: string) {
    super(`${configPath}: ${problem}`);
    this.name = 'RoverConfigError';
  }
}

/** Composition here always uses the installed @apollo/composition, which composes Federation 2. */
const FEDERATION_2 = /^(=?2(\.\d+){0,2}|fed2)$/;

/**
 * Reads a rover supergraph config (`rover supergraph compose --config` format): `federation_version`
 * and `subgraphs.<name>.routing_url` / `schema.file`, with files relative to the config file.
 */
export async function readRoverConfig(
  configPath = DEFAULT_ROVER_CONFIG_PATH,
): Promise<RoverConfig> {
  const fail = (problem: string): never => {
    throw new RoverConfigError(configPath, problem);
  };
  const document: unknown = parseYaml(await readFile(configPath, 'utf8'));
  if (!isRecord(document)) return fail('expected a mapping at the top level');

  const federationVersion = String(document.federation_version ?? '');
  if (!FEDERATION_2.test(federationVersion)) {
    fail(
      `federation_version must name Federation 2 (for example "=2.7.0"), got "${federationVersion}"`,
    );
  }
  if (!isRecord(document.subgraphs) || Object.keys(document.subgraphs).length === 0) {
    return fail('subgraphs must map at least one subgraph name to its settings');
  }

  const baseDir = path.dirname(configPath);
  const subgraphs = Object.entries(document.subgraphs).map(([name, settings]): SubgraphSource => {
    if (!isRecord(settings)) return fail(`subgraphs.${name} must be a mapping`);
    const routingUrl = settings.routing_url;
    if (typeof routingUrl !== 'string' || !URL.canParse(routingUrl)) {
      return fail(`subgraphs.${name}.routing_url must be a URL`);
    }
    const file = isRecord(settings.schema) ? settings.schema.file : undefined;
    if (typeof file !== 'string' || file === '') {
      return fail(`subgraphs.${name}.schema.file must name the subgraph's schema file`);
    }
    return { name, routingUrl, schemaFile: path.resolve(baseDir, file) };
  });
  return { federationVersion, subgraphs };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
