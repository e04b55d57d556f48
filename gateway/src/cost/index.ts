export {
  costModelFromSchema,
  costModelFromSdl,
  DEFAULT_COST_DEFAULTS,
  type CostDefaults,
  type CostModel,
  type CostModelOptions,
  type CostOverride,
  type CostOverrides,
  type FieldCost,
  type ListSize,
} from './model.js';
export {
  priceBatch,
  priceOperation,
  sumMeasures,
  type OperationMeasure,
  type PricedRequest,
} from './price-operation.js';
export {
  batchCostExceeded,
  checkLimits,
  CostErrorCode,
  tokenLimitExceeded,
  type CostLimits,
  type LimitedMeasure,
} from './limits.js';
export { countTokens, exceededTokenLimit, parseWithTokenLimit } from './tokens.js';
export { costPlugin, type CostPluginOptions, type PricedContext } from './plugin.js';
export {
  costLimits,
  costModelOptions,
  costOverridesSchema,
  costSettings,
  type CostSettings,
} from './config.js';
