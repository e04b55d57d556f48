export { startDataSubgraph, type DataSubgraph, type DataSubgraphOptions } from './subgraph.js';
export { loadDataConfig, type DataSubgraphConfig } from './config.js';
// The store's shapes, for tests that seed it directly (e.g. a project of 10,000 members).
export {
  dataCollections,
  membershipId,
  ROSTER_BLOCK,
  type DataCollections,
  type ProjectMemberRecord,
} from './repositories/index.js';
