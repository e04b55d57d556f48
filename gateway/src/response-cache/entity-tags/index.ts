export { argumentTagsOf } from './argument-tags.js';
export { recordFetchOfOperation, recordSubgraphFetch } from './fetch-tags.js';
export { entityTagsOf, entityTagsRecorder, type RequestEntityTags } from './request-tags.js';
