import type { SeedShape } from './query.js';

/**
 * The data scales: the seed alone, then 10x and 100x as many projects and documents of OTHER users
 * (who share nothing with the benchmark user) in the same collections. Growth is cumulative: the
 * run measures, grows to the next scale, measures again.
 */
export const SCALE_IDS = ['seed', '10x', '100x'] as const;
export type ScaleId = (typeof SCALE_IDS)[number];

const FACTORS: Record<ScaleId, number> = { seed: 0, '10x': 10, '100x': 100 };

export interface OtherData {
  /** Other signed-up users, each owning as many projects as the seed gives the benchmark user. */
  users: number;
  projects: number;
  documents: number;
}

/** How much other users have stored at a scale, on top of the seed. */
export function otherDataAt(scale: ScaleId, seed: SeedShape): OtherData {
  const users = FACTORS[scale];
  const projects = users * seed.projects;
  return { users, projects, documents: projects * seed.documentsPerProject };
}
