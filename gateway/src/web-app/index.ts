export { webAppConfig } from './config.js';
export { mountWebApp } from './serve.js';
