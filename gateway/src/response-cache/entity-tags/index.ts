export { argumentTagsOf } from './argument-tags.js';
export { recordFetchOfOperation } from './fetch-tags.js';
export { entityTagsOf, shareEntityTags } from './request-tags.js';
