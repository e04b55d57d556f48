export { argumentTagsOf } from './argument-tags.js';
export { recordFetchOfOperation } from './fetch-tags.js';
export { entityTagsOf } from './request-tags.js';
