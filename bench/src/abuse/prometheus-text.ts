export { parsePrometheusText, sumOf, type Sample } from '@platform/testing';
