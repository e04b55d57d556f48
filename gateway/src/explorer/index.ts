export { explorerConfig } from './config.js';
export { mountExplorer } from './serve.js';
