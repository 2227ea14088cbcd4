/** The chat messages a request sends: system prompt first, then the conversation, then the prompt. */
import type { ChatMessage, TaskRequest } from '../types';

export function messagesOf(request: TaskRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.systemPrompt) messages.push({ role: 'system', content: request.systemPrompt });
  if (request.messages) messages.push(...request.messages);
  if (request.prompt) messages.push({ role: 'user', content: request.prompt });
  return messages;
}
