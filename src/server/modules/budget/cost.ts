/** Token counts of one call, as the vendor reported them (or as estimated). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
}

/** A provider's prices in USD per million tokens (0 for local models). */
export interface TokenPrices {
  inputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
}

const MICROS_PER_USD = 1_000_000n;
const TOKENS_PER_PRICE_UNIT = 1_000_000n;

/** A price in USD per million tokens as whole micro-dollars per million tokens (prices have at most 6 decimals). */
function priceMicros(usdPerMTok: number, what: string): bigint {
  if (!Number.isFinite(usdPerMTok) || usdPerMTok < 0) throw new RangeError(`${what} must be a price of 0 or more`);
  return BigInt(Math.round(usdPerMTok * Number(MICROS_PER_USD)));
}

function tokens(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number of tokens, 0 or more`);
  return BigInt(n);
}

/**
 * What a call costs in integer micro-dollars: tokens × price-per-million-tokens (in micro-dollars) ÷ 1e6, rounded
 * up so the ledger never under-counts. Integer arithmetic throughout: no float drift however many rows are summed.
 */
export function costMicros(usage: TokenCounts, prices: TokenPrices): number {
  const total =
    tokens(usage.inputTokens, 'inputTokens') * priceMicros(prices.inputPricePerMTokUsd, 'inputPricePerMTokUsd') +
    tokens(usage.outputTokens, 'outputTokens') * priceMicros(prices.outputPricePerMTokUsd, 'outputPricePerMTokUsd');
  return Number((total + TOKENS_PER_PRICE_UNIT - 1n) / TOKENS_PER_PRICE_UNIT);
}

/**
 * A rough token count for text whose usage the vendor did not report: about four characters per token for the
 * European languages the app teaches (rows using it are marked `tokensEstimated`).
 */
export function estimateTokens(text: string): number {
  // Characters are code points (an emoji is one), counted without splitting the string: a whole conversation's
  // history is estimated on every call, and spreading 2,000 characters into an array costs ≈ 9 µs.
  const pairs = text.match(SURROGATE_PAIR)?.length ?? 0;
  return Math.ceil((text.length - pairs) / 4);
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
