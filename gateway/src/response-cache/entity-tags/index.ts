export { argumentTagsOf } from './argument-tags.js';
export { recordSubgraphFetch } from './fetch-tags.js';
export { entityTagsOf, entityTagsRecorder, type RequestEntityTags } from './request-tags.js';
