/**
 * GitHub's prompt file format (`.prompt.yml` / `.prompt.yaml`), as GitHub Models documented it:
 * name, description, model, modelParameters, responseFormat, jsonSchema, messages with
 * `{{variable}}` placeholders, testData and evaluators. One key is Aurelis's own: `edits:
 * selection` says the answer replaces the editor's selection (shown as a diff to accept).
 * Strict objects, so a misspelt key is reported instead of silently ignored.
 */
import { z } from 'zod';

export const BUILT_IN_EVALUATORS = ['github/similarity', 'github/coherence', 'github/fluency', 'github/relevance', 'github/groundedness'] as const;

const StringCheckSchema = z
  .strictObject({
    equals: z.string().optional(),
    contains: z.string().optional(),
    startsWith: z.string().optional(),
    endsWith: z.string().optional(),
    /** Off by default for contains/startsWith/endsWith; `equals` always compares exactly. */
    caseSensitive: z.boolean().optional(),
  })
  .refine((s) => [s.equals, s.contains, s.startsWith, s.endsWith].filter((v) => v !== undefined).length === 1, {
    message: 'a string evaluator needs exactly one of equals, contains, startsWith, endsWith',
  });

const ChoiceSchema = z.strictObject({
  choice: z.union([z.string().min(1), z.number()]).transform(String),
  score: z.number().min(0).max(1),
});

const JudgeSchema = z.strictObject({
  /** The grading model; the prompt's own model (or chain) when absent. */
  modelId: z.string().min(1).optional(),
  prompt: z.string().min(1),
  choices: z.array(ChoiceSchema).min(1),
  systemPrompt: z.string().optional(),
});

export const EvaluatorSchema = z
  .strictObject({
    name: z.string().min(1),
    string: StringCheckSchema.optional(),
    llm: JudgeSchema.optional(),
    uses: z.enum(BUILT_IN_EVALUATORS).optional(),
  })
  .refine((e) => [e.string, e.llm, e.uses].filter((v) => v !== undefined).length === 1, {
    message: 'an evaluator needs exactly one of string, llm, uses',
  });
export type Evaluator = z.infer<typeof EvaluatorSchema>;
export type StringCheck = NonNullable<Evaluator['string']>;
export type Judge = NonNullable<Evaluator['llm']>;

const MessageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.string(),
});

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const PromptFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  model: z.string().min(1).optional(),
  modelParameters: z
    .strictObject({
      maxTokens: z.number().int().positive().optional(),
      temperature: z.number().min(0).max(2).optional(),
      topP: z.number().min(0).max(1).optional(),
    })
    .optional(),
  responseFormat: z.enum(['text', 'json_object', 'json_schema']).optional(),
  /** The JSON schema for `responseFormat: json_schema`: `{name, schema, strict?}`, as JSON text or YAML. */
  jsonSchema: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  messages: z.array(MessageSchema).min(1),
  testData: z.array(z.record(z.string(), ScalarSchema)).optional(),
  evaluators: z.array(EvaluatorSchema).optional(),
  edits: z.literal('selection').optional(),
});
export type PromptFileContent = z.infer<typeof PromptFileSchema>;
