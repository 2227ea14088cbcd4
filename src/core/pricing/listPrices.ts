/**
 * Built-in list prices, USD per million tokens unless said otherwise. They are the providers'
 * published standard-tier prices (2025); a bill can differ (batch, regional or negotiated
 * rates), so every entry can be overridden with `aurelis.prices`. A model that is not here and
 * not in settings has an unknown price — shown as "price unknown", never as $0.
 */
import type { Price } from '../settings';
import type { ProviderId } from '../types';

/**
 * GitHub Models bills in token units: cost = units × $0.00001, where units = input tokens ×
 * input multiplier + output tokens × output multiplier; cached input has its own multiplier
 * (absent: cached input costs the same as input). Multipliers as published by GitHub.
 */
export const GITHUB_MODELS_UNIT_USD = 0.00001;

interface Multipliers {
  input: number;
  cachedInput?: number;
  output: number;
}

const GITHUB_MULTIPLIERS: Record<string, Multipliers> = {
  'openai/gpt-4o': { input: 0.25, cachedInput: 0.125, output: 1.0 },
  'openai/gpt-4o-mini': { input: 0.015, cachedInput: 0.0075, output: 0.06 },
  'openai/gpt-4.1': { input: 0.2, cachedInput: 0.05, output: 0.8 },
  'openai/gpt-4.1-mini': { input: 0.04, cachedInput: 0.01, output: 0.16 },
  'microsoft/phi-4': { input: 0.0125, output: 0.05 },
  'microsoft/phi-4-mini-instruct': { input: 0.0075, output: 0.03 },
  'deepseek/deepseek-r1': { input: 0.135, output: 0.54 },
  'deepseek/deepseek-r1-0528': { input: 0.135, output: 0.54 },
  'microsoft/mai-ds-r1': { input: 0.135, output: 0.54 },
  'deepseek/deepseek-v3-0324': { input: 0.114, output: 0.456 },
  'xai/grok-3': { input: 0.3, output: 1.5 },
  'xai/grok-3-mini': { input: 0.025, output: 0.127 },
  'meta/llama-4-maverick-17b-128e-instruct-fp8': { input: 0.025, output: 0.1 },
  'meta/llama-3.3-70b-instruct': { input: 0.071, output: 0.071 },
};

/** Multipliers → USD per million tokens (1M × units × $0.00001). */
function fromMultipliers(m: Multipliers): Price {
  const perMillion = (x: number) => x * GITHUB_MODELS_UNIT_USD * 1_000_000;
  return {
    input: perMillion(m.input),
    output: perMillion(m.output),
    ...(m.cachedInput === undefined ? {} : { cachedInput: perMillion(m.cachedInput) }),
  };
}

export const GITHUB_MODELS_PRICES: Record<string, Price> = Object.fromEntries(
  Object.entries(GITHUB_MULTIPLIERS).map(([id, m]) => [id, fromMultipliers(m)]),
);

/** OpenAI's API (also used for Azure deployments named after the model, whose list prices match). */
export const OPENAI_PRICES: Record<string, Price> = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  // The first gpt-4o snapshot kept its launch price.
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  'o1-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
};

/**
 * OpenRouter ids are `<publisher>/<model>`; OpenRouter passes the publisher's list price
 * through. OpenAI models reuse the table above; a few popular others are listed here.
 */
export const OPENROUTER_PRICES: Record<string, Price> = {
  ...Object.fromEntries(Object.entries(OPENAI_PRICES).map(([id, p]) => [`openai/${id}`, p])),
  'anthropic/claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15 },
  'anthropic/claude-3.7-sonnet': { input: 3, cachedInput: 0.3, output: 15 },
  'anthropic/claude-3.5-haiku': { input: 0.8, cachedInput: 0.08, output: 4 },
  'google/gemini-2.5-pro': { input: 1.25, cachedInput: 0.31, output: 10 },
  'google/gemini-2.5-flash': { input: 0.3, cachedInput: 0.075, output: 2.5 },
  'mistralai/codestral-2501': { input: 0.3, output: 0.9 },
};

/**
 * The hosted presets added in 2026, by the ids their own endpoints take. List prices per
 * million tokens as published on each provider's pricing page, read 2025-11 (standard tier,
 * no batch discount; Gemini's for prompts up to 200k tokens). Cached input is the provider's
 * cache-hit rate where it has one.
 */
export const PRESET_PRICES: Partial<Record<ProviderId, Record<string, Price>>> = {
  anthropic: {
    'claude-opus-4-1': { input: 15, cachedInput: 1.5, output: 75 },
    'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15 },
    'claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15 },
    'claude-haiku-4-5': { input: 1, cachedInput: 0.1, output: 5 },
    'claude-3-5-haiku-latest': { input: 0.8, cachedInput: 0.08, output: 4 },
  },
  gemini: {
    'gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
  },
  deepseek: {
    'deepseek-chat': { input: 0.28, cachedInput: 0.028, output: 0.42 },
    'deepseek-reasoner': { input: 0.28, cachedInput: 0.028, output: 0.42 },
  },
  mistral: {
    'codestral-latest': { input: 0.3, output: 0.9 },
    'mistral-large-latest': { input: 2, output: 6 },
    'mistral-medium-latest': { input: 0.4, output: 2 },
    'mistral-small-latest': { input: 0.1, output: 0.3 },
  },
  groq: {
    'openai/gpt-oss-120b': { input: 0.15, output: 0.75 },
    'openai/gpt-oss-20b': { input: 0.1, output: 0.5 },
    'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
    'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
  },
  xai: {
    'grok-4': { input: 3, cachedInput: 0.75, output: 15 },
    'grok-code-fast-1': { input: 0.2, cachedInput: 0.02, output: 1.5 },
    'grok-3-mini': { input: 0.3, cachedInput: 0.075, output: 0.5 },
  },
  together: {
    'qwen/qwen2.5-coder-32b-instruct': { input: 0.8, output: 0.8 },
    'meta-llama/llama-3.3-70b-instruct-turbo': { input: 0.88, output: 0.88 },
    'deepseek-ai/deepseek-v3': { input: 1.25, output: 1.25 },
  },
};
