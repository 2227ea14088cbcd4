import assert from 'node:assert/strict';
import { refusedField, RefusedParameters, withoutRefused } from '../../../src/core/providers/refusedParameters';

const facts = (text: string, extra: { param?: string; code?: string; locations?: unknown[][] } = {}) => ({ text, locations: [], ...extra });

describe('refused request fields', () => {
  it('reads the field from the wordings servers use', () => {
    // OpenAI's reasoning models.
    assert.equal(refusedField(facts("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", { param: 'temperature', code: 'unsupported_value' })), 'temperature');
    assert.equal(refusedField(facts("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.")), 'max_tokens');
    assert.equal(refusedField(facts("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")), 'response_format');
    // Mistral and other FastAPI servers (pydantic).
    assert.equal(refusedField(facts('Extra inputs are not permitted', { locations: [['body', 'max_completion_tokens']] })), 'max_completion_tokens');
    // Groq.
    assert.equal(refusedField(facts("'logprobs' is not supported with this model", { param: 'logprobs' })), 'logprobs');
    // A local server's wording for structured output, without naming the field.
    assert.equal(refusedField(facts('This model does not support JSON mode')), 'response_format');
    assert.equal(refusedField(facts('Unrecognized request argument supplied: reasoning_effort')), 'reasoning_effort');
  });

  it('a value out of range or another complaint is not a refused field', () => {
    assert.equal(refusedField(facts("'temperature' must be at most 1.")), undefined);
    assert.equal(refusedField(facts('Invalid API key')), undefined);
    assert.equal(refusedField(facts('messages: field required', { locations: [['body', 'messages']] })), undefined);
    assert.equal(refusedField(facts("The 'model' parameter is not supported")), undefined);
  });

  it('drops what was refused; a refused token parameter is sent under its other name', () => {
    const body = { model: 'm', messages: [], stream: false, temperature: 0.2, max_tokens: 100 };
    assert.deepEqual(withoutRefused(body, new Set(['temperature'])), { model: 'm', messages: [], stream: false, max_tokens: 100 });
    assert.deepEqual(withoutRefused(body, new Set(['max_tokens'])), { model: 'm', messages: [], stream: false, temperature: 0.2, max_completion_tokens: 100 });
    assert.deepEqual(withoutRefused(body, new Set(['max_tokens', 'max_completion_tokens'])), { model: 'm', messages: [], stream: false, temperature: 0.2 });
  });

  it('remembers per model', () => {
    const memory = new RefusedParameters();
    memory.remember('openai:o3', 'temperature');
    assert.deepEqual([...memory.of('openai:o3')], ['temperature']);
    assert.deepEqual([...memory.of('openai:gpt-4.1')], []);
  });
});
