export { costModelFromSdl, type CostModel } from './model.js';
export { costPlugin, type PricedContext } from './plugin.js';
export { costConfig } from './config.js';
export {
  chargeRefusedRequests,
  MIN_CHARGE,
  refusalCharge,
  refusalChargeForSize,
} from './refusal-charge.js';
