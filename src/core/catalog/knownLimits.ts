/**
 * Context limits of the models in the default chains, for the size check before the catalog
 * has been fetched (the catalog's numbers win once it is). Matched on the id without its
 * publisher, case-insensitively; dated snapshots match their family.
 */
interface Limits {
  maxInputTokens: number;
  maxOutputTokens: number;
}

const KNOWN: Array<[RegExp, Limits]> = [
  [/^gpt-4\.1(-mini|-nano)?($|-)/, { maxInputTokens: 1_047_576, maxOutputTokens: 32_768 }],
  [/^gpt-4o(-mini)?($|-)/, { maxInputTokens: 128_000, maxOutputTokens: 16_384 }],
  [/^codestral/, { maxInputTokens: 256_000, maxOutputTokens: 4_096 }],
  [/^(meta-)?llama-3\.(1|3)-(8|70|405)b/, { maxInputTokens: 128_000, maxOutputTokens: 4_096 }],
  [/^(cohere-)?command-r(-plus)?-08-2024/, { maxInputTokens: 128_000, maxOutputTokens: 4_096 }],
  [/^mistral-medium/, { maxInputTokens: 128_000, maxOutputTokens: 4_096 }],
];

export function knownLimits(modelId: string): Limits | undefined {
  const id = modelId.toLowerCase();
  const name = id.slice(id.lastIndexOf('/') + 1);
  return KNOWN.find(([pattern]) => pattern.test(name))?.[1];
}
